package yamlpos

import (
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/gw403/gw403-lsp/schemas/source"
)

// FuzzFastPositions checks the shortcuts positions take on large input
// against the plain computation: a column of an ASCII document read as a
// byte count, and the ends FindNode remembers. Every node's span is the
// same either way, and FindNode finds each node by its span.
func FuzzFastPositions(f *testing.F) {
	for _, s := range []string{
		"a: [[[1, 2], {b: c}], []]\n",
		"a:\r\n  - x\r\n  - {y: [z]}\r\nb: |\r\n  text\r\n",
		"a: 1\rb: [2,\r 3]\r",
		"k: !Sub \"${A}\"\nl: &x [1, *x]\nm: {}\n",
		"- [[[[[[]]]]]]\n- {a: {b: {c: {}}}}\n# end\n",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		d, err := Parse(source.NewFile("f.yaml", text))
		if err != nil || d.Root == nil {
			return
		}
		slow := &Doc{File: d.File, Root: d.Root, JSON: d.JSON, bom: d.bom, lines: d.lines} // not ascii, no ends
		Walk(d.Root, 0, func(n *yaml.Node, _ int) bool {
			want := source.Span{Start: slow.Start(n), End: slow.end(n, nil)}
			if got := d.Span(n); got != want {
				t.Fatalf("node at %d:%d: span %v, want %v", n.Line, n.Column, got, want)
			}
			if found := d.FindNode(want); found == nil || d.Span(found) != want {
				t.Fatalf("FindNode(%v) = %v", want, found)
			}
			return true
		})
	})
}
