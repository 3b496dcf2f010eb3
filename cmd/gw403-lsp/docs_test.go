package main

import (
	"flag"
	"os"
	"path/filepath"
	"testing"
)

var updateDocs = flag.Bool("update-docs", false, "rewrite docs/rules.md and docs/rules.ja.md")

// TestRuleDocsUpToDate keeps docs/rules.md (the target of every
// diagnostic's codeDescription link) in step with the rules' documentation.
func TestRuleDocsUpToDate(t *testing.T) {
	for _, c := range []struct{ lang, file string }{{"en", "rules.md"}, {"ja", "rules.ja.md"}} {
		path := filepath.Join("..", "..", "docs", c.file)
		want := RulesMarkdown(c.lang)
		if *updateDocs {
			if err := os.WriteFile(path, []byte(want), 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		got, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("%v (run go test ./cmd/gw403-lsp -run TestRuleDocsUpToDate -update-docs)", err)
		}
		if string(got) != want {
			t.Errorf("docs/%s is stale: run go test ./cmd/gw403-lsp -run TestRuleDocsUpToDate -update-docs", c.file)
		}
	}
}
