package workspace

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gw403/gw403-lsp/analyzer"
	"github.com/gw403/gw403-lsp/analyzer/link"
	"github.com/gw403/gw403-lsp/schemas/source"
)

const tfMain = `# 注文 API
resource "aws_api_gateway_rest_api" "orders" {
  name = "orders"
}

resource "aws_api_gateway_resource" "order" {
  rest_api_id = aws_api_gateway_rest_api.orders.id
  parent_id   = aws_api_gateway_rest_api.orders.root_resource_id
  path_part   = "{id}"
}

resource "aws_api_gateway_method" "get_order" {
  rest_api_id      = aws_api_gateway_rest_api.orders.id
  resource_id      = aws_api_gateway_resource.order.id
  http_method      = "GET"
  authorization    = "NONE"
  api_key_required = var.require_key
}

resource "aws_api_gateway_stage" "main" {
  rest_api_id   = aws_api_gateway_rest_api.orders.id
  deployment_id = "d"
  stage_name    = var.stage
}
`

const tfVars = `variable "stage" {
  default = "dev"
}

variable "require_key" {
  type    = bool
  default = false
}
`

func TestTerraformHoverNamesDefinition(t *testing.T) {
	req := "GET https://a1b2c3d4e5.execute-api.us-east-1.amazonaws.com/prod/ord-1\n"
	dir := writeTree(t, map[string]string{
		"infra/main.tf":          tfMain,
		"infra/variables.tf":     tfVars,
		"infra/terraform.tfvars": "stage = \"prod\"\nrequire_key = true\n",
		"api.http":               req,
	})
	ws := New(dir, Options{})
	ctx := context.Background()
	path := filepath.Join(dir, "api.http")
	h, err := ws.Hover(ctx, path, 0)
	if err != nil || h == nil {
		t.Fatalf("Hover = %v, %v", h, err)
	}
	if want := "`infra/main.tf:12` `aws_api_gateway_method.get_order`"; !strings.Contains(h.Markdown.EN, want) {
		t.Errorf("hover %q lacks %q", h.Markdown.EN, want)
	}
	diags, err := ws.Check(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	// tfvars make the key required and name the stage.
	if len(diags) != 1 || diags[0].Code != "GW101" {
		t.Fatalf("diagnostics = %v, want one GW101", diags)
	}
	links, err := ws.Links(ctx, path)
	if err != nil || len(links) != 1 || links[0].Target != filepath.Join(dir, "infra/main.tf") {
		t.Fatalf("links = %+v, %v", links, err)
	}
	src, _ := ws.Source(links[0].Target)
	if got := src.Slice(links[0].TargetSpan); got != `resource "aws_api_gateway_method" "get_order"` {
		t.Errorf("link target text %q", got)
	}
	// A .tf edit re-checks the request files.
	if got := relPaths(dir, ws.Affected(filepath.Join(dir, "infra/main.tf"))); len(got) != 1 || got[0] != "api.http" {
		t.Errorf("Affected(main.tf) = %v", got)
	}
	ws.SetOverlay(filepath.Join(dir, "infra/terraform.tfvars"), "stage = \"prod\"\nrequire_key = false\n")
	if diags, _ := ws.Check(ctx, path); len(diags) != 0 {
		t.Errorf("after the tfvars edit: %v, want none", diags)
	}
}

func TestTerraformParseErrorPosition(t *testing.T) {
	bad := "resource \"aws_api_gateway_rest_api\" \"x\" {\n  name = \"x\"\n  tags = {\n    a = \n  }\n}\n"
	dir := writeTree(t, map[string]string{
		"main.tf":          bad,
		"prod.auto.tfvars": "# 本番\r\nstage = \"prod\"\r\nregion = \r\n",
	})
	ws := New(dir, Options{})
	ctx := context.Background()
	diags, err := ws.Check(ctx, filepath.Join(dir, "main.tf"))
	if err != nil {
		t.Fatal(err)
	}
	if len(diags) != 1 || diags[0].Code != "GW001" {
		t.Fatalf("diagnostics = %v, want one GW001", diags)
	}
	src, _ := ws.Source(filepath.Join(dir, "main.tf"))
	if line := src.LineOf(diags[0].Span.Start); line != 3 && line != 4 {
		t.Errorf("GW001 on line %d (%q), want the missing value on line 4", line+1, diags[0].Message.EN)
	}
	diags, err = ws.Check(ctx, filepath.Join(dir, "prod.auto.tfvars"))
	if err != nil {
		t.Fatal(err)
	}
	if len(diags) != 1 || diags[0].Code != "GW001" {
		t.Fatalf("tfvars diagnostics = %v, want one GW001", diags)
	}
	src, _ = ws.Source(filepath.Join(dir, "prod.auto.tfvars"))
	if got := src.LineOf(diags[0].Span.Start); got != 2 {
		t.Errorf("tfvars GW001 on line %d, want 3", got+1)
	}
	if ws.Kind(filepath.Join(dir, "main.tf")) != link.KindTerraform {
		t.Errorf("main.tf is not link.KindTerraform")
	}
}

func TestTerraformUnsafeFixesDropped(t *testing.T) {
	dir := writeTree(t, map[string]string{"main.tf": "locals {\n  a = \"x\"\n}\n"})
	ws := New(dir, Options{})
	snap := ws.snapshot(context.Background())
	p := filepath.Join(dir, "main.tf")
	good := analyzer.Fix{Edits: []analyzer.Edit{{Path: p, Span: spanOf(t, snap, p, `"x"`), NewText: `"y"`}}}
	bad := analyzer.Fix{Edits: []analyzer.Edit{{Path: p, Span: spanOf(t, snap, p, `"x"`), NewText: `y: z`}}}
	got := terraformSafeFixes(snap, []analyzer.Fix{bad, good})
	if len(got) != 1 || got[0].Edits[0].NewText != `"y"` {
		t.Errorf("kept %+v, want only the fix that parses", got)
	}
}

func spanOf(t *testing.T, snap *link.Snapshot, path, s string) source.Span {
	t.Helper()
	text := snap.Files[path].Src.Text
	i := strings.Index(text, s)
	if i < 0 {
		t.Fatalf("no %q", s)
	}
	return source.Span{Start: i, End: i + len(s)}
}

func TestTerraformConfigLinksByAddress(t *testing.T) {
	two := tfMain + `
resource "aws_api_gateway_rest_api" "admin" {
  name = "admin"
}

resource "aws_api_gateway_method" "admin_any" {
  rest_api_id   = aws_api_gateway_rest_api.admin.id
  resource_id   = aws_api_gateway_rest_api.admin.root_resource_id
  http_method   = "ANY"
  authorization = "AWS_IAM"
}
`
	dir := writeTree(t, map[string]string{
		"infra/main.tf":      two,
		"infra/variables.tf": tfVars,
		".gw403.yaml":        "apis:\n  admin:\n    template: infra/main.tf\n    resource: aws_api_gateway_rest_api.admin\n    ids: [adm1n2b3c4]\n",
		"api.http":           "GET https://adm1n2b3c4.execute-api.us-east-1.amazonaws.com/dev/x\n",
	})
	ws := New(dir, Options{})
	diags, err := ws.Check(context.Background(), filepath.Join(dir, "api.http"))
	if err != nil {
		t.Fatal(err)
	}
	// Linked to the admin API by its id (its only method is ANY /).
	if len(diags) != 1 || diags[0].Code != "GW121" || !strings.Contains(diags[0].Message.EN, "aws_api_gateway_rest_api.admin has no resource /x") {
		t.Errorf("diagnostics = %v, want GW121 on the admin API", diags)
	}
}

func TestTerraformParseReused(t *testing.T) {
	dir := writeTree(t, map[string]string{"a.tf": tfMain, "variables.tf": tfVars, "api.http": "GET https://a1b2c3d4e5.execute-api.us-east-1.amazonaws.com/prod/x\n"})
	ws := New(dir, Options{})
	ctx := context.Background()
	a, v := filepath.Join(dir, "a.tf"), filepath.Join(dir, "variables.tf")
	s1 := ws.snapshot(ctx)
	ws.SetOverlay(v, tfVars+"\n# edited\n")
	s2 := ws.snapshot(ctx)
	if s1 == s2 {
		t.Fatal("the edit did not make a new snapshot")
	}
	if s1.Files[a].Terraform != s2.Files[a].Terraform {
		t.Errorf("a.tf was parsed again although its text did not change")
	}
	if s1.Files[v].Terraform == s2.Files[v].Terraform {
		t.Errorf("variables.tf was not parsed again after its edit")
	}
}
