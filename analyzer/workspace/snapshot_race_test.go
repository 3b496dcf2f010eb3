package workspace

import (
	"context"
	"path/filepath"
	"sync"
	"testing"
)

const postRoute = `        Post:
          Type: Api
          Properties:
            Path: /items
            Method: post
`

// TestSnapshotInvalidatedDuringBuild saves a template while the snapshot
// is being built (the hook runs in that window): the snapshot built from
// the old text must not be installed, and the next check sees the new
// route without any further change.
func TestSnapshotInvalidatedDuringBuild(t *testing.T) {
	dir := writeTree(t, map[string]string{
		"template.yaml": miniTemplate,
		"api.http":      "GET https://a1b2c3d4e5.execute-api.us-east-1.amazonaws.com/Prod/items\n",
	})
	ws := New(dir, Options{})
	tmpl := filepath.Join(dir, "template.yaml")
	var once sync.Once
	snapshotBuilt = func() {
		once.Do(func() { ws.SetOverlay(tmpl, miniTemplate+postRoute) })
	}
	defer func() { snapshotBuilt = nil }()

	ctx := context.Background()
	ws.snapshot(ctx)
	snapshotBuilt = nil
	if got := len(ws.snapshot(ctx).Model.APIs[0].Routes); got != 2 {
		t.Errorf("routes after a save during the build = %d, want 2 (a stale snapshot was installed)", got)
	}
}

// TestSnapshotInvalidatedOnEveryBuild keeps invalidating: snapshot still
// returns (a bounded number of rebuilds), and installs nothing stale.
func TestSnapshotInvalidatedOnEveryBuild(t *testing.T) {
	dir := writeTree(t, map[string]string{"template.yaml": miniTemplate})
	ws := New(dir, Options{})
	tmpl := filepath.Join(dir, "template.yaml")
	n := 0
	snapshotBuilt = func() {
		n++
		text := miniTemplate
		if n%2 == 1 {
			text += postRoute
		}
		ws.SetOverlay(tmpl, text)
	}
	defer func() { snapshotBuilt = nil }()
	if s := ws.snapshot(context.Background()); s == nil {
		t.Fatal("snapshot returned nil")
	}
	snapshotBuilt = nil
	if n != snapshotAttempts {
		t.Errorf("builds = %d, want %d", n, snapshotAttempts)
	}
	ws.mu.Lock()
	installed := ws.snap
	ws.mu.Unlock()
	if installed != nil {
		t.Errorf("a snapshot built before the last change was installed")
	}
	want := 1 + n%2 // the overlay of the last build
	if got := len(ws.snapshot(context.Background()).Model.APIs[0].Routes); got != want {
		t.Errorf("routes = %d, want %d", got, want)
	}
}

// TestSnapshotHonoursContext: a cancelled build stops early and installs
// nothing.
func TestSnapshotHonoursContext(t *testing.T) {
	dir := writeTree(t, map[string]string{"template.yaml": miniTemplate})
	ws := New(dir, Options{})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	s := ws.snapshot(ctx)
	if s == nil || s.Model == nil {
		t.Fatal("a cancelled build must still return a usable (empty) snapshot")
	}
	if len(s.Model.APIs) != 0 {
		t.Errorf("a cancelled build parsed the template anyway: %d APIs", len(s.Model.APIs))
	}
	ws.mu.Lock()
	installed := ws.snap
	ws.mu.Unlock()
	if installed != nil {
		t.Error("a cancelled (partial) snapshot was installed")
	}
	if got := len(ws.snapshot(context.Background()).Model.APIs); got != 1 {
		t.Errorf("APIs after a full build = %d, want 1", got)
	}
}
