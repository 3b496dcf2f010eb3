package bench

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/gw403/gw403-lsp/analyzer/link"
	"github.com/gw403/gw403-lsp/analyzer/workspace"
	"github.com/gw403/gw403-lsp/bench/benchgen"
	"github.com/gw403/gw403-lsp/cmd/gw403-lsp/inspect"
)

// TestGeneratedWorkspaceLinks makes sure the workspace benchmark measures
// linked requests: the generated request files reach their templates' APIs
// through .gw403.yaml ids, custom domains and unique route paths.
func TestGeneratedWorkspaceLinks(t *testing.T) {
	dir := t.TempDir()
	if err := benchgen.Write(dir, benchgen.Workspace(benchgen.WorkspaceOptions{Services: 8, Requests: 30})); err != nil {
		t.Fatal(err)
	}
	ws := workspace.New(dir, workspace.Options{})
	ins, err := inspect.Build(context.Background(), ws, []string{dir})
	if err != nil {
		t.Fatal(err)
	}
	if len(ins.APIs) != 8 {
		t.Errorf("%d APIs, want 8", len(ins.APIs))
	}
	if len(ins.Problems) != 0 {
		t.Errorf("problems: %v", ins.Problems)
	}
	evals, linked := 0, 0
	by := map[string]int{}
	for _, f := range ins.RequestFiles {
		if got := len(f.Environments); got != 2 {
			t.Errorf("%s: environments %v, want dev and prod", filepath.Base(filepath.Dir(f.Path)), f.Environments)
		}
		for _, r := range f.Requests {
			for _, e := range r.Evaluations {
				evals++
				if e.API != "" {
					linked++
					by[e.LinkedBy]++
				}
			}
		}
	}
	for _, how := range []link.LinkMethod{link.LinkConfig, link.LinkCustomDomain} {
		if by[string(how)] == 0 {
			t.Errorf("no request linked by %s (linked by: %v)", how, by)
		}
	}
	// Each service folder is a project with one API: the execute-api
	// URLs whose id no file names link to it as the project's one API.
	if by[string(link.LinkSingleAPI)]+by[string(link.LinkPathMatch)] == 0 {
		t.Errorf("no request linked as its project's one API or by path (linked by: %v)", by)
	}
	// Unlinked on purpose: unknown routes.
	if linked*10 < evals*7 {
		t.Errorf("%d of %d evaluations linked, want at least 70%%", linked, evals)
	}
}
