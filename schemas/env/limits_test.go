package env

import (
	"fmt"
	"strings"
	"testing"

	"github.com/gw403/gw403-lsp/schemas/httpfile"
	"github.com/gw403/gw403-lsp/schemas/source"
)

// limitsSet returns a request file and the environments of a workspace
// whose variables reach themselves through every kind of reference.
func limitsSet(t *testing.T, reqText string) (*httpfile.File, *Set) {
	t.Helper()
	files := map[string]string{
		"ws/.env":                 "K={{$dotenv K}}\nk={{$dotenv %k}}\nm={{m}}\nname=K\n",
		"ws/http-client.env.json": `{"$shared": {"h": "{{$shared h}}", "m": "{{$dotenv m}}"}, "dev": {"e": "{{$dotenv %e}}", "k": "{{$shared k}}", "ok": "{{$dotenv %name}}"}}`,
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
	return httpfile.Parse(source.NewFile("ws/api.http", reqText)), set
}

// TestCyclesThroughEveryIndirection: each reference below reaches itself
// through a `$dotenv %name` key, `$shared`, `$dotenv`, a request variable
// or env values; each ends unresolved, marked as a cycle.
func TestCyclesThroughEveryIndirection(t *testing.T) {
	f, set := limitsSet(t, "@d = {{$dotenv %d}}\n@m = {{$shared m}}\n###\n@r = {{$dotenv %r}}\nGET https://example.com/{{r}}\n")
	for _, tc := range []struct{ ref, unresolved string }{
		{"{{d}}", "$dotenv %d"},
		{"{{r}}", "$dotenv %r"},
		{"{{$dotenv K}}", "$dotenv K"},
		{"{{$dotenv k}}", "$dotenv %k"},
		{"{{$shared h}}", "$shared h"},
		{"{{m}}", "m"},
		{"{{e}}", "$dotenv %e"},
		{"{{$processEnv %d}}", "$processEnv %d"},
	} {
		r := NewResolver(f, f.Requests[0], set, "dev")
		x := r.Expand(httpfile.ParseTemplate(tc.ref, 0))
		if x.Complete || len(x.Text) > 20 {
			t.Errorf("%s: Text %q, Complete %v; want the cycle left as written, incomplete", tc.ref, x.Text, x.Complete)
		}
		found := false
		for _, u := range x.Unresolved {
			found = found || u == tc.unresolved
		}
		if !found {
			t.Errorf("%s: Unresolved %q, want %q among them", tc.ref, x.Unresolved, tc.unresolved)
		}
	}
	// ok = {{$dotenv %name}}: the key resolves (name = K), then K is a
	// cycle of its own.
	r := NewResolver(f, nil, set, "dev")
	if x := r.Expand(httpfile.ParseTemplate("{{ok}}", 0)); x.Complete || x.Text != "{{$dotenv K}}" || len(x.Unresolved) != 1 || x.Unresolved[0] != "$dotenv K" {
		t.Errorf("{{ok}}: %q complete %v unresolved %q", x.Text, x.Complete, x.Unresolved)
	}
}

func laughVars(leaf string, levels int) string {
	var b strings.Builder
	b.WriteString("@v0 = " + leaf + "\n")
	for i := 1; i <= levels; i++ {
		fmt.Fprintf(&b, "@v%d = %s\n", i, strings.Repeat(fmt.Sprintf("{{v%d}}", i-1), 10))
	}
	return b.String()
}

// TestOverflowIsRolledBack: a reference that goes past a limit is left as
// written, as if unresolved, with every list of the expansion consistent;
// the rest of the template is expanded.
func TestOverflowIsRolledBack(t *testing.T) {
	for _, tc := range []struct {
		name, vars, ref string
		limit           Limit
	}{
		{"nested", laughVars("x", 10), "v10", LimitNested},
		{"value", laughVars(strings.Repeat("x", 1000), 4), "v4", LimitValue},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f, set := limitsSet(t, tc.vars+"@s = {{$dotenv K}}\n@small = {{v0}}\nGET https://example.com/\n")
			r := NewResolver(f, f.Requests[0], set, "")
			tm := httpfile.ParseTemplate("a/{{small}}/{{"+tc.ref+"}}/{{$guid}}/b", 0)
			x := r.Expand(tm)
			want := "a/" + strings.Repeat("x", len(strings.TrimPrefix(strings.SplitN(tc.vars, "\n", 2)[0], "@v0 = "))) + "/{{" + tc.ref + "}}/{{$guid}}/b"
			if x.Text != want {
				t.Fatalf("Text %.80q…, want %.80q…", x.Text, want)
			}
			if len(x.Overflows) != 1 || x.Overflows[0].Name != tc.ref || x.Overflows[0].Limit != tc.limit || x.Overflows[0].Origin.Kind != SourceRequestVar {
				t.Fatalf("Overflows %+v, want one for %s at %v", x.Overflows, tc.ref, tc.limit)
			}
			if len(x.Unresolved) != 1 || x.Unresolved[0] != tc.ref || x.Complete {
				t.Errorf("Unresolved %q, Complete %v", x.Unresolved, x.Complete)
			}
			if len(x.Missing) != 1 || x.Text[x.Missing[0].Start:x.Missing[0].End] != "{{"+tc.ref+"}}" {
				t.Errorf("Missing %+v", x.Missing)
			}
			if len(x.Dynamic) != 1 || x.Text[x.Dynamic[0].Start:x.Dynamic[0].End] != "{{$guid}}" {
				t.Errorf("Dynamic %+v", x.Dynamic)
			}
			var unknown []string
			for _, p := range x.Parts {
				if p.Unknown {
					unknown = append(unknown, x.Text[p.Text.Start:p.Text.End])
				}
			}
			if strings.Join(unknown, " ") != "{{"+tc.ref+"}} {{$guid}}" {
				t.Errorf("unknown parts %q", unknown)
			}
			top := 0
			for _, u := range x.Uses {
				if u.Depth == 0 {
					top++
				}
			}
			if top != 3 {
				t.Errorf("%d top-level uses, want 3: %+v", top, x.Uses)
			}
		})
	}
}
