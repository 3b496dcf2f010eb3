package env

import (
	"reflect"
	"strings"
	"testing"

	"github.com/gw403/gw403-lsp/schemas/httpfile"
	"github.com/gw403/gw403-lsp/schemas/source"
)

// TestExpandSharedFits: an ExpandShared expansion fits exactly the
// requests whose own expansion it equals, and charges their budget as
// their own expansion would.
func TestExpandSharedFits(t *testing.T) {
	files := map[string]string{
		"ws/.env":                 "API_KEY=s3cr3t\nOTHER=o\n",
		"ws/http-client.env.json": `{"dev": {"host": "https://dev.example.com", "token": "{{$dotenv %which}}"}}`,
	}
	set, problems := BuildSet("ws/api.http", "ws", func(p string) *source.File {
		if text, ok := files[p]; ok {
			return source.NewFile(p, text)
		}
		return nil
	})
	if len(problems) > 0 {
		t.Fatal(problems)
	}
	const header = "X: {{host}} {{token}} {{missing}} {{$guid}} {{big}}\n"
	big := strings.Repeat("b", 1000)
	f := httpfile.Parse(source.NewFile("ws/api.http", "@which = API_KEY\n@big = "+big+"\n\n"+
		"### plain\nGET https://example.com\n"+header+"\n"+
		"### defines a variable the value looks up\n@big = small\nGET https://example.com\n"+header+"\n"+
		"### defines the key of a $dotenv %name\n@which = OTHER\nGET https://example.com\n"+header+"\n"+
		"### defines a variable the value does not use\n@other = 1\nGET https://example.com\n"+header+"\n"+
		"### prompts for a variable the value leaves unresolved\n# @prompt missing\nGET https://example.com\n"+header))
	want := []bool{true, false, false, true, false}
	if len(f.Requests) != len(want) {
		t.Fatalf("parsed %d requests, want %d", len(f.Requests), len(want))
	}
	for i, req := range f.Requests {
		tpl := req.Headers[0].Value
		x := ExpandShared(f, set, "dev", tpl)
		r := NewResolver(f, req, set, "dev")
		own := NewResolver(f, req, set, "dev")
		y := own.Expand(tpl)
		if got := r.Fits(x); got != want[i] {
			t.Errorf("request %d: Fits = %v, want %v", i, got, want[i])
		}
		if !want[i] {
			if r.spent != 0 || r.nested != 0 {
				t.Errorf("request %d: charged %d bytes, %d references without fitting", i, r.spent, r.nested)
			}
			continue
		}
		if r.spent != own.spent || r.nested != own.nested || r.spent == 0 || r.nested == 0 {
			t.Errorf("request %d: charged %d bytes, %d references; its own expansion %d, %d", i, r.spent, r.nested, own.spent, own.nested)
		}
		if x.Text != y.Text || x.Complete != y.Complete || !reflect.DeepEqual(x.Unresolved, y.Unresolved) ||
			!reflect.DeepEqual(x.Missing, y.Missing) || !reflect.DeepEqual(x.Dynamic, y.Dynamic) || !reflect.DeepEqual(x.Secrets, y.Secrets) {
			t.Errorf("request %d: shared %+v, own %+v", i, x, y)
		}
		if len(x.Uses) != len(y.Uses) || len(x.Parts) != len(y.Parts) {
			t.Fatalf("request %d: shared uses %+v, own %+v", i, x.Uses, y.Uses)
		}
		for k, u := range x.Uses {
			if v := y.Uses[k]; u.Name != v.Name || u.Origin() != v.Origin() || u.Resolved != v.Resolved || u.Depth != v.Depth {
				t.Errorf("request %d: use %d shared %+v, own %+v", i, k, u, v)
			}
		}
	}

	// The budget: a request with too little left does not fit.
	req := f.Requests[0]
	x := ExpandShared(f, set, "dev", req.Headers[0].Value)
	for _, tc := range []struct {
		spent, nested int
		fits          bool
	}{
		{MaxRequestText - x.shared.spent, 0, true},
		{MaxRequestText - x.shared.spent + 1, 0, false},
		{0, MaxNestedRefs - x.shared.nested, true},
		{0, MaxNestedRefs - x.shared.nested + 1, false},
	} {
		r := NewResolver(f, req, set, "dev")
		r.spent, r.nested = tc.spent, tc.nested
		if got := r.Fits(x); got != tc.fits {
			t.Errorf("spent %d, nested %d: Fits = %v, want %v", tc.spent, tc.nested, got, tc.fits)
		}
	}
	// Only an ExpandShared expansion fits, and only one within the limits.
	if NewResolver(f, req, set, "dev").Fits(NewResolver(f, req, set, "dev").Expand(req.Headers[0].Value)) {
		t.Error("an expansion of Expand fits")
	}
	over := httpfile.Parse(source.NewFile("ws/api.http", "@v = "+strings.Repeat("v", MaxValueSize+1)+"\n\n###\nGET https://example.com\nX: {{v}}\n"))
	if x := ExpandShared(over, set, "dev", over.Requests[0].Headers[0].Value); len(x.Overflows) == 0 || NewResolver(over, over.Requests[0], set, "dev").Fits(x) {
		t.Errorf("an expansion past a limit fits (overflows %+v)", x.Overflows)
	}
}
