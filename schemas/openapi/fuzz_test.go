package openapi

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/gw403/gw403-lsp/schemas/source"
)

// FuzzLoadOpenAPI loads arbitrary text as an OpenAPI document: nothing may
// panic, and every span must lie within the text.
func FuzzLoadOpenAPI(f *testing.F) {
	seeds, _ := filepath.Glob(filepath.Join("testdata", "fuzz", "*"))
	for _, p := range seeds {
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
		d, probs := Load(source.NewFile("api.yaml", text))
		in := func(what string, sp source.Span) {
			if sp.Start < 0 || sp.End > len(text) || sp.End < sp.Start {
				t.Fatalf("%s span %v out of bounds (%d bytes)", what, sp, len(text))
			}
		}
		for _, p := range probs {
			in("problem", p.Span)
		}
		in("version", d.VersionSpan)
		in("title", d.TitleSpan)
		in("security", d.SecuritySpan)
		for _, s := range d.Servers {
			in("server", s.Span)
		}
		if d.Export != nil {
			in("export", d.Export.Span)
		}
		for _, p := range d.Paths {
			in("path", p.KeySpan)
			for _, o := range p.Ops {
				in("op key", o.KeySpan)
				in("op", o.Span())
				_, _, sp := o.EffectiveSecurity()
				in("op security", sp)
				if o.Integration != nil {
					in("integration", o.Integration.Span)
				}
			}
		}
		for _, s := range d.SecuritySchemes {
			in("scheme", s.KeySpan)
			in("scheme name", s.NameSpan)
			if s.Authorizer != nil {
				in("authorizer", s.Authorizer.Span)
				in("identity", s.Authorizer.IdentitySourceSpan)
			}
		}
		if d.Endpoint != nil {
			in("endpoint", d.Endpoint.Span)
			in("disable", d.Endpoint.DisableSpan)
		}
		_ = d.LooksHTTPAPI()
	})
}
