package link

import (
	"github.com/gw403/gw403-lsp/schemas/template"

	"github.com/gw403/gw403-lsp/schemas/yamlpos"
	"gopkg.in/yaml.v3"
)

// CDKPath returns the construct path (`aws:cdk:path` metadata) of the
// resource of t at byte offset off, or "".
func CDKPath(t *template.Template, off int) string {
	if t == nil {
		return ""
	}
	for _, r := range t.Resources {
		if off < r.Span.Start || off >= r.Span.End {
			continue
		}
		md := yamlpos.Resolve(yamlpos.Value(r.Node, "Metadata"))
		if v := yamlpos.Resolve(yamlpos.Value(md, "aws:cdk:path")); v != nil && v.Kind == yaml.ScalarNode {
			return v.Value
		}
		return ""
	}
	return ""
}
