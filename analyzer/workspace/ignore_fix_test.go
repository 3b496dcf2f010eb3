package workspace

import (
	"strings"
	"testing"

	"github.com/gw403/gw403-lsp/analyzer"
	"github.com/gw403/gw403-lsp/schemas/source"
)

func TestIgnoreFixesText(t *testing.T) {
	at := func(text, sub string) source.Span {
		i := strings.Index(text, sub)
		return source.Span{Start: i, End: i + len(sub)}
	}
	apply := func(src *source.File, f analyzer.Fix) string {
		out, err := analyzer.ApplyEdits(src.Text, f.Edits)
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	// A request file with a BOM, CRLF and a Japanese title: the comment goes
	// above the request line, the file form after the BOM.
	http := "\ufeff### 注文一覧\r\n# @name list\r\nGET https://a.execute-api.us-east-1.amazonaws.com/items\r\nx-apikey: k\r\n"
	src := source.NewFile("/w/api.http", http)
	fixes := IgnoreFixes(src, analyzer.Diagnostic{Path: src.Path, Code: "GW102", Span: at(http, "x-apikey")})
	if len(fixes) != 2 {
		t.Fatalf("fixes = %+v", fixes)
	}
	if got, want := apply(src, fixes[0]), "\ufeff### 注文一覧\r\n# @name list\r\n# gw403-ignore: GW102 <reason>\r\nGET https://a.execute-api.us-east-1.amazonaws.com/items\r\nx-apikey: k\r\n"; got != want {
		t.Errorf("request form:\n%q\nwant\n%q", got, want)
	}
	if fixes[0].Title.EN != "Ignore GW102 for this request" || fixes[1].Title.EN != "Ignore GW102 in this file" {
		t.Errorf("titles = %q, %q", fixes[0].Title.EN, fixes[1].Title.EN)
	}
	if got := apply(src, fixes[1]); !strings.HasPrefix(got, "\ufeff# gw403-ignore-file: GW102 <reason>\r\n### 注文一覧") {
		t.Errorf("file form: %q", got)
	}
	// A template: the line above the finding, indented like it.
	yaml := "Resources:\n  Api:\n    Properties:\n      ApiKeySourceType: AUTHORIZER\n      Policy: |\n        {\"Effect\": \"Deny\"}\n"
	tsrc := source.NewFile("/w/template.yaml", yaml)
	fixes = IgnoreFixes(tsrc, analyzer.Diagnostic{Path: tsrc.Path, Code: "GW205", Span: at(yaml, "AUTHORIZER")})
	if got := apply(tsrc, fixes[0]); !strings.Contains(got, "    Properties:\n      # gw403-ignore: GW205 <reason>\n      ApiKeySourceType") || fixes[0].Title.EN != "Ignore GW205 for this line" {
		t.Errorf("template line form (%s):\n%s", fixes[0].Title.EN, got)
	}
	// Inside a block scalar a comment would be text: only the file form.
	if fixes = IgnoreFixes(tsrc, analyzer.Diagnostic{Path: tsrc.Path, Code: "GW212", Span: at(yaml, "Deny")}); len(fixes) != 1 || !strings.Contains(fixes[0].Title.EN, "file") {
		t.Errorf("in a block scalar: %+v, want the file form only", fixes)
	}
	// JSON takes no comments.
	jsrc := source.NewFile("/w/http-client.env.json", `{"dev": {"apiKey": "abc"}}`)
	if fixes = IgnoreFixes(jsrc, analyzer.Diagnostic{Path: jsrc.Path, Code: "GW502", Span: at(jsrc.Text, "abc")}); len(fixes) != 0 {
		t.Errorf("JSON: %+v, want none", fixes)
	}
}

// TestIgnoreFixesExtend: an existing gw403-ignore comment of the request
// (or of the file) gets the code added, before its reason.
func TestIgnoreFixesExtend(t *testing.T) {
	http := "# gw403-ignore-file: GW502 keys are fake\n\n### a\n# gw403-ignore: GW101 partner sandbox has no keys\nGET https://a.execute-api.us-east-1.amazonaws.com/items\nx-apikey: k\n"
	src := source.NewFile("/w/api.http", http)
	i := strings.Index(http, "x-apikey")
	fixes := IgnoreFixes(src, analyzer.Diagnostic{Path: src.Path, Code: "GW102", Span: source.Span{Start: i, End: i + 8}})
	if len(fixes) != 2 {
		t.Fatalf("fixes = %+v", fixes)
	}
	for k, want := range []string{
		"# gw403-ignore: GW101, GW102 partner sandbox has no keys\n",
		"# gw403-ignore-file: GW502, GW102 keys are fake\n",
	} {
		out, err := analyzer.ApplyEdits(http, fixes[k].Edits)
		if err != nil || !strings.Contains(out, want) || strings.Count(out, "gw403-ignore") != 2 {
			t.Errorf("%s:\n%s\nwant a line %q", fixes[k].Title.EN, out, want)
		}
		sups := suppressions(source.NewFile(src.Path, out))
		found := false
		for _, s := range sups {
			for _, c := range s.codes {
				found = found || c == "GW102"
			}
		}
		if !found {
			t.Errorf("%s: the parser does not read GW102 in %q", fixes[k].Title.EN, out)
		}
	}
}
