package workspace

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"

	"github.com/gw403/gw403-lsp/analyzer"
	"github.com/gw403/gw403-lsp/analyzer/link"
	"github.com/gw403/gw403-lsp/schemas/gwconfig"
)

// configProblems checks what .gw403.yaml names against the rule catalog
// and the workspace: severity levels, rule codes, and the files of apis
// entries. Each problem is on the key or value at fault, says what is
// wrong and what is allowed; the rest of the configuration still counts.
func configProblems(cfg *gwconfig.Config, root string, files map[string]*link.FileData) []link.Problem {
	if cfg == nil {
		return nil
	}
	var out []link.Problem
	// The catalog is registered by the rules package; a program that
	// loads none has no codes to check against.
	catalog := false
	for _, r := range analyzer.Rules() {
		catalog = catalog || r != analyzer.ParseError
	}
	codes := make([]string, 0, len(cfg.Severity))
	for code := range cfg.Severity {
		codes = append(codes, code)
	}
	sort.Strings(codes)
	for _, code := range codes {
		if !catalog {
			break
		}
		if r := analyzer.Lookup(code); r == nil {
			out = append(out, link.Problem{Span: cfg.SeverityKeySpans[code], Message: fmt.Sprintf("rules.severity: unknown rule %q (the codes are listed by 'gw403-lsp rules'; the entry is ignored)", code)})
			continue
		} else if r.Code != code {
			out = append(out, link.Problem{Span: cfg.SeverityKeySpans[code], Message: fmt.Sprintf("rules.severity: write the rule code %s, not its slug (the entry is ignored)", r.Code)})
			continue
		}
		if _, err := analyzer.ParseSeverity(cfg.Severity[code]); err != nil {
			out = append(out, link.Problem{Span: cfg.SeveritySpans[code], Message: fmt.Sprintf("rules.severity of %s: %q is not a severity (want error, warning, info or off; the rule keeps its default)", code, cfg.Severity[code])})
		}
	}
	for i, c := range cfg.Disable {
		if !catalog {
			break
		}
		known := false
		for _, r := range analyzer.Rules() {
			if r.Matches([]string{c}) {
				known = true
				break
			}
		}
		if !known && i < len(cfg.DisableSpans) {
			out = append(out, link.Problem{Span: cfg.DisableSpans[i], Message: fmt.Sprintf("rules.disable: %q names no rule (want a code such as GW152, a code prefix such as GW15, a slug, or all)", c)})
		}
	}
	for _, a := range cfg.APIs {
		for _, f := range []struct{ key, path string }{{"template", a.Template}, {"openapi", a.OpenAPI}} {
			if f.path == "" {
				continue
			}
			p := filepath.Clean(filepath.Join(root, filepath.FromSlash(f.path)))
			if files[p] != nil {
				continue
			}
			sp := a.TemplateSpan
			if f.key == "openapi" {
				sp = a.OpenAPISpan
			}
			if _, err := os.Stat(p); err != nil {
				out = append(out, link.Problem{Span: sp, Message: fmt.Sprintf("apis.%s.%s: %q does not exist (the path is relative to the workspace root; the API is not linked through this entry)", a.Name, f.key, f.path)})
			}
		}
	}
	return out
}
