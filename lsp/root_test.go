package lsp_test

import (
	"os"
	"testing"

	"go.lsp.dev/protocol"

	"github.com/gw403/gw403-lsp/lsp/lsptest"
)

// rootFiles is a project whose request file sits in requests/ beside its
// env file, with the template one folder up: the layout where the nearest
// marker (the env file) is the wrong root.
func rootFiles() map[string]string {
	return map[string]string{
		"svc/template.yaml": `AWSTemplateFormatVersion: "2010-09-09"
Transform: AWS::Serverless-2016-10-31
Resources:
  Api:
    Type: AWS::Serverless::Api
    Properties:
      StageName: prod
      Auth:
        ApiKeyRequired: true
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Handler: index.handler
      Runtime: nodejs20.x
      InlineCode: "exports.handler = async () => ({statusCode: 200})"
      Events:
        Get:
          Type: Api
          Properties:
            RestApiId: !Ref Api
            Path: /orders
            Method: get
`,
		"svc/requests/http-client.env.json": `{"dev": {"host": "https://a1b2c3d4e5.execute-api.us-east-1.amazonaws.com"}}`,
		"svc/requests/orders.http":          "GET {{host}}/prod/orders\n",
	}
}

// TestRootRule: whatever root the client sends (the request's own folder,
// as Neovim's nearest-marker root_dir does; none at all; several folders),
// the server roots the workspace of an opened file by the root rule and
// sees the template one folder up: GW101 (no API key) is reported.
func TestRootRule(t *testing.T) {
	for _, tc := range []struct {
		name string
		init lsptest.InitOptions
	}{
		{"client root is requests/", lsptest.InitOptions{Folders: []string{"svc/requests"}}},
		{"no root (single-file mode)", lsptest.InitOptions{NoRoot: true}},
		{"several folders", lsptest.InitOptions{Folders: []string{"other", "svc/requests"}}},
		{"root above the project", lsptest.InitOptions{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			files := rootFiles()
			files["other/x.http"] = "GET http://localhost:3000/x\n"
			c := lsptest.Start(t, lsptest.Config{Files: files})
			c.Initialize(tc.init)
			doc := c.Open("svc/requests/orders.http", files["svc/requests/orders.http"])
			p := c.WaitVersion(doc, 1)
			if len(byCode(p.Diagnostics, "GW101")) != 1 {
				t.Errorf("diagnostics = %s, want GW101 (the template in svc/ requires an API key)", codes(p.Diagnostics))
			}
			other := c.Open("other/x.http", files["other/x.http"])
			if p := c.WaitVersion(other, 1); len(p.Diagnostics) != 0 {
				t.Errorf("other/x.http: %s, want nothing", codes(p.Diagnostics))
			}
		})
	}
}

// TestRootMarkerCreated: a template created above an open request file
// (reported by the client's file watcher) moves the file's root there.
func TestRootMarkerCreated(t *testing.T) {
	files := rootFiles()
	tpl := files["svc/template.yaml"]
	delete(files, "svc/template.yaml")
	c := lsptest.Start(t, lsptest.Config{Files: files})
	c.Initialize(lsptest.InitOptions{Folders: []string{"svc/requests"}})
	doc := c.Open("svc/requests/orders.http", files["svc/requests/orders.http"])
	if p := c.WaitVersion(doc, 1); len(byCode(p.Diagnostics, "GW101")) != 0 {
		t.Fatalf("diagnostics = %s before the template exists", codes(p.Diagnostics))
	}
	mark := c.Mark()
	lsptest.WriteFiles(t, c.Dir, map[string]string{"svc/template.yaml": tpl})
	c.Notify(protocol.MethodWorkspaceDidChangeWatchedFiles, map[string]any{
		"changes": []map[string]any{{"uri": c.URI("svc/template.yaml"), "type": 1}},
	})
	c.WaitPublish(doc, mark, func(p lsptest.Publish) bool { return len(byCode(p.Diagnostics, "GW101")) == 1 })
}

func removeFile(path string) error { return os.Remove(path) }
