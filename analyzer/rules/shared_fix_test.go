package rules

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gw403/gw403-lsp/analyzer"
	"github.com/gw403/gw403-lsp/analyzer/workspace"
)

const sharedTemplate = `AWSTemplateFormatVersion: "2010-09-09"
Transform: AWS::Serverless-2016-10-31
Resources:
  ItemsApi:
    Type: AWS::Serverless::Api
    Properties:
      StageName: v1
      OpenApiVersion: "3.0.1"
  ItemsFunction:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: nodejs20.x
      Handler: index.handler
      CodeUri: src/
      Events:
        List:
          Type: Api
          Properties:
            RestApiId: !Ref ItemsApi
            Path: /items
            Method: get
`

const sharedHost = "https://abc123defg.execute-api.us-east-1.amazonaws.com"

// sharedRequests is five requests that are right and the paths of the
// last one.
func sharedRequests(last string) string {
	var b strings.Builder
	for i := 1; i <= 5; i++ {
		fmt.Fprintf(&b, "### %d\nGET {{host}}/v1/items\n\n", i)
	}
	fmt.Fprintf(&b, "### broken\nGET {{host}}%s\n", last)
	return b.String()
}

// sharedWorkspaces are the same six requests with {{host}} defined in
// each place a variable can live.
func sharedWorkspaces(last string) map[string]map[string]string {
	reqs := sharedRequests(last)
	right, broken, _ := strings.Cut(reqs, "### broken")
	return map[string]map[string]string{
		"JetBrains env file, other request file": {
			"items.http":           "### broken" + broken,
			"more/others.http":     right,
			"http-client.env.json": `{"dev": {"host": "` + sharedHost + `"}}` + "\n",
		},
		"REST Client file variable": {"items.http": "@host = " + sharedHost + "\n\n" + reqs},
		"JetBrains env file": {
			"items.http":           reqs,
			"http-client.env.json": `{"dev": {"host": "` + sharedHost + `"}, "prod": {"host": "` + sharedHost + `"}}` + "\n",
		},
		"httpyac dotenv":             {"items.http": reqs, ".env": "host=" + sharedHost + "\n", ".httpyac.json": "{}\n"},
		"REST Client settings":       {"items.http": reqs, ".vscode/settings.json": `{"rest-client.environmentVariables": {"$shared": {"host": "` + sharedHost + `"}}}` + "\n"},
		"httpyac environment dotenv": {"items.http": reqs, ".env.dev": "host=" + sharedHost + "\n", ".httpyac.json": "{}\n", ".gw403.yaml": "environment: dev\n"},
	}
}

func checkShared(t *testing.T, files map[string]string) (string, *workspace.Workspace, *workspace.Result) {
	t.Helper()
	dir := t.TempDir()
	files["template.yaml"] = sharedTemplate
	for name, text := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	ws := workspace.New(dir, workspace.Options{})
	res, err := ws.CheckPaths(context.Background(), []string{dir})
	if err != nil {
		t.Fatal(err)
	}
	return dir, ws, res
}

// TestSharedVariableFix: one request of six writes {{host}}/items where
// the five others write {{host}}/v1/items. Its GW131 has exactly one safe
// fix, which touches only its own request line; inserting the stage into
// the shared definition is offered as unsafe, naming the five requests it
// would change. The same in both dialects and every place a variable
// lives.
func TestSharedVariableFix(t *testing.T) {
	for name, files := range sharedWorkspaces("/items") {
		t.Run(name, func(t *testing.T) {
			dir, _, res := checkShared(t, files)
			var d *analyzer.Diagnostic
			for i := range res.Diagnostics {
				if res.Diagnostics[i].Code == "GW131" {
					if d != nil {
						t.Fatalf("two GW131: %+v", res.Diagnostics)
					}
					d = &res.Diagnostics[i]
				} else {
					t.Errorf("unexpected %s: %s", res.Diagnostics[i].Code, res.Diagnostics[i].Message.EN)
				}
			}
			if d == nil {
				t.Fatalf("no GW131: %+v", res.Diagnostics)
			}
			safe := 0
			for _, f := range d.Fixes {
				if !f.Safe {
					continue
				}
				safe++
				src := res.Files[d.Path]
				line := src.LineOf(d.Span.Start)
				for _, e := range f.Edits {
					if e.Path != d.Path || src.LineOf(e.Span.Start) != line {
						t.Errorf("safe fix %q edits %s at %v, outside its request line", f.Title.EN, e.Path, e.Span)
					}
				}
				out, _ := analyzer.ApplyEdits(src.Text, f.Edits)
				if !strings.HasSuffix(out, "GET {{host}}/v1/items\n") {
					t.Errorf("after the safe fix:\n%s", out)
				}
			}
			if safe != 1 || !d.Fixes[0].Safe || !d.Fixes[0].Preferred {
				t.Errorf("fixes = %+v, want exactly one safe fix, first and preferred", d.Fixes)
			}
			if len(d.Fixes) != 2 || d.Fixes[1].Safe || !strings.Contains(d.Fixes[1].Title.EN, "(unsafe: also changes 5 other requests)") {
				t.Errorf("fixes = %+v, want the shared edit second, unsafe, naming 5 other requests", d.Fixes)
			}
			_ = dir
		})
	}
}

// TestSharedVariableFixEveryoneNeedsIt: when every request using {{host}}
// lacks the stage, the shared definition is the right place: one safe fix
// there per request, the same edit, and fixing leaves every request right.
func TestSharedVariableFixEveryoneNeedsIt(t *testing.T) {
	files := map[string]string{"items.http": "@host = " + sharedHost + "\n\n### a\nGET {{host}}/items\n\n### b\nGET {{host}}/items\n"}
	dir, ws, res := checkShared(t, files)
	var edit *analyzer.Edit
	n := 0
	for _, d := range res.Diagnostics {
		if d.Code != "GW131" {
			continue
		}
		n++
		if len(d.Fixes) != 1 || !d.Fixes[0].Safe || len(d.Fixes[0].Edits) != 1 {
			t.Fatalf("fixes = %+v, want one safe fix", d.Fixes)
		}
		e := d.Fixes[0].Edits[0]
		if edit != nil && *edit != e {
			t.Errorf("the two requests' fixes differ: %+v and %+v", *edit, e)
		}
		edit = &e
	}
	if n != 2 {
		t.Fatalf("%d GW131, want 2", n)
	}
	plan := analyzer.ChooseFixes(res.Diagnostics, false)
	p := filepath.Join(dir, "items.http")
	out, err := analyzer.ApplyEdits(res.Files[p].Text, plan.Edits[p])
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(out, "@host = "+sharedHost+"/v1\n") || strings.Contains(out, "/v1/items") {
		t.Errorf("fixed:\n%s", out)
	}
	ws.SetOverlay(p, out)
	again, _ := ws.CheckPaths(context.Background(), []string{dir})
	if len(again.Diagnostics) != 0 {
		t.Errorf("after fixing: %+v", again.Diagnostics)
	}
}

// TestSharedEnvValueEveryoneNeedsIt: requests in two files read {{host}}
// from the env file and all lack the stage: the env value is the right
// place, and its edit stays the one safe fix of each.
func TestSharedEnvValueEveryoneNeedsIt(t *testing.T) {
	files := map[string]string{
		"a.http":               "### a\nGET {{host}}/items\n",
		"sub/b.http":           "### b\nGET {{host}}/items\n\n### c\nGET {{host}}/items?all=1\n",
		"http-client.env.json": `{"dev": {"host": "` + sharedHost + `"}}` + "\n",
	}
	dir, _, res := checkShared(t, files)
	env := filepath.Join(dir, "http-client.env.json")
	n := 0
	for _, d := range res.Diagnostics {
		if d.Code != "GW131" {
			t.Errorf("unexpected %s: %s", d.Code, d.Message.EN)
			continue
		}
		n++
		if len(d.Fixes) != 1 || !d.Fixes[0].Safe || d.Fixes[0].Edits[0].Path != env {
			t.Errorf("%s: fixes = %+v, want the env value's edit, safe", d.Message.EN, d.Fixes)
		}
	}
	if n != 3 {
		t.Errorf("%d GW131, want 3", n)
	}
}
