package env

import (
	"reflect"
	"strings"
	"testing"

	"github.com/gw403/gw403-lsp/schemas/httpfile"
	"github.com/gw403/gw403-lsp/schemas/source"
)

// FuzzExpandAcrossEnvFiles expands every request of a request file, and
// every variable it defines, in every environment of an env file, a VS
// Code settings file and dotenv files that refer to each other: whatever
// the cycles and amplification, expansion ends, stays within its limits,
// and its ranges and parts describe its text. An ExpandShared expansion
// that fits a request equals the request's own and spends the same.
func FuzzExpandAcrossEnvFiles(f *testing.F) {
	f.Add("@d = {{$dotenv %d}}\nGET https://example.com/{{d}}\n", `{"dev": {"h": "{{$shared h}}"}, "$shared": {"h": "{{h}}"}}`, "K={{$dotenv K}}\nd=K\n", `{"rest-client.environmentVariables": {"dev": {"a": "{{b}}{{b}}", "b": "{{a}}"}}}`)
	f.Add("@a0 = xxxxxxxxxx\n@a1 = {{a0}}{{a0}}{{a0}}{{a0}}\n@a2 = {{a1}}{{a1}}{{a1}}{{a1}}\nGET https://{{host}}/{{a2}}\nx-api-key: {{$dotenv %a0}}\n", `{"dev": {"host": "{{a2}}{{a2}}.example.com"}}`, "xxxxxxxxxx={{a2}}\n", `{}`)
	f.Add("GET https://{{$processEnv %p}}/{{$shared q}}\n", `{"$shared": {"q": "{{$dotenv %q}}"}}`, "q={{q}}\n", `{"rest-client.environmentVariables": {"$shared": {"q": "{{$shared q}}"}}}`)
	f.Add("@k = {{$dotenv K}}\n###\nGET https://{{host}}/\nx-api-key: {{k}}\nAuthorization: AWS {{id}} {{$guid}}\n###\n@id = mine\nGET https://{{host}}/\nAuthorization: AWS {{id}} {{$guid}}\n", `{"dev": {"host": "api.example.com", "id": "AKIA"}}`, "K=secret\n", `{}`)
	f.Fuzz(func(t *testing.T, reqText, envJSON, dotenv, settings string) {
		files := map[string]string{
			"ws/api.http":                     reqText,
			"ws/http-client.env.json":         envJSON,
			"ws/.env":                         dotenv,
			"ws/" + VSCodeSettingsPath:        settings,
			"ws/http-client.private.env.json": envJSON,
		}
		lookup := func(p string) *source.File {
			if text, ok := files[p]; ok {
				return source.NewFile(p, text)
			}
			return nil
		}
		set, _ := BuildSet("ws/api.http", "ws", lookup)
		file := httpfile.Parse(source.NewFile("ws/api.http", reqText))
		extra := []string{"{{$dotenv %d}}", "{{$processEnv %d}}"}
		for _, v := range file.Vars {
			extra = append(extra, "{{"+v.Name+"}}", "{{$dotenv %"+v.Name+"}}", "{{$shared "+v.Name+"}}")
		}
		for _, envName := range append([]string{""}, set.Names()...) {
			r := NewResolver(file, nil, set, envName)
			for _, x := range extra {
				checkExpansion(t, httpfile.ParseTemplate(x, 0), r.Expand(httpfile.ParseTemplate(x, 0)))
			}
			for _, req := range file.Requests {
				r := NewResolver(file, req, set, envName)
				// rs takes what fits from ExpandShared: the same results,
				// the same budget left.
				rs := NewResolver(file, req, set, envName)
				checkExpansion(t, req.Target, r.ExpandTarget())
				rs.ExpandTarget()
				for _, h := range req.Headers {
					x := r.Expand(h.Value)
					checkExpansion(t, h.Value, x)
					if sx := ExpandShared(file, set, envName, h.Value); rs.Fits(sx) {
						sx.shared = nil
						if !reflect.DeepEqual(sx, x) {
							t.Fatalf("%q: shared expansion %+v, the request's own %+v", h.Value.Raw, sx, x)
						}
					} else {
						rs.Expand(h.Value)
					}
					if rs.spent != r.spent || rs.nested != r.nested {
						t.Fatalf("%q: budget spent %d, %d with shared expansions, %d, %d without", h.Value.Raw, rs.spent, rs.nested, r.spent, r.nested)
					}
				}
			}
		}
	})
}

// checkExpansion checks an expansion of t against its limits and itself.
func checkExpansion(t *testing.T, tm httpfile.Template, x Expansion) {
	t.Helper()
	if len(x.Text) > len(tm.Raw)+MaxRequestText+MaxValueSize {
		t.Fatalf("%q expands to %d bytes, past the limits", tm.Raw, len(x.Text))
	}
	at := 0
	for _, p := range x.Parts {
		if p.Text.Start != at || p.Text.End < p.Text.Start || p.Text.End > len(x.Text) {
			t.Fatalf("%q: part %+v does not follow %d (text %d bytes)", tm.Raw, p.Text, at, len(x.Text))
		}
		at = p.Text.End
	}
	for _, rs := range [][]Range{x.Missing, x.Dynamic, x.Secrets} {
		for _, r := range rs {
			if r.Start < 0 || r.End > len(x.Text) || r.Start > r.End {
				t.Fatalf("%q: range %+v outside the text (%d bytes)", tm.Raw, r, len(x.Text))
			}
		}
	}
	for _, o := range x.Overflows {
		found := false
		for _, u := range x.Unresolved {
			found = found || u == o.Name
		}
		if !found || x.Complete {
			t.Fatalf("%q: overflow %q not among the unresolved %q", tm.Raw, o.Name, x.Unresolved)
		}
	}
	if x.Complete && strings.Contains(x.Text, "{{") && len(x.Missing)+len(x.Dynamic) > 0 {
		t.Fatalf("%q: complete with ranges left as written", tm.Raw)
	}
}
