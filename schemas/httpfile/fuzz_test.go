package httpfile

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/gw403/gw403-lsp/schemas/source"
)

// FuzzParse checks that any input parses without panic and that the parse
// keeps its invariants (spans in bounds and ordered, requests disjoint,
// token texts equal to their spans), in both splitting modes, and that a
// parse in small regions is the parse in one piece.
func FuzzParse(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "*.http"))
	for _, path := range files {
		b, err := os.ReadFile(path)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(string(b), false)
	}
	f.Add("GET https://a.example.com\nGET https://b.example.com\n", true)
	f.Fuzz(func(t *testing.T, text string, split bool) {
		src := source.NewFile("fuzz.http", text)
		opts := Options{SplitOnRequestLines: split}
		file := parse(src, opts, 0)
		checkInvariants(t, file)
		if !reflect.DeepEqual(parse(src, opts, 16), file) {
			t.Errorf("the parse in regions differs from the parse in one piece")
		}
	})
}
