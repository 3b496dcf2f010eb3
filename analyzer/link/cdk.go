package link

import (
	"encoding/json"
	"path/filepath"

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

// CDKOutDir returns the cloud assembly directory of the app whose cdk.json
// is at path with content text.
func CDKOutDir(path, text string) string {
	out := "cdk.out"
	var cfg struct {
		Output string `json:"output"`
	}
	if json.Unmarshal([]byte(text), &cfg) == nil && cfg.Output != "" && !filepath.IsAbs(cfg.Output) {
		out = filepath.FromSlash(cfg.Output)
	}
	return filepath.Join(filepath.Dir(path), out)
}
