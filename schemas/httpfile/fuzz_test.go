package httpfile

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/gw403/gw403-lsp/schemas/source"
)

// FuzzParse checks that any input parses without panic and that the parse
// keeps its invariants (spans in bounds and ordered, requests disjoint,
// token texts equal to their spans), in both splitting modes.
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
		file := ParseWith(source.NewFile("fuzz.http", text), Options{SplitOnRequestLines: split})
		checkInvariants(t, file)
	})
}
