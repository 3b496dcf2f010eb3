package analyzer

import (
	"os"
	"path/filepath"
	"strings"

	"github.com/gw403/gw403-lsp/schemas/gwconfig"
)

// FindRoot returns the workspace root of path (a file or a directory), by
// the rule of DESIGN.md "Projects inside a workspace": the nearest ancestor
// that holds a .gw403.yaml; else the nearest that holds .git; else the
// nearest that holds an API definition or project marker (template.y*ml,
// serverless.y*ml, cdk.json, *.tf, samconfig.toml); else the path's own
// folder (the directory itself, or a file's directory). The working
// directory plays no part. path must be absolute.
func FindRoot(path string) string {
	path = filepath.Clean(path)
	start := path
	if fi, err := os.Stat(path); err != nil || !fi.IsDir() {
		start = filepath.Dir(path)
	}
	for _, has := range []func(dir string) bool{hasConfigFile, hasGit, hasProjectMarker} {
		if d, ok := nearestAncestor(start, has); ok {
			return d
		}
	}
	return start
}

// nearestAncestor returns the first of dir and its ancestors for which
// has is true.
func nearestAncestor(dir string, has func(string) bool) (string, bool) {
	for d := dir; ; d = filepath.Dir(d) {
		if has(d) {
			return d, true
		}
		if d == filepath.Dir(d) {
			return "", false
		}
	}
}

func exists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

func hasConfigFile(dir string) bool {
	for _, name := range gwconfig.FileNames {
		if exists(filepath.Join(dir, name)) {
			return true
		}
	}
	return false
}

func hasGit(dir string) bool { return exists(filepath.Join(dir, ".git")) }

// IsProjectMarker reports whether a file name marks a project folder: a
// SAM/CloudFormation template, a Serverless Framework file, a CDK app,
// Terraform or samconfig.toml.
func IsProjectMarker(name string) bool {
	switch strings.ToLower(name) {
	case "template.yaml", "template.yml", "serverless.yaml", "serverless.yml", "cdk.json", "samconfig.toml":
		return true
	}
	return strings.HasSuffix(name, ".tf")
}

func hasProjectMarker(dir string) bool {
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
