package workspace

import (
	"context"
	"path/filepath"
	"testing"
)

// A workspace keeps request findings only when its files are checked
// again (Options.Recheck): a single check builds no cache.
func TestRequestCacheOnlyForRecheck(t *testing.T) {
	root, _ := filepath.Abs(filepath.Join("testdata", "projects", "rest-api-keys"))
	path := filepath.Join(root, "http", "catalog.http")
	for _, recheck := range []bool{false, true} {
		w := New(root, Options{Recheck: recheck})
		for range 2 {
			if _, err := w.Check(context.Background(), path); err != nil {
				t.Fatal(err)
			}
		}
		w.mu.Lock()
		kept, fd := len(w.reqCache[path].byText), w.httpCache[path]
		w.mu.Unlock()
		if fd == nil || len(fd.HTTP.Requests) == 0 {
			t.Fatalf("Recheck %v: %s was not parsed into requests", recheck, path)
		}
		if want := map[bool]int{false: 0, true: len(fd.HTTP.Requests)}[recheck]; kept != want {
			t.Errorf("Recheck %v: %d requests kept, want %d", recheck, kept, want)
		}
	}
}
