package workspace

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/gw403/gw403-lsp/analyzer/link"
)

// TestSpecialFilesAreNotRead: a FIFO would block a read forever and a
// device never ends; files found by name (env files) or named on the
// command line are refused before they are opened.
func TestSpecialFilesAreNotRead(t *testing.T) {
	dir := writeTree(t, map[string]string{"api.http": "GET https://example.com/{{x}}\n"})
	fifo := filepath.Join(dir, "pipe.http")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Skipf("no FIFOs here: %v", err)
	}
	if err := os.Symlink("/dev/zero", filepath.Join(dir, "http-client.env.json")); err != nil {
		t.Skipf("no symlinks here: %v", err)
	}
	ws := New(dir, Options{})
	res, err := ws.CheckPaths(context.Background(), []string{filepath.Join(dir, "api.http"), fifo})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, d := range res.Diagnostics {
		if d.Code == "GW001" {
			got[filepath.Base(d.Path)] = d.Message.EN
		}
	}
	if !strings.Contains(got["pipe.http"], "not a regular file (a named pipe)") {
		t.Errorf("GW001 for pipe.http = %q, want it to say it is a named pipe (all: %v)", got["pipe.http"], got)
	}
	if len(res.Checked) != 2 {
		t.Errorf("checked %v, want api.http and pipe.http", res.Checked)
	}
}

// TestSniffOtherEncodings: a template saved in Shift_JIS is still routed to
// the template parser, which reports GW001 "not UTF-8 text"; binary data
// named .yaml is not a definition.
func TestSniffOtherEncodings(t *testing.T) {
	for _, tc := range []struct {
		text string
		want link.FileKind
	}{
		{"AWSTemplateFormatVersion: '2010-09-09'\r\nDescription: \x92\x8d\x95\xb6\r\nResources: {}\r\n", link.KindTemplate},
		{"openapi: 3.0.1\ninfo: {title: \x92\x8d\x95\xb6}\n", link.KindOpenAPI},
		{"openapi: 3.0.1\x00\x01\x02", link.KindOther},
		{"\xff\xfeo\x00p\x00e\x00n\x00a\x00p\x00i\x00:\x00", link.KindOther},
	} {
		if got := sniff(tc.text); got != tc.want {
			t.Errorf("sniff(%q) = %v, want %v", tc.text, got, tc.want)
		}
	}
}
