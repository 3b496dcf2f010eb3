package analyzer

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
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
