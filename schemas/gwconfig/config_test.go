package gwconfig

import (
	"strings"
	"testing"

	"github.com/gw403/gw403-lsp/schemas/source"
)

func TestParse(t *testing.T) {
	text := "# プロジェクト設定\r\n" +
		"apis:\r\n" +
		"  orders:\r\n" +
		"    template: infra/template.yaml\r\n" +
		"    resource: OrdersApi\r\n" +
		"    ids: [a1b2c3d4e5, \"z9y8x7w6v5\"]\r\n" +
		"    region: ap-northeast-1\r\n" +
		"  legacy:\r\n" +
		"    openapi: api/legacy.yaml\r\n" +
		"    hosts: api.example.jp\r\n" +
		"environment: dev\r\n" +
		"rules:\r\n" +
		"  disable: [GW152]\r\n" +
		"  severity: { gw181: info }\r\n"
	c, problems := Parse(source.NewFile(".gw403.yaml", text))
	if len(problems) != 0 {
		t.Fatalf("Parse problems = %v, want none", problems)
	}
	o := c.API("orders")
	if o == nil || o.Template != "infra/template.yaml" || o.Resource != "OrdersApi" || o.Region != "ap-northeast-1" {
		t.Fatalf("API(orders) = %+v", o)
	}
	if strings.Join(o.IDs, ",") != "a1b2c3d4e5,z9y8x7w6v5" {
		t.Errorf("orders.IDs = %v", o.IDs)
	}
	if got := c.Src.Slice(o.NameSpan); got != "orders" {
		t.Errorf("NameSpan slices to %q, want orders", got)
	}
	l := c.API("legacy")
	if l == nil || l.OpenAPI != "api/legacy.yaml" || len(l.Hosts) != 1 || l.Hosts[0] != "api.example.jp" {
		t.Errorf("API(legacy) = %+v", l)
	}
	if c.Environment != "dev" || len(c.Disable) != 1 || c.Disable[0] != "GW152" || c.Severity["GW181"] != "info" {
		t.Errorf("Config = env %q disable %v severity %v", c.Environment, c.Disable, c.Severity)
	}
	if got := c.Src.Slice(c.SeveritySpans["GW181"]); got != "info" {
		t.Errorf("severity span slices to %q, want info", got)
	}
}

func TestParseProblems(t *testing.T) {
	tests := []struct {
		name, text string
		want       []string // substrings of problem messages, and the text each span covers
		spans      []string
	}{
		{"unknown top key", "apis: {}\nenviron: dev\n", []string{`unknown key "environ"`}, []string{"environ"}},
		{"unknown api key", "apis:\n  a:\n    templat: t.yaml\n", []string{`unknown key "templat"`}, []string{"templat"}},
		{"both template and openapi", "apis:\n  a:\n    template: t.yaml\n    openapi: o.yaml\n", []string{"both a template and an OpenAPI"}, []string{"a"}},
		{"syntax error", "apis:\n  a: [\n", []string{"yaml:"}, nil},
		{"not a mapping", "- a\n- b\n", []string{"must be a mapping"}, nil},
		{"wrong type", "environment: [a, b]\n", []string{"want a string"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := source.NewFile(".gw403.yaml", tt.text)
			_, problems := Parse(src)
			if len(problems) != len(tt.want) {
				t.Fatalf("Parse(%q) problems = %v, want %d", tt.text, problems, len(tt.want))
			}
			for i, w := range tt.want {
				if !strings.Contains(problems[i].Message, w) {
					t.Errorf("problem %d = %q, want it to contain %q", i, problems[i].Message, w)
				}
				if i < len(tt.spans) {
					if got := src.Slice(problems[i].Span); got != tt.spans[i] {
						t.Errorf("problem %d span slices to %q, want %q", i, got, tt.spans[i])
					}
				}
			}
		})
	}
}

func FuzzParse(f *testing.F) {
	f.Add("apis:\n  a:\n    ids: [x]\nrules:\n  severity: {GW101: off}\n")
	f.Add("environment: 開発\r\n")
	f.Add("&a [*a, *a]")
	f.Fuzz(func(t *testing.T, text string) {
		src := source.NewFile(".gw403.yaml", text)
		_, problems := Parse(src)
		for _, p := range problems {
			if p.Span.Start < 0 || p.Span.End > len(text) || p.Span.Start > p.Span.End {
				t.Fatalf("problem span %v out of bounds for %d bytes", p.Span, len(text))
			}
		}
	})
}
