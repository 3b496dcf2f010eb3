package lsp_test

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"go.lsp.dev/protocol"

	"github.com/gw403/gw403-lsp/analyzer"
	_ "github.com/gw403/gw403-lsp/analyzer/rules"
	"github.com/gw403/gw403-lsp/analyzer/workspace"
	"github.com/gw403/gw403-lsp/lsp/lsptest"
)

// TestFixAllMatchesCheckFix: on every rule fixture with a golden, the
// editor's source.fixAll (asked document by document until none is left)
// and the fix loop of `check --fix` (analyzer.ChooseFixes round by round)
// leave byte-identical files, equal to the goldens (but for fixtures whose
// goldens also apply unsafe fixes).
func TestFixAllMatchesCheckFix(t *testing.T) {
	cases, _ := filepath.Glob(filepath.Join("..", "analyzer", "rules", "testdata", "GW*", "*"))
	n := 0
	for _, dir := range cases {
		goldens, _ := filepath.Glob(filepath.Join(dir, "*.golden"))
		sub, _ := filepath.Glob(filepath.Join(dir, "*", "*.golden"))
		if len(goldens)+len(sub) == 0 {
			continue
		}
		// A fixture with a FIXES file has goldens that apply unsafe fixes
		// too, which neither does: the two are compared with each other.
		_, err := os.Stat(filepath.Join(dir, "FIXES"))
		unsafeGoldens := err == nil
		n++
		code := filepath.Base(filepath.Dir(dir))
		t.Run(code+"/"+filepath.Base(dir), func(t *testing.T) {
			t.Parallel()
			cli := checkFixResult(t, dir, code)
			editor := fixAllResult(t, dir, code)
			for rel, want := range cli {
				if got := editor[rel]; got != want {
					t.Errorf("%s: source.fixAll and check --fix differ:\nfixAll:\n%s\ncheck --fix:\n%s", rel, got, want)
				}
				golden, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(rel)+".golden"))
				if err == nil && !unsafeGoldens && string(golden) != want {
					t.Errorf("%s: check --fix differs from its golden", rel)
				}
			}
		})
	}
	if n < 90 {
		t.Fatalf("%d fixtures with goldens, want them all", n)
	}
}

// onlyRule is a .gw403.yaml line that disables every rule but code, as
// the rule fixtures are checked.
func onlyRule(code string) string {
	var off []string
	for _, r := range analyzer.Rules() {
		if r.Code != code && r.Code != "GW001" {
			off = append(off, r.Code)
		}
	}
	return "rules:\n  disable: [" + strings.Join(off, ", ") + "]\n"
}

// fixtureFiles copies a fixture (without goldens and FIXES/WANT files)
// with a configuration that runs only code, and returns its files.
func fixtureFiles(t *testing.T, dir, code string) map[string]string {
	t.Helper()
	files := map[string]string{}
	_ = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || strings.HasSuffix(p, ".golden") {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		data, err := os.ReadFile(p)
		files[filepath.ToSlash(rel)] = string(data)
		return err
	})
	cfg := files[".gw403.yaml"]
	if strings.Contains(cfg, "rules:") {
		t.Skip("the fixture configures rules itself")
	}
	files[".gw403.yaml"] = cfg + onlyRule(code)
	return files
}

// checkFixResult is what `check --fix` does, round by round.
func checkFixResult(t *testing.T, dir, code string) map[string]string {
	t.Helper()
	root := t.TempDir()
	if real, err := filepath.EvalSymlinks(root); err == nil {
		root = real
	}
	files := fixtureFiles(t, dir, code)
	lsptest.WriteFiles(t, root, files)
	ws := workspace.New(root, workspace.Options{})
	ctx := context.Background()
	for round := 0; round < 10; round++ {
		res, err := ws.CheckPaths(ctx, []string{root})
		if err != nil {
			t.Fatal(err)
		}
		plan := analyzer.ChooseFixes(res.Diagnostics, false)
		if plan.Fixes == 0 {
			break
		}
		for p, edits := range plan.Edits {
			text, err := analyzer.ApplyEdits(res.Files[p].Text, edits)
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
				t.Fatal(err)
			}
			ws.FileChanged(p)
		}
	}
	out := map[string]string{}
	for rel := range files {
		data, _ := os.ReadFile(filepath.Join(root, filepath.FromSlash(rel)))
		out[rel] = string(data)
	}
	return out
}

// fixAllResult opens every file of the fixture in a real server and asks
// each for source.fixAll, applying the answers to the buffers, until no
// document has anything left to fix.
func fixAllResult(t *testing.T, dir, code string) map[string]string {
	t.Helper()
	files := fixtureFiles(t, dir, code)
	c := lsptest.Start(t, lsptest.Config{Files: files})
	c.Initialize(lsptest.InitOptions{})
	var rels []string
	for rel := range files {
		rels = append(rels, rel)
	}
	sort.Strings(rels)
	text := map[string]string{}
	byURI := map[protocol.DocumentURI]string{}
	for _, rel := range rels {
		u := c.Open(rel, files[rel])
		text[rel], byURI[u] = files[rel], rel
		c.WaitVersion(u, 1)
	}
	for pass := 0; pass < 10; pass++ {
		changed := false
		for _, rel := range rels {
			u := c.URI(rel)
			c.WaitVersion(u, c.Version(u))
			actions := codeActions(t, c, u, rng(0, 0, 0, 0), nil, "source.fixAll")
			if len(actions) == 0 {
				continue
			}
			for _, dc := range actions[0].Edit.DocumentChanges {
				r, ok := byURI[dc.TextDocument.URI]
				if !ok {
					t.Fatalf("fixAll edits %s, which is not open", dc.TextDocument.URI)
				}
				if dc.TextDocument.Version == nil || *dc.TextDocument.Version != c.Version(dc.TextDocument.URI) {
					t.Fatalf("fixAll edit of %s for version %v, the buffer is at %d", r, dc.TextDocument.Version, c.Version(dc.TextDocument.URI))
				}
				text[r] = applyEdits(t, text[r], dc.Edits)
				c.Change(dc.TextDocument.URI, lsptest.Full(text[r]))
			}
			changed = true
		}
		if !changed {
			break
		}
	}
	return text
}
