package workspace

import (
	"context"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/gw403/gw403-lsp/analyzer"
	"github.com/gw403/gw403-lsp/analyzer/link"
	"github.com/gw403/gw403-lsp/analyzer/msg"
	"github.com/gw403/gw403-lsp/schemas/source"
)

const cdkStack = `{
 "Resources": {
  "Api1A2B3C4D": {
   "Type": "AWS::ApiGateway::RestApi",
   "Properties": {"Name": "orders"},
   "Metadata": {"aws:cdk:path": "%s/Api/Resource"}
  },
  "ApiDeploymentStageprodAB12": {
   "Type": "AWS::ApiGateway::Stage",
   "Properties": {"RestApiId": {"Ref": "Api1A2B3C4D"}, "StageName": "prod"}
  }
 }
}
`

func apiNames(snap *link.Snapshot) []string {
	var out []string
	for _, a := range snap.Model.APIs {
		out = append(out, a.Name+" "+filepath.Base(a.File))
	}
	sort.Strings(out)
	return out
}

// TestServerlessAndCDKSources: serverless.yml files and the synthesized
// templates of CDK apps (cdk.out is skipped by the walk and git-ignored,
// nested stage assemblies, a renamed output directory) join the model; a
// cdk.out without cdk.json is build output and stays unread.
func TestServerlessAndCDKSources(t *testing.T) {
	dir := writeTree(t, map[string]string{
		".git/HEAD":                          "ref: refs/heads/main\n",
		".gitignore":                         "cdk.out\nbuild/\n",
		"svc/serverless.yml":                 "service: shop\nprovider:\n  name: aws\nfunctions:\n  f:\n    handler: h\n    events:\n      - http: GET items\n",
		"app/cdk.json":                       `{"app": "npx ts-node bin/app.ts"}`,
		"app/cdk.out/manifest.json":          `{"version": "36.0.0"}`,
		"app/cdk.out/tree.json":              `{"version": "tree-0.1"}`,
		"app/cdk.out/AppStack.template.json": strings.ReplaceAll(cdkStack, "%s", "AppStack"),
		"app/cdk.out/assembly-Prod/ProdAppStack.template.json": strings.ReplaceAll(cdkStack, "%s", "Prod/AppStack"),
		"app2/cdk.json": `{"app": "python3 app.py", "output": "build/assembly"}`,
		"app2/build/assembly/PyStack.template.json": strings.ReplaceAll(cdkStack, "%s", "PyStack"),
		"stray/cdk.out/Old.template.json":           strings.ReplaceAll(cdkStack, "%s", "Old"),
	})
	ws := New(dir, Options{})
	snap := ws.snapshot(context.Background())
	got := strings.Join(apiNames(snap), "; ")
	want := "AppStack/Api AppStack.template.json; Prod/AppStack/Api ProdAppStack.template.json; PyStack/Api PyStack.template.json; shop serverless.yml"
	if got != want {
		t.Errorf("APIs = %s\nwant   %s", got, want)
	}
	for _, p := range []string{"app/cdk.out/AppStack.template.json", "app2/build/assembly/PyStack.template.json"} {
		fd := snap.Files[filepath.Join(dir, filepath.FromSlash(p))]
		if fd == nil || !fd.CDK {
			t.Errorf("%s: not read as a CDK template", p)
		}
	}
	if fd := snap.Files[filepath.Join(dir, "svc", "serverless.yml")]; fd == nil || fd.Kind != link.KindServerless || fd.Serverless == nil {
		t.Errorf("serverless.yml not read as a service: %+v", fd)
	}

	// The construct path names a finding in cdk.out; fixes there are dropped.
	tp := filepath.Join(dir, "app", "cdk.out", "AppStack.template.json")
	text := snap.Files[tp].Src.Text
	at := strings.Index(text, `"StageName"`)
	d := withCDKPath(snap, analyzer.Diagnostic{Path: tp, Span: source.Span{Start: at, End: at + 5}, Message: msg.T("x", "x"),
		Fixes: []analyzer.Fix{{Edits: []analyzer.Edit{{Path: tp}}}}})
	if !strings.Contains(d.Message.EN, "cdk.out is generated") || len(d.Fixes) != 0 {
		t.Errorf("stage finding: %q, %d fixes", d.Message.EN, len(d.Fixes))
	}
	at = strings.Index(text, `"orders"`)
	d = withCDKPath(snap, analyzer.Diagnostic{Path: tp, Span: source.Span{Start: at, End: at + 5}, Message: msg.T("x", "x")})
	if !strings.Contains(d.Message.EN, "CDK construct AppStack/Api/Resource;") {
		t.Errorf("api finding: %q", d.Message.EN)
	}
}

// TestServerlessParseErrorAndEdits: a malformed serverless.yml is one GW001
// at the error; an edited buffer changes the model.
func TestServerlessParseErrorAndEdits(t *testing.T) {
	bad := "service: shop\nprovider:\n  name: aws\nfunctions:\n  f:\n\thandler: h\n"
	dir := writeTree(t, map[string]string{".git/HEAD": "x", "serverless.yml": bad})
	ws := New(dir, Options{})
	p := filepath.Join(dir, "serverless.yml")
	diags, err := ws.Check(context.Background(), p)
	if err != nil {
		t.Fatal(err)
	}
	if len(diags) != 1 || diags[0].Code != "GW001" {
		t.Fatalf("diags = %+v, want one GW001", diags)
	}
	if line := strings.Count(bad[:diags[0].Span.Start], "\n") + 1; line != 6 {
		t.Errorf("GW001 on line %d, want 6 (the tab)", line)
	}
	ws.SetOverlay(p, "service: shop\nprovider:\n  name: aws\nfunctions:\n  f:\n    handler: h\n    events:\n      - http: GET items\n")
	if diags, _ := ws.Check(context.Background(), p); len(diags) != 0 {
		t.Errorf("after the edit: %+v", diags)
	}
	if got := apiNames(ws.snapshot(context.Background())); len(got) != 1 || got[0] != "shop serverless.yml" {
		t.Errorf("APIs after the edit = %v", got)
	}
}
