package workspace

import (
	"context"
	"os"
	"path/filepath"
	"strings"

	"github.com/gw403/gw403-lsp/analyzer/link"
	"github.com/gw403/gw403-lsp/schemas/gwconfig"
)

// FindRoot returns the workspace root for path (a file or a directory,
// absolute or relative to the working directory), as an absolute path
// (DESIGN.md, "Projects inside a workspace"): the nearest ancestor of
// path's folder that holds a .gw403.yaml; else the nearest that holds
// .git; else the nearest that holds an API definition or a project marker
// (template.yaml, serverless.yml, cdk.json, *.tf, samconfig.toml); else the
// path's own folder. The working directory never counts by accident:
// `check /tmp/x/a.http` run from / walks /tmp/x, not /.
func FindRoot(path string) string {
	abs, err := filepath.Abs(path)
	if err != nil {
		abs = filepath.Clean(path)
	}
	start := abs
	if fi, err := os.Stat(abs); err != nil || !fi.IsDir() {
		start = filepath.Dir(abs) // a file, or a buffer not saved yet
	}
	for _, holds := range []func(dir string) bool{holdsConfig, holdsGit, holdsProjectMarker} {
		for d := start; ; d = filepath.Dir(d) {
			if holds(d) {
				return d
			}
			if d == filepath.Dir(d) {
				break
			}
		}
	}
	return start
}

func holdsConfig(dir string) bool {
	for _, n := range gwconfig.FileNames {
		if fileExists(filepath.Join(dir, n)) {
			return true
		}
	}
	return false
}

func holdsGit(dir string) bool {
	_, err := os.Stat(filepath.Join(dir, ".git")) // a directory, or a file in a worktree
	return err == nil
}

// holdsProjectMarker reports whether dir holds a project marker or a file
// named like an API definition. Only names are read, never contents.
func holdsProjectMarker(dir string) bool {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return false
	}
	for _, e := range entries {
		if !e.IsDir() && IsProjectMarker(e.Name()) {
			return true
		}
	}
	return false
}

// IsProjectMarker reports whether a file name marks the folder that holds
// it as a project: a SAM/CloudFormation template by its usual name, a
// .gw403.yaml, samconfig.toml, a Serverless Framework file, a CDK app or
// Terraform files.
func IsProjectMarker(name string) bool {
	n := strings.ToLower(name)
	switch n {
	case "template.yaml", "template.yml", "template.json", "serverless.yml", "serverless.yaml",
		"cdk.json", "samconfig.toml", "samconfig.yaml", "samconfig.yml", ".gw403.yaml", ".gw403.yml":
		return true
	}
	return strings.HasSuffix(n, ".tf")
}

func fileExists(p string) bool {
	fi, err := os.Stat(p)
	return err == nil && !fi.IsDir()
}

// ProjectOf returns the project of path (a file of the workspace).
func (w *Workspace) ProjectOf(path string) string {
	return w.snapshot(context.Background()).ProjectOf(filepath.Clean(path))
}

// marksProject reports whether a walked file makes its folder a project by
// its name alone (templates and OpenAPI documents count once read).
func marksProject(f walkedFile) bool {
	if f.Marker || f.Kind == link.KindConfig {
		return true
	}
	// serverless.yml, cdk.json, *.tf, also once they are read as files
	// of their own kind; a template.yaml counts only if it is a template.
	return !f.Candidate && IsProjectMarker(filepath.Base(f.Path)) || isServerlessName(filepath.Base(f.Path))
}

func isServerlessName(base string) bool {
	b := strings.ToLower(base)
	return b == "serverless.yml" || b == "serverless.yaml"
}

// GroupByRoot groups paths (absolute) by their workspace root (FindRoot),
// keeping the order in which roots are first met: `check a b` with a and
// b in different repositories checks each in its own workspace rather
// than walking their common ancestor.
func GroupByRoot(paths []string) (roots []string, byRoot map[string][]string) {
	byRoot = map[string][]string{}
	for _, p := range paths {
		r := FindRoot(p)
		if _, ok := byRoot[r]; !ok {
			roots = append(roots, r)
		}
		byRoot[r] = append(byRoot[r], p)
	}
	return roots, byRoot
}
