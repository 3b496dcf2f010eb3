//go:build !windows

package main

import (
	"os"
	"syscall"
	"testing"
)

// TestFixKeepsOwner: run as root, a file owned by another user keeps its
// owner and group.
func TestFixKeepsOwner(t *testing.T) {
	if os.Getuid() != 0 {
		t.Skip("needs root to give a file to another user")
	}
	dir := t.TempDir()
	paths := fixWorkspace(t, dir, 1)
	if err := os.Chown(paths[0], 4321, 8765); err != nil {
		t.Fatal(err)
	}
	if code, _, stderr := checkFix(t, dir); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if data, _ := os.ReadFile(paths[0]); string(data) != stageFixed {
		t.Fatalf("not fixed: %q", data)
	}
	fi, _ := os.Stat(paths[0])
	st := fi.Sys().(*syscall.Stat_t)
	if st.Uid != 4321 || st.Gid != 8765 {
		t.Errorf("owner after --fix = %d:%d, want 4321:8765", st.Uid, st.Gid)
	}
}
