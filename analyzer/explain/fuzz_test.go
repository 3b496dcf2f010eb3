package explain

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/gw403/gw403-lsp/schemas/capture"
)

// FuzzExplain runs the whole chain — parse, diagnose, the hover's markdown,
// hover at a few offsets — on arbitrary input. FuzzExplainFormat in
// cmd/gw403-lsp runs the text and JSON output.
func FuzzExplain(f *testing.F) {
	paths, _ := filepath.Glob("testdata/seed/*/*.*")
	for i, p := range paths {
		if i%3 != 0 { // a sample of forms and rows keeps the seed corpus small
			continue
		}
		if b, err := os.ReadFile(p); err == nil {
			f.Add(b, 40)
		}
	}
	f.Add([]byte("x-amzn-errortype: ForbiddenException\n\n{\"message\":\"Forbidden\"}"), 3)
	f.Fuzz(func(t *testing.T, in []byte, off int) {
		c, err := capture.ParseText(string(in), capture.Options{Name: "x.403.json"})
		if err == nil {
			ds, _ := Explain(context.Background(), c, Options{})
			for _, d := range ds {
				Markdown(d)
			}
		}
		if sp, _, ok := Hover(string(in), off); ok && (sp.Start < 0 || sp.End > len(in) || sp.Start > sp.End) {
			t.Fatalf("hover span %v outside input of %d bytes", sp, len(in))
		}
	})
}
