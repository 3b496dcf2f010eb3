//go:build !windows

package main

import (
	"os"
	"path/filepath"
	"syscall"

	"github.com/google/renameio/v2"
)

// newTempFile creates the temporary file that will replace target, in its
// directory, with mode.
func newTempFile(target string, mode os.FileMode) (pendingFile, error) {
	return renameio.NewPendingFile(target, renameio.WithTempDir(filepath.Dir(target)), renameio.WithStaticPermissions(mode))
}

// ownerOf returns a file's owner and group.
func ownerOf(fi os.FileInfo) (uid, gid int) {
	if st, ok := fi.Sys().(*syscall.Stat_t); ok {
		return int(st.Uid), int(st.Gid)
	}
	return -1, -1
}
