package openapi

import (
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/gw403/gw403-lsp/schemas/openapi/oagen"
	"github.com/gw403/gw403-lsp/schemas/source"
)

// The two benchmarks read the same generated ~5 MB OpenAPI 3 document: the
// cost of Load should stay close to a bare yaml.v3 node decode.

func BenchmarkBareYAMLDecode(b *testing.B) {
	doc := oagen.OpenAPI3YAML(oagen.Options{})
	b.SetBytes(int64(len(doc)))
	b.ReportAllocs()
	for b.Loop() {
		var n yaml.Node
		if err := yaml.Unmarshal(doc, &n); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkLoadOpenAPI(b *testing.B) {
	text := string(oagen.OpenAPI3YAML(oagen.Options{}))
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	for b.Loop() {
		d, probs := Load(source.NewFile("big.yaml", text))
		if len(probs) != 0 || len(d.Paths) != oagen.DefaultPaths {
			b.Fatalf("problems %v, %d paths", probs, len(d.Paths))
		}
		// Touch what rules read: every operation's span and security.
		for _, p := range d.Paths {
			for _, o := range p.Ops {
				_ = o.Span()
				_, _, _ = o.EffectiveSecurity()
			}
		}
	}
}
