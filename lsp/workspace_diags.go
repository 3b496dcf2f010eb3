package lsp

import (
	"os"
	"path/filepath"
	"time"
)

// Findings in files the user has not opened (eslint's and gopls' workspace
// diagnostics): when a template, OpenAPI document, env file or the config
// changes, every request file of that project is checked and its findings
// published, open or not. An unopened request file is a background
// document: a document read from disk, checked and published like an open
// one but without a version, and forgotten when the file is opened (the
// buffer takes over) or deleted. A background document that never had a
// finding publishes nothing, so a clean workspace costs no notifications;
// one whose findings are fixed publishes an empty list, which clears them.

// scheduleBackgroundLocked re-checks, after delay, the unopened request
// files that depend on path in workspace f.
func (s *server) scheduleBackgroundLocked(f *folder, path string, delay time.Duration) {
	if s.stopping || s.state != stateRunning {
		return
	}
	key := workspaceKey(f.root, f.client) + "\x00" + path
	if t := s.depTimers[key]; t != nil {
		t.Stop()
	}
	s.depTimers[key] = time.AfterFunc(delay, func() { s.checkDependents(f, path) })
}

// checkDependents finds the request files that depend on path and
// schedules a check of each one that is not open.
func (s *server) checkDependents(f *folder, path string) {
	s.mu.Lock()
	if s.stopping || s.state != stateRunning {
		s.mu.Unlock()
		return
	}
	s.wg.Add(1)
	s.mu.Unlock()
	defer s.wg.Done()

	select {
	case <-s.ready:
	case <-s.ctx.Done():
		return
	}
	deps, err := safely(func() ([]string, error) { return f.ws.Dependents(s.ctx, path), nil })
	if err != nil {
		s.logf("finding the files that depend on %s: %v", path, err)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, p := range deps {
		p = filepath.Clean(p)
		if s.docs[p] != nil {
			continue // open: its own check publishes
		}
		d := s.background[p]
		if d == nil {
			d = &document{path: p, uri: pathToURI(p), bg: f}
			s.background[p] = d
		}
		s.scheduleLocked(d, 0)
	}
}

// loadBackground reads a background document's file from disk before a
// check; false when it is gone (its findings are then cleared).
func (s *server) loadBackground(d *document) bool {
	data, err := os.ReadFile(d.path)
	s.mu.Lock()
	defer s.mu.Unlock()
	if err != nil {
		s.dropBackgroundLocked(d.path, true)
		return false
	}
	if d.file == nil || d.file.Text != string(data) {
		d.setText(string(data))
	}
	return true
}

// dropBackgroundLocked forgets the background document of path, clearing
// its findings when clear is set and it has published any.
func (s *server) dropBackgroundLocked(path string, clear bool) {
	d := s.background[path]
	if d == nil {
		return
	}
	d.closeLocked()
	delete(s.background, path)
	if clear && d.shown {
		s.pub.clear(d.uri)
	}
}
