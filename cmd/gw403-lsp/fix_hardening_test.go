package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gw403/gw403-lsp/analyzer"
	"github.com/gw403/gw403-lsp/schemas/source"
)

// TestFixRefusesChangedFiles: when the file on disk is no longer the text
// the fixes were computed for (an editor saved it meanwhile), planWrites
// refuses it and says why, and nothing is written.
func TestFixRefusesChangedFiles(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "api.http")
	checked := "GET https://a1b2c3d4e5.execute-api.us-east-1.amazonaws.com/Prod/items\n"
	edit := analyzer.Edit{Path: p, Span: source.Span{Start: 59, End: 63}, NewText: "prod"}
	res := &analyzer.Result{Files: map[string]*source.File{p: source.NewFile(p, checked)}}
	byPath := map[string][]analyzer.Edit{p: {edit}}
	if got := checked[edit.Span.Start:edit.Span.End]; got != "Prod" {
		t.Fatalf("fixture: the edit spans %q, want Prod", got)
	}
	for _, tc := range []struct {
		name, onDisk string
	}{
		{"edited meanwhile", "GET https://a1b2c3d4e5.execute-api.us-east-1.amazonaws.com/Prod/items\nx-api-key: k\n"},
		{"line ends converted", strings.ReplaceAll(checked, "\n", "\r\n")},
		{"emptied", ""},
	} {
		if err := os.WriteFile(p, []byte(tc.onDisk), 0o644); err != nil {
			t.Fatal(err)
		}
		plan, bad, err := planWrites(dir, res, byPath)
		if err == nil || bad != p || !strings.Contains(err.Error(), "changed since it was checked") {
			t.Errorf("%s: planWrites = %v, %q, %v, want the 'changed since it was checked' error for %s", tc.name, plan, bad, err, p)
		}
		got, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		if string(got) != tc.onDisk {
			t.Errorf("%s: the file became %q, want it untouched", tc.name, got)
		}
	}

	// The unchanged file is written, once.
	if err := os.WriteFile(p, []byte(checked), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(p, 0o600); err != nil {
		t.Fatal(err)
	}
	plan, bad, err := planWrites(dir, res, byPath)
	if err != nil {
		t.Fatalf("planWrites on the unchanged file: %s: %v", bad, err)
	}
	var stderr strings.Builder
	if _, written, err := writePlan(plan, []fixGroup{{files: []string{p}, fixes: 1}}, &stderr); len(written) != 1 || written[0] != p || err != nil {
		t.Fatalf("writePlan = %v, %v, want [%s]", written, err, p)
	}
	got, _ := os.ReadFile(p)
	if want := strings.Replace(checked, "/Prod/", "/prod/", 1); string(got) != want {
		t.Errorf("fixed file = %q, want %q", got, want)
	}
	if fi, err := os.Stat(p); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("mode after the fix = %v (%v), want 0600", fi.Mode().Perm(), err)
	}
}
