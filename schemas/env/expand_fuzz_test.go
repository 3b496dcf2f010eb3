package env

import (
	"strings"
	"testing"

	"github.com/gw403/gw403-lsp/schemas/httpfile"
	"github.com/gw403/gw403-lsp/schemas/source"
)

// FuzzExpandAcrossEnvFiles expands every request of a request file, and
// every variable it defines, in every environment of an env file, a VS
// Code settings file and dotenv files that refer to each other: whatever
// the cycles and amplification, expansion ends, stays within its limits,
// and its ranges and parts describe its text.
func FuzzExpandAcrossEnvFiles(f *testing.F) {
	f.Add("@d = {{$dotenv %d}}\nGET https://example.com/{{d}}\n", `{"dev": {"h": "{{$shared h}}"}, "$shared": {"h": "{{h}}"}}`, "K={{$dotenv K}}\nd=K\n", `{"rest-client.environmentVariables": {"dev": {"a": "{{b}}{{b}}", "b": "{{a}}"}}}`)
	f.Add("@a0 = xxxxxxxxxx\n@a1 = {{a0}}{{a0}}{{a0}}{{a0}}\n@a2 = {{a1}}{{a1}}{{a1}}{{a1}}\nGET https://{{host}}/{{a2}}\nx-api-key: {{$dotenv %a0}}\n", `{"dev": {"host": "{{a2}}{{a2}}.example.com"}}`, "xxxxxxxxxx={{a2}}\n", `{}`)
	f.Add("GET https://{{$processEnv %p}}/{{$shared q}}\n", `{"$shared": {"q": "{{$dotenv %q}}"}}`, "q={{q}}\n", `{"rest-client.environmentVariables": {"$shared": {"q": "{{$shared q}}"}}}`)
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
				checkExpansion(t, req.Target, r.ExpandTarget())
				for _, h := range req.Headers {
					checkExpansion(t, h.Value, r.Expand(h.Value))
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
