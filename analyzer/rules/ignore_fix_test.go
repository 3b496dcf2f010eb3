package rules

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gw403/gw403-lsp/analyzer"
	"github.com/gw403/gw403-lsp/analyzer/workspace"
)

// TestIgnoreFixesSilence: for every finding of every rule fixture in a
// file that takes comments, each "ignore" fix (the request or line form,
// and the file form) silences that finding's rule there, is not safe, and
// makes no other finding appear.
func TestIgnoreFixesSilence(t *testing.T) {
	cases, _ := filepath.Glob(filepath.Join("testdata", "GW*", "fail*"))
	tried := map[string]int{}
	for _, dir := range cases {
		root, _ := filepath.Abs(dir)
		ws := workspace.New(root, workspace.Options{})
		ctx := context.Background()
		res, err := ws.CheckPaths(ctx, []string{root})
		if err != nil {
			t.Fatal(err)
		}
		count := func(r *workspace.Result) map[string]int {
			m := map[string]int{}
			for _, d := range r.Diagnostics {
				m[d.Path+" "+d.Code]++
			}
			return m
		}
		before := count(res)
		for _, d := range res.Diagnostics {
			fixes := workspace.IgnoreFixes(res.Files[d.Path], d)
			if len(fixes) == 0 {
				continue
			}
			if len(fixes) != 2 {
				t.Fatalf("%s: %d ignore fixes, want the line and the file forms", d.Code, len(fixes))
			}
			for _, f := range fixes {
				if f.Safe || !strings.Contains(f.Title.EN, d.Code) || f.Title.JA == "" {
					t.Errorf("%s: ignore fix %+v: want unsafe, titled with the code", d.Code, f)
				}
				text, err := analyzer.ApplyEdits(res.Files[d.Path].Text, f.Edits)
				if err != nil {
					t.Fatal(err)
				}
				ws.SetOverlay(d.Path, text)
				after, err := ws.CheckPaths(ctx, []string{root})
				if err != nil {
					t.Fatal(err)
				}
				ws.CloseOverlay(d.Path)
				got := count(after)
				rel, _ := filepath.Rel(root, d.Path)
				key := d.Path + " " + d.Code
				if got[key] >= before[key] {
					t.Errorf("%s %s:%s: %q left %d %s findings (%d before):\n%s", dir, rel, d.Code, f.Title.EN, got[key], d.Code, before[key], text)
				}
				for k, n := range got {
					if n > before[k] {
						t.Errorf("%s: %q made %s grow to %d", dir, f.Title.EN, k, n)
					}
				}
				tried[d.Code]++
			}
		}
	}
	// Every rule with a finding in a file that takes comments.
	for _, r := range analyzer.Rules() {
		if r.Code != "GW001" && tried[r.Code] == 0 {
			t.Logf("%s: no finding in a file that takes comments", r.Code)
		}
	}
	if len(tried) < 30 {
		t.Errorf("ignore fixes tried for %d rules, want nearly all", len(tried))
	}
	_ = os.Getenv
}
