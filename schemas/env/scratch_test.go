package env

import (
	"reflect"
	"testing"

	"github.com/gw403/gw403-lsp/schemas/httpfile"
)

// TestExpandWithScratchMatchesExpand expands every target, header and
// extra template of the fixture requests in turn with one Scratch, in
// each environment, and compares each result with Expand's before the
// next expansion reuses the memory.
func TestExpandWithScratchMatchesExpand(t *testing.T) {
	f, set := requestFile(t)
	extra := []string{"{{loopA}}", "{{fileVar}}", "{{$dotenv API_KEY}}", "{{$processEnv HOME}}", "{{$guid}} {{undefined}} {{selfRef}}", "plain"}
	for _, envName := range append([]string{""}, set.Names()...) {
		var s Scratch
		for i, req := range f.Requests {
			r := NewResolver(f, req, set, envName)
			if got, want := r.ExpandTargetWith(&s), r.ExpandTarget(); !reflect.DeepEqual(got, want) {
				t.Errorf("env %q request %d: ExpandTargetWith = %+v, want %+v", envName, i, got, want)
			}
			var tmpls []httpfile.Template
			for _, h := range req.Headers {
				tmpls = append(tmpls, h.Value)
			}
			for _, x := range extra {
				tmpls = append(tmpls, httpfile.ParseTemplate(x, 0))
			}
			for _, tm := range tmpls {
				if got, want := r.ExpandWith(tm, &s), r.Expand(tm); !reflect.DeepEqual(got, want) {
					t.Errorf("env %q request %d: ExpandWith(%q) = %+v, want %+v", envName, i, tm.Raw, got, want)
				}
			}
		}
	}
}
