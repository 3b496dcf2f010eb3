package workspace_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	_ "github.com/gw403/gw403-lsp/analyzer/rules"
	"github.com/gw403/gw403-lsp/analyzer/workspace"
	"github.com/gw403/gw403-lsp/cmd/gw403-lsp/inspect"
	"github.com/gw403/gw403-lsp/schemas/source"
)

// TestRealisticProjectsAreClean checks whole projects of the kinds AWS
// publishes in its serverless samples, written correctly: a REST API with
// keys, a private API, a custom domain, an HTTP API with JWT, IAM auth,
// Lambda authorizers. Every rule runs; none may fire, and every request
// must be understood (linked) except local ones.
func TestRealisticProjectsAreClean(t *testing.T) {
	dirs, err := os.ReadDir(filepath.Join("testdata", "projects"))
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range dirs {
		if !d.IsDir() {
			continue
		}
		name := d.Name()
		t.Run(name, func(t *testing.T) {
			root, _ := filepath.Abs(filepath.Join("testdata", "projects", name))
			ws := workspace.New(root, workspace.Options{})
			ctx := context.Background()
			res, err := ws.CheckPaths(ctx, []string{root})
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Checked) < 2 {
				t.Errorf("checked %d files, want the template and the requests", len(res.Checked))
			}
			for _, diag := range res.Diagnostics {
				line := 0
				if src := res.Files[diag.Path]; src != nil {
					line = src.Position(diag.Span.Start, source.Runes).Line + 1
				}
				rel, _ := filepath.Rel(root, diag.Path)
				t.Errorf("%s:%d: false positive %s %s: %s", rel, line, diag.Code, diag.Slug, diag.Message.EN)
			}
			ins, err := inspect.Build(ctx, ws, []string{root})
			if err != nil {
				t.Fatal(err)
			}
			n := 0
			for _, f := range ins.RequestFiles {
				for _, r := range f.Requests {
					for _, e := range r.Evaluations {
						n++
						if e.HostKind != "local" && (e.API == "" || e.Route == "") {
							t.Errorf("%s:%d [%s] %s: not linked to a route (%s)", f.Path, r.Line, e.Env, e.URL, e.Why)
						}
					}
				}
			}
			if n == 0 {
				t.Errorf("no request evaluated")
			}
		})
	}
}
