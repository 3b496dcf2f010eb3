package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
)

func serveFrame(id any, method string) string {
	m := map[string]any{"jsonrpc": "2.0", "method": method}
	if id != nil {
		m["id"] = id
	}
	if method == "initialize" {
		m["params"] = map[string]any{"processId": nil, "rootUri": nil, "capabilities": map[string]any{}}
	}
	b, _ := json.Marshal(m)
	return fmt.Sprintf("Content-Length: %d\r\n\r\n%s", len(b), b)
}

func TestServe(t *testing.T) {
	tests := []struct {
		name     string
		args     []string
		input    string
		code     int
		stdout   string // substring
		stderr   string // substring
		noStdout bool
	}{
		{"session", []string{"serve"}, serveFrame(1, "initialize") + serveFrame(nil, "initialized") + serveFrame(2, "shutdown") + serveFrame(nil, "exit"), 0, `"positionEncoding":"utf-16"`, "", false},
		{"no command means serve", nil, serveFrame(1, "initialize") + serveFrame(2, "shutdown") + serveFrame(nil, "exit"), 0, `"name":"gw403-lsp"`, "", false},
		{"--stdio is accepted", []string{"serve", "--stdio"}, serveFrame(nil, "exit"), 1, "", "", true},
		{"stdin ends without exit", []string{"serve"}, serveFrame(1, "initialize"), 1, `"id":1`, "", false},
		{"unexpected argument", []string{"serve", "extra"}, "", 2, "", "unexpected argument", true},
		{"help", []string{"serve", "-h"}, "", 0, "", "usage: gw403-lsp serve", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := run(tt.args, strings.NewReader(tt.input), &stdout, &stderr)
			if code != tt.code {
				t.Errorf("exit code = %d, want %d (stderr %q)", code, tt.code, stderr.String())
			}
			if !strings.Contains(stdout.String(), tt.stdout) || tt.noStdout && stdout.Len() != 0 {
				t.Errorf("stdout = %q, want %q", stdout.String(), tt.stdout)
			}
			if !strings.Contains(stderr.String(), tt.stderr) {
				t.Errorf("stderr = %q, want %q", stderr.String(), tt.stderr)
			}
		})
	}
}

func TestLeadingServeFlagRunsServe(t *testing.T) {
	for _, arg := range []string{"--stdio", "--log=/dev/null"} {
		if !isServeFlag(arg) {
			t.Errorf("isServeFlag(%q) = false, want true", arg)
		}
	}
	for _, arg := range []string{"check", "--help", "--version", "-x"} {
		if isServeFlag(arg) {
			t.Errorf("isServeFlag(%q) = true, want false", arg)
		}
	}
}
