package workspace

import (
	"context"
	"path/filepath"
	"sort"

	"github.com/gw403/gw403-lsp/analyzer/link"
)

// Dependents returns the request files of the workspace whose findings can
// change when path changes, sorted: for an API definition (a template, an
// OpenAPI document, a Terraform file, a serverless.yml, a cdk.json),
// the request files of the projects that see it (a request's project is
// the one linking uses, Snapshot.ProjectOf, and it sees the definitions of
// that folder and its sub-folders); for an env file, the request files of
// its project; for the configuration, every request file. For a request
// file or another file it returns nil.
//
// pre-commit passes only the staged files: `check --dependents` adds these,
// so a template change is checked against the requests that call it; the
// language server publishes their diagnostics without opening them.
func (w *Workspace) Dependents(ctx context.Context, path string) []string {
	path = filepath.Clean(path)
	kind := w.Kind(path)
	if !kind.HasDependents() {
		return nil
	}
	snap := w.snapshot(ctx)
	w.mu.Lock()
	files := w.listLocked()
	w.mu.Unlock()
	var out []string
	for _, f := range files {
		if f.Kind != link.KindHTTP {
			continue
		}
		var dep bool
		switch kind {
		case link.KindConfig:
			dep = true
		case link.KindEnv:
			dep = link.Within(snap.ProjectOf(path), f.Path)
		default:
			dep = link.Within(snap.ProjectOf(f.Path), path)
		}
		if dep {
			out = append(out, f.Path)
		}
	}
	sort.Strings(out)
	return out
}
