package apimodel

import (
	"strings"
	"testing"
	"time"

	"github.com/gw403/gw403-lsp/schemas/openapi"
	"github.com/gw403/gw403-lsp/schemas/source"
	"github.com/gw403/gw403-lsp/schemas/terraform"
)

// tfBuild parses files (path → text) and builds the model.
func tfBuild(t *testing.T, files map[string]string) (*Model, map[string]*source.File) {
	t.Helper()
	var tfs []*terraform.File
	var docs []*openapi.Doc
	srcs := map[string]*source.File{}
	for p, text := range files {
		src := source.NewFile(p, text)
		srcs[p] = src
		if terraform.IsTerraformName(p) {
			f, problems := terraform.Parse(src)
			if len(problems) > 0 {
				t.Fatalf("%s: %v", p, problems)
			}
			tfs = append(tfs, f)
			continue
		}
		d, problems := openapi.Load(src)
		if len(problems) > 0 {
			t.Fatalf("%s: %v", p, problems)
		}
		docs = append(docs, d)
	}
	return Build(nil, docs, Options{Terraform: terraform.Load(tfs)}), srcs
}

func tfText(srcs map[string]*source.File, l Loc) string {
	if l.IsZero() {
		return ""
	}
	return srcs[l.Path].Slice(l.Span)
}

func tfAPI(t *testing.T, m *Model, name string) *API {
	t.Helper()
	for _, a := range m.APIs {
		if a.Name == name {
			return a
		}
	}
	var names []string
	for _, a := range m.APIs {
		names = append(names, a.Name)
	}
	t.Fatalf("no API %s (have %v)", name, names)
	return nil
}

func routeList(a *API) string {
	var out []string
	for _, r := range a.Routes {
		s := r.Method + " " + r.Path + " " + string(r.Auth.Type)
		if r.Auth.APIKeyRequired {
			s += "+key"
		}
		out = append(out, s)
	}
	return strings.Join(out, ", ")
}

func TestTerraformResourcesModulesAndVariables(t *testing.T) {
	m, srcs := tfBuild(t, map[string]string{
		"infra/main.tf": `
locals {
  paths = { list = "items", admin = "admin" }
}

resource "aws_api_gateway_rest_api" "shop" {
  name = "shop"
  endpoint_configuration {
    types            = [upper(var.endpoint)]
    vpc_endpoint_ids = ["vpce-0123456789abcdef0"]
  }
  disable_execute_api_endpoint = false
}

resource "aws_api_gateway_resource" "top" {
  for_each    = local.paths
  rest_api_id = aws_api_gateway_rest_api.shop.id
  parent_id   = aws_api_gateway_rest_api.shop.root_resource_id
  path_part   = each.value
}

resource "aws_api_gateway_resource" "item" {
  rest_api_id = aws_api_gateway_rest_api.shop.id
  parent_id   = aws_api_gateway_resource.top["list"].id
  path_part   = "{id}"
}

resource "aws_api_gateway_method" "get_item" {
  count            = 2
  rest_api_id      = aws_api_gateway_rest_api.shop.id
  resource_id      = aws_api_gateway_resource.item.id
  http_method      = ["GET", "DELETE"][count.index]
  authorization    = count.index == 0 ? "NONE" : "CUSTOM"
  authorizer_id    = aws_api_gateway_authorizer.token.id
  api_key_required = true
}

resource "aws_api_gateway_authorizer" "token" {
  name            = "token"
  rest_api_id     = aws_api_gateway_rest_api.shop.id
  identity_source = "method.request.header.X-Token"
}

resource "aws_api_gateway_method" "admin" {
  rest_api_id   = aws_api_gateway_rest_api.shop.id
  resource_id   = aws_api_gateway_resource.top["admin"].id
  http_method   = "ANY"
  authorization = "AWS_IAM"
}

resource "aws_api_gateway_method" "from_data" {
  rest_api_id   = aws_api_gateway_rest_api.shop.id
  resource_id   = data.aws_api_gateway_resource.legacy.id
  http_method   = "GET"
  authorization = "NONE"
}

module "stages" {
  source      = "./modules/stage"
  rest_api_id = aws_api_gateway_rest_api.shop.id
  name        = var.stage
}

resource "aws_api_gateway_domain_name" "shop" {
  domain_name = "shop.example.com"
}

resource "aws_api_gateway_base_path_mapping" "shop" {
  api_id      = aws_api_gateway_rest_api.shop.id
  domain_name = aws_api_gateway_domain_name.shop.domain_name
  stage_name  = module.stages.stage_name
  base_path   = "v1"
}
`,
		"infra/variables.tf": `
variable "endpoint" {
  default = "regional"
}
variable "stage" {
  default = "dev"
}
`,
		"infra/terraform.tfvars":      `endpoint = "private"`,
		"infra/zz.auto.tfvars":        `stage = "prod"`,
		"infra/modules/stage/main.tf": "variable \"rest_api_id\" {}\nvariable \"name\" {}\n\nresource \"aws_api_gateway_stage\" \"this\" {\n  rest_api_id   = var.rest_api_id\n  deployment_id = \"x\"\n  stage_name    = var.name\n}\n\noutput \"stage_name\" {\n  value = aws_api_gateway_stage.this.stage_name\n}\n",
	})
	a := tfAPI(t, m, "aws_api_gateway_rest_api.shop")
	if a.Region != "" {
		t.Errorf("region %q without a provider", a.Region)
	}
	if a.Origin != Terraform || a.EndpointType != Private || tfText(srcs, a.EndpointLoc) != "types            = [upper(var.endpoint)]" {
		t.Errorf("endpoint %s at %q", a.EndpointType, tfText(srcs, a.EndpointLoc))
	}
	if len(a.VpcEndpointIDs) != 1 || !a.VpcEndpointIDs[0].Known {
		t.Errorf("vpce ids %+v", a.VpcEndpointIDs)
	}
	if got, want := routeList(a), "GET /items/{id} NONE+key, DELETE /items/{id} TOKEN+key, ANY /admin AWS_IAM"; got != want {
		t.Errorf("routes = %s, want %s", got, want)
	}
	// The method whose resource comes from a data source is undecided.
	if a.RoutesKnown {
		t.Errorf("RoutesKnown with a data source resource id")
	}
	if r := a.Routes[1]; r.Auth.Authorizer == nil || len(r.Auth.Authorizer.Identity) != 1 || r.Auth.Authorizer.Identity[0].Name != "X-Token" {
		t.Errorf("DELETE authorizer %+v", r.Auth.Authorizer)
	}
	if got := tfText(srcs, a.Routes[0].Loc); got != `resource "aws_api_gateway_method" "get_item"` {
		t.Errorf("route loc %q", got)
	}
	if a.Routes[0].Def != "aws_api_gateway_method.get_item[0]" {
		t.Errorf("route def %q", a.Routes[0].Def)
	}
	if got := tfText(srcs, a.Routes[0].Auth.APIKeyLoc); got != "api_key_required = true" {
		t.Errorf("api key loc %q", got)
	}
	// The module's stage, named by the auto.tfvars value through the call.
	if len(a.Stages) != 1 || a.Stages[0].Name != "prod" || a.Stages[0].Loc.Path != "infra/modules/stage/main.tf" {
		t.Fatalf("stages %+v", a.Stages)
	}
	if len(m.Domains) != 1 || len(m.Domains[0].Mappings) != 1 {
		t.Fatalf("domains %+v", m.Domains)
	}
	mp := m.Domains[0].Mappings[0]
	if mp.API != a || mp.Stage != "prod" || mp.BasePath != "v1" || tfText(srcs, mp.Loc) != `base_path   = "v1"` {
		t.Errorf("mapping %+v at %q", mp, tfText(srcs, mp.Loc))
	}
}

func TestTerraformJSONEncodeBody(t *testing.T) {
	text := `resource "aws_api_gateway_rest_api" "reports" {
  name = "reports"
  body = jsonencode({
    openapi = "3.0.1"
    info    = { title = "reports", version = "1" }
    components = {
      securitySchemes = {
        sigv4 = {
          type                           = "apiKey"
          name                           = "Authorization"
          in                             = "header"
          "x-amazon-apigateway-authtype" = "awsSigv4"
        }
      }
    }
    paths = {
      "/reports/{id}" = {
        get = {
          security = [{ sigv4 = [] }]
        }
      }
      (local.extra) = {
        post = {}
      }
    }
  })
}

resource "aws_api_gateway_rest_api_policy" "reports" {
  rest_api_id = aws_api_gateway_rest_api.reports.id
  policy      = <<-EOT
    {
      "Version": "2012-10-17",
      "Statement": [{
        "Effect": "Allow",
        "Principal": "*",
        "Action": "execute-api:Invoke",
        "Resource": "execute-api:/*"
      }]
    }
  EOT
}

locals {
  extra = "/extra"
}

provider "aws" {
  region = "eu-west-1"
}

resource "aws_apigatewayv2_api" "http" {
  name          = "http"
  protocol_type = "HTTP"
  body          = file("${path.module}/http.yaml")
}

resource "aws_apigatewayv2_stage" "default" {
  api_id = aws_apigatewayv2_api.http.id
  name   = "$default"
}

resource "aws_apigatewayv2_route" "extra" {
  api_id             = aws_apigatewayv2_api.http.id
  route_key          = "POST /jobs"
  authorization_type = "JWT"
}
`
	m, srcs := tfBuild(t, map[string]string{
		"api.tf":    text,
		"http.yaml": "openapi: 3.0.1\ninfo: {title: http, version: '1'}\npaths:\n  /health:\n    get: {}\n",
	})
	a := tfAPI(t, m, "aws_api_gateway_rest_api.reports")
	if got, want := routeList(a), "GET /reports/{id} AWS_IAM, POST /extra NONE"; got != want {
		t.Errorf("routes = %s, want %s", got, want)
	}
	if got := tfText(srcs, a.Routes[0].Loc); got != "get" {
		t.Errorf("route loc %q", got)
	}
	if got := tfText(srcs, a.Routes[0].Auth.Loc); got != "sigv4" {
		t.Errorf("auth loc %q", got)
	}
	if a.DefinitionFile != "api.tf" {
		t.Errorf("definition file %q", a.DefinitionFile)
	}
	p := a.Policy
	if p == nil || !p.Known || len(p.Statements) != 1 || p.Statements[0].Effect != "Allow" {
		t.Fatalf("policy %+v", p)
	}
	if got := tfText(srcs, p.Statements[0].EffectLoc); got != `"Allow"` {
		t.Errorf("effect loc %q", got)
	}
	if a.Region != "eu-west-1" {
		t.Errorf("region %q, want the provider's literal eu-west-1", a.Region)
	}
	h := tfAPI(t, m, "aws_apigatewayv2_api.http")
	if h.Kind != HTTP || h.DefinitionFile != "http.yaml" || routeList(h) != "GET /health NONE, POST /jobs JWT" || h.StageNamed("$default") == nil {
		t.Errorf("http api %s %q %s %+v", h.Kind, h.DefinitionFile, routeList(h), h.Stages)
	}
	for _, x := range m.APIs {
		if x.Origin == OpenAPI {
			t.Errorf("http.yaml is also a standalone API")
		}
	}
}

func TestTerraformUndecided(t *testing.T) {
	m, _ := tfBuild(t, map[string]string{
		"main.tf": `
variable "stage" {}

resource "aws_api_gateway_rest_api" "a" {
  name = "a"
  body = data.template_file.api.rendered
}

resource "aws_api_gateway_stage" "s" {
  rest_api_id   = aws_api_gateway_rest_api.a.id
  deployment_id = "x"
  stage_name    = var.stage
}

resource "aws_api_gateway_rest_api" "b" {
  name = "b"
}

variable "domain" {}
variable "api_id" {}

resource "aws_api_gateway_rest_api" "c" {
  name = "c"
}

resource "aws_api_gateway_method" "elsewhere" {
  rest_api_id   = var.api_id
  resource_id   = "abc"
  http_method   = "GET"
  authorization = "NONE"
}

resource "aws_api_gateway_domain_name" "d" {
  domain_name = var.domain
}

resource "aws_api_gateway_base_path_mapping" "m" {
  api_id      = aws_api_gateway_rest_api.a.id
  domain_name = aws_api_gateway_domain_name.d.domain_name
}

module "routes" {
  source      = "git::https://example.com/modules/routes.git"
  rest_api_id = aws_api_gateway_rest_api.b.id
}
`,
	})
	a := tfAPI(t, m, "aws_api_gateway_rest_api.a")
	if a.RoutesKnown || a.StagesKnown {
		t.Errorf("a: RoutesKnown %v StagesKnown %v, want both false", a.RoutesKnown, a.StagesKnown)
	}
	// A domain whose name is not known still has its mapping.
	if len(m.Domains) != 1 || m.Domains[0].Name.Known || len(m.Domains[0].Mappings) != 1 || m.Domains[0].Mappings[0].API != a {
		t.Errorf("domains %+v", m.Domains)
	}
	c := tfAPI(t, m, "aws_api_gateway_rest_api.c")
	if c.RoutesKnown {
		t.Errorf("c: a method of an API given by a variable may be c's")
	}
	b := tfAPI(t, m, "aws_api_gateway_rest_api.b")
	if b.RoutesKnown || b.StagesKnown || !b.Exported {
		t.Errorf("b: a remote module may add routes and stages: %+v", b)
	}
}

// FuzzTerraformBuild: any Terraform text builds a model without panicking.
func FuzzTerraformBuild(f *testing.F) {
	f.Add(`resource "aws_api_gateway_rest_api" "a" {
  body = jsonencode({ paths = { "/x" = { get = { security = [{ k = [] }] } } }, components = { securitySchemes = { k = { type = "apiKey", name = "x-api-key", in = "header" } } } })
  policy = <<EOT
{"Statement": [{"Effect": "Deny", "Principal": "*", "Action": "execute-api:Invoke", "Resource": "*"}]}
EOT
}
resource "aws_api_gateway_method" "m" {
  for_each = toset(["GET", "POST"])
  rest_api_id = aws_api_gateway_rest_api.a.id
  resource_id = aws_api_gateway_rest_api.a.root_resource_id
  http_method = each.key
  authorization = "CUSTOM"
  authorizer_id = aws_api_gateway_authorizer.z.id
}
resource "aws_api_gateway_authorizer" "z" { rest_api_id = aws_api_gateway_rest_api.a.id }
resource "aws_api_gateway_deployment" "d" { rest_api_id = aws_api_gateway_rest_api.a.id }
`)
	f.Add(`resource "aws_apigatewayv2_api" "h" { protocol_type = "HTTP" target = "arn" route_key = "GET /x" }
resource "aws_apigatewayv2_domain_name" "d" { domain_name = "a.example.com" }
resource "aws_apigatewayv2_api_mapping" "m" { api_id = aws_apigatewayv2_api.h.id domain_name = aws_apigatewayv2_domain_name.d.id stage = "$default" }
resource "aws_wafv2_web_acl" "w" { default_action { block {} } }
resource "aws_wafv2_web_acl_association" "a" { web_acl_arn = aws_wafv2_web_acl.w.arn resource_arn = "x" }
`)
	f.Fuzz(func(t *testing.T, text string) {
		done := make(chan struct{})
		go func() {
			defer close(done)
			f, _ := terraform.Parse(source.NewFile("main.tf", text))
			Build(nil, nil, Options{Terraform: terraform.Load([]*terraform.File{f})})
		}()
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			panic("Build takes more than 5 s")
		}
	})
}

// TestTerraformBodyPositionsAfterEmoji: positions inside jsonencode() stay
// right after characters HCL and yaml.v3 count differently (a flag emoji
// is one grapheme cluster, two runes).
func TestTerraformBodyPositionsAfterEmoji(t *testing.T) {
	text := "resource \"aws_api_gateway_rest_api\" \"a\" {\n  body = jsonencode({ info = { title = \"🇯🇵 注文\" }, paths = { \"/x\" = { get = {} } } })\n}\n"
	m, srcs := tfBuild(t, map[string]string{"main.tf": text})
	a := tfAPI(t, m, "aws_api_gateway_rest_api.a")
	if len(a.Routes) != 1 || tfText(srcs, a.Routes[0].Loc) != "get" {
		t.Fatalf("routes %+v at %q", a.Routes, tfText(srcs, a.Routes[0].Loc))
	}
}

func TestTerraformBrokenFileUndecided(t *testing.T) {
	var tfs []*terraform.File
	for p, text := range map[string]string{
		"api.tf":     "resource \"aws_api_gateway_rest_api\" \"a\" {\n  name = \"a\"\n}\n",
		"methods.tf": "resource \"aws_api_gateway_method\" \"m\" {\n  rest_api_id = aws_api_gateway_rest_api.a.id\n  http_method = \n}\n",
	} {
		f, _ := terraform.Parse(source.NewFile(p, text))
		tfs = append(tfs, f)
	}
	m := Build(nil, nil, Options{Terraform: terraform.Load(tfs)})
	a := tfAPI(t, m, "aws_api_gateway_rest_api.a")
	if a.RoutesKnown || a.StagesKnown || !a.Exported {
		t.Errorf("an API beside a file with a syntax error: %+v, want routes and stages undecided", a)
	}
}
