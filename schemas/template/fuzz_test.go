package template_test

import (
	"os"
	"path/filepath"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/gw403/gw403-lsp/schemas/apimodel"
	"github.com/gw403/gw403-lsp/schemas/source"
	"github.com/gw403/gw403-lsp/schemas/template"
	"github.com/gw403/gw403-lsp/schemas/yamlpos"
)

// FuzzLoadTemplate loads arbitrary text as a template, evaluates every
// property and builds the API model: nothing may panic, and every span and
// Loc must lie within the text.
func FuzzLoadTemplate(f *testing.F) {
	seeds, _ := filepath.Glob(filepath.Join("testdata", "fuzz", "*"))
	more, _ := filepath.Glob(filepath.Join("testdata", "*.yaml"))
	json, _ := filepath.Glob(filepath.Join("testdata", "*.json"))
	for _, p := range append(append(seeds, more...), json...) {
		if st, err := os.Stat(p); err != nil || st.IsDir() {
			continue // testdata/fuzz/FuzzX holds the engine's own corpus
		}
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(string(b))
	}
	f.Fuzz(func(t *testing.T, text string) {
		src := source.NewFile("t.yaml", text)
		tp, probs := template.Load(src)
		in := func(what string, sp source.Span) {
			if sp.Start < 0 || sp.End > len(text) || sp.End < sp.Start {
				t.Fatalf("%s span %v out of bounds (%d bytes)", what, sp, len(text))
			}
		}
		for _, p := range probs {
			in("problem", p.Span)
		}
		if tp.Doc != nil && tp.Doc.Root != nil {
			yamlpos.Walk(tp.Doc.Root, 20000, func(n *yaml.Node, _ int) bool {
				in("node", tp.Doc.Span(n))
				in("token", tp.Doc.TokenSpan(n))
				return true
			})
		}
		for _, r := range tp.Resources {
			in("key", r.KeySpan)
			in("type", r.TypeSpan)
			in("resource", r.Span)
			for _, p := range r.Props {
				in("prop key", p.KeySpan)
				in("prop value", p.ValueSpan)
				_ = tp.Eval(p.Value).Display()
			}
		}
		for _, o := range tp.Outputs {
			_ = tp.Eval(o.Value)
		}
		m := apimodel.Build([]*template.Template{tp}, nil, apimodel.Options{})
		loc := func(what string, l apimodel.Loc) {
			if !l.IsZero() {
				in(what, l.Span)
			}
		}
		for _, a := range m.APIs {
			loc("api", a.Loc)
			loc("endpoint", a.EndpointLoc)
			for _, s := range a.Stages {
				loc("stage", s.Loc)
			}
			for _, r := range a.Routes {
				loc("route", r.Loc)
				loc("auth", r.Auth.Loc)
				loc("api key", r.Auth.APIKeyLoc)
			}
			if a.Policy != nil {
				loc("policy", a.Policy.Loc)
				for _, s := range a.Policy.Statements {
					loc("statement", s.Loc)
					loc("effect", s.EffectLoc)
				}
			}
		}
		for _, d := range m.Domains {
			loc("domain", d.Loc)
			for _, mp := range d.Mappings {
				loc("mapping", mp.Loc)
			}
		}
	})
}
