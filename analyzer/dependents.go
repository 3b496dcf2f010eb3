package analyzer

import (
	"context"
	"path/filepath"
	"sort"
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
		if f.Kind != KindHTTP {
			continue
		}
		var dep bool
		switch kind {
		case KindConfig:
			dep = true
		case KindEnv:
			dep = Within(snap.ProjectOf(path), f.Path)
		default:
			dep = Within(snap.ProjectOf(f.Path), path)
		}
		if dep {
			out = append(out, f.Path)
		}
	}
	sort.Strings(out)
	return out
}

// HasDependents reports whether a change to a file of kind k can change
// the findings of request files (Dependents names them): an API definition
// (a template, an OpenAPI document, Terraform, a serverless.yml, a CDK
// app's cdk.json), an env file or the configuration.
func (k FileKind) HasDependents() bool {
	switch k {
	case KindTemplate, KindOpenAPI, KindTerraform, KindServerless, KindCDKApp, KindEnv, KindConfig:
		return true
	}
	return false
}
