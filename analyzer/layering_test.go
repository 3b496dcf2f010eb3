package analyzer_test

import (
	"os/exec"
	"strings"
	"testing"
)

// TestLayering keeps the import graph pointing down: the rule framework
// knows nothing of the workspace, the editor or the terminal; what rules
// read (link) knows nothing of the framework; the parsers know nothing of
// 403s.
func TestLayering(t *testing.T) {
	const mod = "github.com/gw403/gw403-lsp/"
	forbidden := map[string][]string{
		"analyzer":           {"analyzer/workspace", "analyzer/rules", "analyzer/explain", "lsp", "cmd"},
		"analyzer/msg":       {"analyzer", "schemas"},
		"analyzer/suggest":   {"analyzer", "schemas"},
		"analyzer/link":      {"analyzer", "analyzer/workspace", "analyzer/rules", "lsp", "cmd"},
		"analyzer/rules":     {"analyzer/workspace", "analyzer/explain", "lsp", "cmd"},
		"analyzer/workspace": {"analyzer/explain", "lsp", "cmd"},
		"analyzer/explain":   {"analyzer/workspace", "lsp", "cmd"},
		"schemas/...":        {"analyzer", "lsp", "cmd"},
		"lsp":                {"cmd"},
	}
	for pkg, bad := range forbidden {
		out, err := exec.Command("go", "list", "-deps", "-f", "{{.ImportPath}}", "../"+pkg).Output()
		if err != nil {
			t.Fatalf("go list %s: %v", pkg, err)
		}
		for _, dep := range strings.Fields(string(out)) {
			rel, ok := strings.CutPrefix(dep, mod)
			if !ok {
				continue
			}
			for _, b := range bad {
				// "analyzer" forbids the root package only; the others
				// forbid a whole subtree.
				if rel == b || b != "analyzer" && b != "schemas" && strings.HasPrefix(rel, b+"/") || b == "schemas" && strings.HasPrefix(rel, "schemas/") {
					t.Errorf("%s imports %s", pkg, rel)
				}
			}
		}
	}
}
