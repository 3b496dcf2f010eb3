package apimodel

import (
	"testing"

	"github.com/gw403/gw403-lsp/schemas/source"
	"github.com/gw403/gw403-lsp/schemas/template"
	"github.com/gw403/gw403-lsp/schemas/template/samgen"
)

// BenchmarkLoadAndBuildSAM loads the generated SAM template (300 functions,
// 560 Api events) and builds its model.
func BenchmarkLoadAndBuildSAM(b *testing.B) {
	text := string(samgen.Template(samgen.Options{}))
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	for b.Loop() {
		tp, probs := template.Load(source.NewFile("template.yaml", text))
		if len(probs) != 0 {
			b.Fatal(probs)
		}
		m := Build([]*template.Template{tp}, nil, Options{})
		if len(m.APIs) != 2 {
			b.Fatalf("%d APIs, want 2", len(m.APIs))
		}
	}
}

func TestGeneratedSAMModel(t *testing.T) {
	tp, probs := template.Load(source.NewFile("template.yaml", string(samgen.Template(samgen.Options{}))))
	if len(probs) != 0 {
		t.Fatal(probs)
	}
	m := Build([]*template.Template{tp}, nil, Options{})
	routes := 0
	for _, a := range m.APIs {
		if !a.RoutesKnown || !a.StagesKnown {
			t.Errorf("%s: RoutesKnown=%v StagesKnown=%v", a.Name, a.RoutesKnown, a.StagesKnown)
		}
		for _, r := range a.Routes {
			if r.Method != "OPTIONS" {
				routes++
			}
		}
	}
	if routes != samgen.DefaultEvents {
		t.Errorf("%d routes, want %d (one per Api event)", routes, samgen.DefaultEvents)
	}
}
