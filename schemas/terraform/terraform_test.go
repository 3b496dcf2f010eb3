package terraform

import (
	"testing"

	"github.com/gw403/gw403-lsp/schemas/source"
)

func load(t testing.TB, files map[string]string) *Config {
	var fs []*File
	for p, text := range files {
		f, _ := Parse(source.NewFile(p, text))
		fs = append(fs, f)
	}
	return Load(fs)
}

func TestCyclesStayUnknown(t *testing.T) {
	cfg := load(t, map[string]string{
		"m/main.tf": `
locals {
  a = local.b
  b = "${local.a}-x"
}
resource "aws_api_gateway_resource" "r" {
  rest_api_id = "x"
  parent_id   = aws_api_gateway_resource.r.id
  path_part   = local.a
}
module "self" {
  source = "./"
  x      = module.self.y
}
output "y" {
  value = local.b
}
`,
	})
	if len(cfg.Resources) == 0 {
		t.Fatal("no resources")
	}
	r := cfg.Resources[0]
	if s, ok, _ := r.Str(nil, "path_part"); ok {
		t.Errorf("path_part of a cycle = %q, want unknown", s)
	}
	// A resource that refers to itself (Terraform rejects it) is unknown.
	if s, ok, _ := r.Str(nil, "parent_id"); ok {
		t.Errorf("parent_id = %q, want unknown", s)
	}
}

func TestRefMarkers(t *testing.T) {
	addr, attr, ok := ParseRef(Ref(`module.a.aws_x.y["k"]`, "root_resource_id"))
	if !ok || addr != `module.a.aws_x.y["k"]` || attr != "root_resource_id" {
		t.Errorf("ParseRef = %q %q %v", addr, attr, ok)
	}
	if _, _, ok := ParseRef("${a.id}/${b.id}"); ok {
		t.Errorf("two markers parsed as one")
	}
}

func TestLiteralAt(t *testing.T) {
	text := "resource \"t\" \"n\" {\n  a = \"lit\"\n  b = var.x\n  c = [\"x\", \"y\"]\n  d = jsonencode({ k = \"v\", w = var.y })\n}\n"
	f, problems := Parse(source.NewFile("x.tf", text))
	if len(problems) > 0 {
		t.Fatal(problems)
	}
	at := func(s string) source.Span {
		for i := 0; i+len(s) <= len(text); i++ {
			if text[i:i+len(s)] == s {
				return source.Span{Start: i, End: i + len(s)}
			}
		}
		t.Fatalf("no %q", s)
		return source.Span{}
	}
	for _, c := range []struct {
		sub  string
		want bool
	}{{`a = "lit"`, true}, {"b = var.x", false}, {`c = ["x", "y"]`, true}, {`"v"`, true}, {"var.y", false}} {
		lit, found := f.LiteralAt(at(c.sub))
		if !found || lit != c.want {
			t.Errorf("LiteralAt(%q) = %v %v, want %v", c.sub, lit, found, c.want)
		}
	}
}

func FuzzLoad(f *testing.F) {
	f.Add("resource \"aws_api_gateway_rest_api\" \"a\" {\n  body = jsonencode({ paths = { \"/x\" = { get = {} } } })\n}\n")
	f.Add("locals { a = [for x in var.y : x] }\nmodule \"m\" { source = \"./m\" }\n")
	f.Add("resource \"a\" \"b\" {\n count = -1\n for_each = 3\n}\n")
	f.Add("variable \"x\" { default = { a = [1, 2] } }\nresource \"aws_api_gateway_stage\" \"s\" { stage_name = var.x.a[5] }\n")
	f.Fuzz(func(t *testing.T, text string) {
		cfg := load(t, map[string]string{"main.tf": text, "terraform.tfvars": text})
		for _, r := range cfg.Resources {
			for _, a := range r.Block.Body.Attributes {
				r.Document(a)
			}
		}
	})
}

func TestIDReferenced(t *testing.T) {
	for _, c := range []struct {
		expr string
		want bool
	}{
		{"aws_api_gateway_rest_api.a.id", true},
		{"aws_api_gateway_rest_api.a", true},
		{`aws_api_gateway_rest_api.a["k"].id`, true},
		{"aws_api_gateway_rest_api.a[*].id", true},
		{"aws_api_gateway_rest_api.a.execution_arn", false},
		{`"${aws_api_gateway_rest_api.a.execution_arn}/*"`, false},
		{"aws_api_gateway_rest_api.b.id", false},
	} {
		f, problems := Parse(source.NewFile("x.tf", "output \"o\" {\n  value = "+c.expr+"\n}\n"))
		if len(problems) > 0 {
			t.Fatal(problems)
		}
		if got := IDReferenced(f.Body.Blocks[0].Body, "aws_api_gateway_rest_api.a"); got != c.want {
			t.Errorf("IDReferenced(%s) = %v, want %v", c.expr, got, c.want)
		}
	}
}

func TestQuoteParsesBack(t *testing.T) {
	for _, s := range []string{"prod", `a"b\c`, "${x}", "%{ if }", "改行\nあり\t"} {
		text := "locals {\n  v = " + Quote(s) + "\n}\n"
		f, problems := Parse(source.NewFile("q.tf", text))
		if len(problems) > 0 {
			t.Fatalf("%q: %v", s, problems)
		}
		a := f.AttributeAt(len("locals {\n  "))
		if a == nil {
			t.Fatalf("%q: no attribute at v", s)
		}
		v, diags := a.Expr.Value(nil)
		if diags.HasErrors() || v.AsString() != s {
			t.Errorf("Quote(%q) reads back as %#v %v", s, v, diags)
		}
	}
}

func TestInstanceBudget(t *testing.T) {
	defer func(n int) { MaxInstances = n }(MaxInstances)
	MaxInstances = 50
	cfg := load(t, map[string]string{"main.tf": `
resource "aws_api_gateway_resource" "a" {
  count     = 40
  path_part = "a${count.index}"
}
resource "aws_api_gateway_resource" "b" {
  for_each  = toset([for i in range(30) : tostring(i)])
  path_part = each.key
}
`})
	undecided := 0
	for _, r := range cfg.Resources {
		if r.Undecided {
			undecided++
		}
	}
	if len(cfg.Resources) != 41 || undecided != 1 {
		t.Errorf("%d instances, %d undecided; want 40 + 1 undecided", len(cfg.Resources), undecided)
	}
}

func TestRangeBounded(t *testing.T) {
	cfg := load(t, map[string]string{"main.tf": "resource \"aws_api_gateway_resource\" \"a\" {\n  path_part = length(range(100000000))\n  parent_id = length(range(3))\n}\n"})
	r := cfg.Resources[0]
	if s, ok, _ := r.Str(nil, "path_part"); ok {
		t.Errorf("length(range(1e8)) = %s, want unknown", s)
	}
	if s, ok, _ := r.Str(nil, "parent_id"); !ok || s != "3" {
		t.Errorf("length(range(3)) = %q %v", s, ok)
	}
}
