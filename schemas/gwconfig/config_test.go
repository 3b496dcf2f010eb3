package gwconfig

import (
	"fmt"
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

// TestSpans: keys and values are located by yamlpos, so comments, quotes
// with escapes, flow collections, CRLF line ends and Japanese text before
// and inside values all give the token's bytes.
func TestSpans(t *testing.T) {
	text := "# 設定ファイル（日本語のコメント）\r\n" +
		"apis:\r\n" +
		"  注文:   # 日本語の名前\r\n" +
		"    template: \"インフラ/テンプレート.yaml\" # 引用符つき\r\n" +
		"    openapi: 'api/o''k.yaml'\r\n" +
		"environment: 開発 # コメント\r\n" +
		"rules:\r\n" +
		"  disable: [GW152, \"GW1\\\"01\", nosuch, 規則]\r\n" +
		"  severity: {gw181: 情報, GW999: off}\r\n"
	src := source.NewFile(".gw403.yaml", text)
	c, problems := Parse(src)
	if len(problems) != 1 || !strings.Contains(problems[0].Message, "both a template and an OpenAPI") {
		t.Fatalf("Parse problems = %v, want the template-and-openapi one", problems)
	}
	a := c.API("注文")
	if a == nil {
		t.Fatalf("API(注文) = nil in %+v", c.APIs)
	}
	checks := []struct {
		what string
		sp   source.Span
		want string
	}{
		{"problem", problems[0].Span, "注文"},
		{"NameSpan", a.NameSpan, "注文"},
		{"TemplateSpan", a.TemplateSpan, `"インフラ/テンプレート.yaml"`},
		{"OpenAPISpan", a.OpenAPISpan, `'api/o''k.yaml'`},
		{"Span", a.Span, "template: \"インフラ/テンプレート.yaml\" # 引用符つき\r\n    openapi: 'api/o''k.yaml'"},
		{"SeveritySpans[GW181]", c.SeveritySpans["GW181"], "情報"},
		{"SeverityKeySpans[GW181]", c.SeverityKeySpans["GW181"], "gw181"},
		{"SeverityKeySpans[GW999]", c.SeverityKeySpans["GW999"], "GW999"},
	}
	for i, want := range []string{"GW152", `"GW1\"01"`, "nosuch", "規則"} {
		if i < len(c.DisableSpans) {
			checks = append(checks, struct {
				what string
				sp   source.Span
				want string
			}{fmt.Sprintf("DisableSpans[%d]", i), c.DisableSpans[i], want})
		}
	}
	if len(c.DisableSpans) != 4 {
		t.Errorf("DisableSpans = %v, want 4", c.DisableSpans)
	}
	for _, ck := range checks {
		if got := src.Slice(ck.sp); got != ck.want {
			t.Errorf("%s = %v slices to %q, want %q", ck.what, ck.sp, got, ck.want)
		}
	}
	if a.Template != "インフラ/テンプレート.yaml" || a.OpenAPI != "api/o'k.yaml" || c.Environment != "開発" {
		t.Errorf("values = %q %q %q", a.Template, a.OpenAPI, c.Environment)
	}
}

// TestProblemSpans: a problem about a scalar covers its token; one about a
// mapping or list is an empty span where it starts.
func TestProblemSpans(t *testing.T) {
	text := "environment: [開発, b]\r\napis: 一覧 # コメント\r\nrules: ['規則']\r\n"
	src := source.NewFile(".gw403.yaml", text)
	_, problems := Parse(src)
	want := []struct{ at, slice string }{
		{"environment: ", ""},
		{"environment: [開発, b]\r\napis: ", "一覧"},
		{"environment: [開発, b]\r\napis: 一覧 # コメント\r\nrules: ", ""},
	}
	if len(problems) != len(want) {
		t.Fatalf("Parse problems = %v, want %d", problems, len(want))
	}
	for i, w := range want {
		sp := problems[i].Span
		if sp.Start != len(w.at) || src.Slice(sp) != w.slice {
			t.Errorf("problem %d (%s) span = %v (%q), want start %d slicing to %q", i, problems[i].Message, sp, src.Slice(sp), len(w.at), w.slice)
		}
	}
}
