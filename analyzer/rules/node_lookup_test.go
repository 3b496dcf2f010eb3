package rules

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/gw403/gw403-lsp/schemas/source"
	"github.com/gw403/gw403-lsp/schemas/yamlpos"
)

// TestNodeLookupsOnFixtures checks, on every template and OpenAPI document
// of the rule fixtures, that the lookups the rules go through from a model
// Loc back to the YAML (FindNode, KeyOf), which look only along the way to
// the node, agree with an index of the whole document.
func TestNodeLookupsOnFixtures(t *testing.T) {
	n := 0
	err := filepath.WalkDir("testdata", func(path string, e fs.DirEntry, err error) error {
		if err != nil || e.IsDir() {
			return err
		}
		switch strings.ToLower(filepath.Ext(path)) {
		case ".yaml", ".yml", ".json", ".template":
		default:
			return nil
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		d, err := yamlpos.Parse(source.NewFile(path, string(b)))
		if err != nil || d.Root == nil {
			return nil
		}
		n++
		bySpan, keyOf := map[source.Span]*yaml.Node{}, map[*yaml.Node]*yaml.Node{}
		var all []*yaml.Node
		yamlpos.Walk(d.Root, 0, func(x *yaml.Node, _ int) bool {
			all = append(all, x)
			bySpan[d.Span(x)] = x // the last in document order: the innermost
			if x.Kind == yaml.MappingNode {
				for i := 1; i < len(x.Content); i += 2 {
					keyOf[x.Content[i]] = x.Content[i-1]
				}
			}
			return true
		})
		for _, x := range all {
			sp := d.Span(x)
			if got, want := d.FindNode(sp), bySpan[sp]; got != want {
				t.Errorf("%s: node at %v (line %d col %d): got %p, want %p", path, sp, x.Line, x.Column, got, want)
			}
			if got, want := d.KeyOf(x), keyOf[x]; got != want {
				t.Errorf("%s: key of the node at %v (line %d col %d): got %v, want %v", path, sp, x.Line, x.Column, got, want)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n < 100 {
		t.Errorf("checked %d fixture documents, want at least 100", n)
	}
}
