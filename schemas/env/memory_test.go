package env

import (
	"reflect"
	"sync"
	"testing"

	"github.com/gw403/gw403-lsp/schemas/httpfile"
)

// TestExpansionsOwnTheirLists keeps every expansion of the fixture
// requests (targets, headers, more templates, in every environment) and
// compares each with a second expansion made after all the others: the
// memory expansions are built in is reused, the results must not share
// it. The second round runs on several goroutines at once.
func TestExpansionsOwnTheirLists(t *testing.T) {
	f, set := requestFile(t)
	extra := []string{"{{loopA}}", "{{fileVar}}", "{{$dotenv API_KEY}}", "{{$processEnv HOME}}", "{{$guid}} {{undefined}} {{selfRef}}", "plain", "{{$dotenv %fileVar}}"}
	expandAll := func() []Expansion {
		var out []Expansion
		for _, envName := range append([]string{""}, set.Names()...) {
			for _, req := range f.Requests {
				r := NewResolver(f, req, set, envName)
				out = append(out, r.ExpandTarget())
				for _, h := range req.Headers {
					out = append(out, r.Expand(h.Value))
				}
				for _, x := range extra {
					out = append(out, r.Expand(httpfile.ParseTemplate(x, 0)))
				}
			}
		}
		return out
	}
	first := expandAll()
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			again := expandAll()
			for i := range first {
				if !reflect.DeepEqual(first[i], again[i]) {
					t.Errorf("expansion %d changed: %+v, then %+v", i, first[i], again[i])
					return
				}
			}
		}()
	}
	wg.Wait()
	for i, e := range first {
		for _, l := range []int{cap(e.Parts) - len(e.Parts), cap(e.Uses) - len(e.Uses), cap(e.Missing) - len(e.Missing), cap(e.Dynamic) - len(e.Dynamic), cap(e.Unresolved) - len(e.Unresolved)} {
			if l != 0 {
				t.Errorf("expansion %d: a list has room past its length: appending to it may write into shared memory", i)
			}
		}
	}
}
