//go:build windows

package main

import (
	"os"
	"path/filepath"
)

// tempFile is a temporary file that replaces its target by a rename
// (MoveFileEx with MOVEFILE_REPLACE_EXISTING, which os.Rename uses).
// renameio does not build on Windows.
type tempFile struct {
	*os.File
	target string
	done   bool
}

func newTempFile(target string, mode os.FileMode) (pendingFile, error) {
	f, err := os.CreateTemp(filepath.Dir(target), "."+filepath.Base(target)+"*")
	if err != nil {
		return nil, err
	}
	if err := f.Chmod(mode); err != nil {
		f.Close()
		os.Remove(f.Name())
		return nil, err
	}
	return &tempFile{File: f, target: target}, nil
}

// Chown does nothing: Windows files have no Unix owner to keep.
func (t *tempFile) Chown(int, int) error { return nil }

func (t *tempFile) Cleanup() error {
	if t.done {
		return nil
	}
	t.done = true
	t.File.Close()
	return os.Remove(t.Name())
}

func (t *tempFile) CloseAtomicallyReplace() error {
	if err := t.Sync(); err != nil {
		return err
	}
	if err := t.File.Close(); err != nil {
		return err
	}
	if err := os.Rename(t.Name(), t.target); err != nil {
		return err
	}
	t.done = true
	return nil
}

// ownerOf reports no owner: there is none to keep.
func ownerOf(os.FileInfo) (uid, gid int) { return -1, -1 }
