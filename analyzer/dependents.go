package analyzer

import (
	"context"
	"path/filepath"
	"sort"
)

// Dependents returns the request files of the workspace whose findings can
// change when path changes, sorted: for a template or OpenAPI document,
// the request files of the projects that see it (a request's project is
// its nearest folder holding an API definition or project marker, and it
// sees the definitions of that folder and its sub-folders); for an env
// file, the request files of its project; for the configuration, every
// request file. For a request file or another file it returns nil.
//
// pre-commit passes only the staged files: `check --dependents` adds these,
// so a template change is checked against the requests that call it; the
// language server publishes their diagnostics without opening them.
func (w *Workspace) Dependents(ctx context.Context, path string) []string {
	path = filepath.Clean(path)
	kind := w.Kind(path)
	switch kind {
	case KindTemplate, KindOpenAPI, KindEnv, KindConfig:
	default:
		return nil
	}
	snap := w.snapshot(ctx)
	defDirs := map[string]bool{}
	for p, fd := range snap.Files {
		if fd.Kind == KindTemplate || fd.Kind == KindOpenAPI {
			defDirs[filepath.Dir(p)] = true
		}
	}
	w.mu.Lock()
	files := w.listLocked()
	w.mu.Unlock()
	for _, f := range files {
		if IsProjectMarker(filepath.Base(f.Path)) {
			defDirs[filepath.Dir(f.Path)] = true
		}
	}
	defDirs[filepath.Dir(path)] = defDirs[filepath.Dir(path)] || kind == KindTemplate || kind == KindOpenAPI
	project := func(p string) string {
		for d := filepath.Dir(p); within(w.root, d); d = filepath.Dir(d) {
			if defDirs[d] {
				return d
			}
			if d == w.root || d == filepath.Dir(d) {
				break
			}
		}
		return w.root
	}
	var out []string
	for _, f := range files {
		if f.Kind != KindHTTP {
			continue
		}
		var dep bool
		switch kind {
		case KindConfig:
			dep = true
		case KindEnv:
			dep = within(project(path), f.Path)
		default:
			dep = within(project(f.Path), path)
		}
		if dep {
			out = append(out, f.Path)
		}
	}
	sort.Strings(out)
	return out
}
