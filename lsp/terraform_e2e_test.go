package lsp_test

import (
	"os"
	"strings"
	"testing"

	"go.lsp.dev/protocol"

	"github.com/gw403/gw403-lsp/lsp/lsptest"
)

const tfE2E = `resource "aws_api_gateway_rest_api" "orders" {
  name = "orders"
}

resource "aws_api_gateway_method" "get_order" {
  rest_api_id      = aws_api_gateway_rest_api.orders.id
  resource_id      = aws_api_gateway_rest_api.orders.root_resource_id
  http_method      = "GET"
  authorization    = "NONE"
  api_key_required = true
}

resource "aws_api_gateway_stage" "prod" {
  rest_api_id   = aws_api_gateway_rest_api.orders.id
  deployment_id = "d"
  stage_name    = "prod"
}
`

// TestTerraformEndToEnd: over the real analyzer, a request linked to a
// Terraform method gets GW101; the hover names the method's definition;
// a change of main.tf on disk, reported through the file watcher, re-checks
// the open request.
func TestTerraformEndToEnd(t *testing.T) {
	c := lsptest.Start(t, lsptest.Config{Files: map[string]string{
		".gw403.yaml": "# workspace root\n",
		"main.tf":     tfE2E,
		"api.http":    "GET https://a1b2c3d4e5.execute-api.us-east-1.amazonaws.com/prod/\n",
	}})
	c.Initialize(lsptest.InitOptions{})
	doc := c.Open("api.http", c.ReadFile("api.http"))
	p := c.WaitVersion(doc, 1)
	if len(byCode(p.Diagnostics, "GW101")) != 1 {
		t.Fatalf("diagnostics = %+v, want one GW101", p.Diagnostics)
	}
	var h protocol.Hover
	if err := c.Call(protocol.MethodTextDocumentHover, map[string]any{
		"textDocument": map[string]any{"uri": doc}, "position": pos(0, 2),
	}, &h); err != nil {
		t.Fatal(err)
	}
	if want := "`main.tf:5` `aws_api_gateway_method.get_order`"; !strings.Contains(h.Contents.Value, want) {
		t.Errorf("hover %q lacks %q", h.Contents.Value, want)
	}
	if err := os.WriteFile(c.Path("main.tf"), []byte(strings.Replace(tfE2E, "api_key_required = true", "api_key_required = false", 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	mark := c.Mark()
	c.Notify(protocol.MethodWorkspaceDidChangeWatchedFiles, map[string]any{
		"changes": []map[string]any{{"uri": c.URI("main.tf"), "type": 2}},
	})
	c.WaitPublish(doc, mark, func(p lsptest.Publish) bool { return len(byCode(p.Diagnostics, "GW101")) == 0 })
}

// TestTerraformFileDiagnostics: an open .tf file gets its own findings
// (GW221 on a deployment without triggers), on the resource line.
func TestTerraformFileDiagnostics(t *testing.T) {
	text := tfE2E + `
resource "aws_api_gateway_deployment" "d" {
  rest_api_id = aws_api_gateway_rest_api.orders.id
}
`
	c := lsptest.Start(t, lsptest.Config{Files: map[string]string{".gw403.yaml": "# root\n", "main.tf": text}})
	c.Initialize(lsptest.InitOptions{})
	doc := c.Open("main.tf", text)
	p := c.WaitVersion(doc, 1)
	ds := byCode(p.Diagnostics, "GW221")
	if len(ds) != 1 || ds[0].Range.Start.Line != 18 {
		t.Fatalf("diagnostics = %+v, want GW221 on line 19", p.Diagnostics)
	}
}
