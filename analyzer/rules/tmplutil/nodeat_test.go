package tmplutil

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

// fullIndex maps every node of d by span (the last in document order when
// several share one: the innermost) and every mapping value to its key, by
// walking the whole document: what NodeAt and KeyOf must agree with.
func fullIndex(d *yamlpos.Doc) (bySpan map[source.Span]*yaml.Node, keyOf map[*yaml.Node]*yaml.Node, all []*yaml.Node) {
	bySpan, keyOf = map[source.Span]*yaml.Node{}, map[*yaml.Node]*yaml.Node{}
	yamlpos.Walk(d.Root, 0, func(n *yaml.Node, _ int) bool {
		all = append(all, n)
		bySpan[d.Span(n)] = n
		if n.Kind == yaml.MappingNode {
			for i := 1; i < len(n.Content); i += 2 {
				keyOf[n.Content[i]] = n.Content[i-1]
			}
		}
		return true
	})
	return bySpan, keyOf, all
}

// checkNodeLookups compares the node found for every span of the document,
// and the key found for every node, with a whole-document index.
func checkNodeLookups(t *testing.T, name, text string) {
	t.Helper()
	d, err := yamlpos.Parse(source.NewFile(name, text))
	if err != nil || d.Root == nil {
		return
	}
	bySpan, keys, all := fullIndex(d)
	for _, n := range all {
		sp := d.Span(n)
		if got, want := d.FindNode(sp), bySpan[sp]; got != want {
			t.Errorf("%s: node at %v (line %d col %d): got %p, want %p", name, sp, n.Line, n.Column, got, want)
		}
		if got, want := KeyOf(d, n), keys[n]; got != want {
			t.Errorf("%s: key of the node at %v (line %d col %d): got %v, want %v", name, sp, n.Line, n.Column, got, want)
		}
	}
}

func TestNodeLookupsMatchWholeDocument(t *testing.T) {
	docs := map[string]string{
		"anchors.yaml": "Base: &base\n  Type: AWS::Serverless::Api\n  Auth: &auth {ApiKeyRequired: true}\nApi:\n  <<: *base\n  Other: *auth\n",
		"flow.yaml":    "Resources: {Api: {Type: 'AWS::Serverless::Api', Properties: {StageName: prod, Tags: [a, b, {c: d}]}}}\n",
		"nulls.yaml":   "Outputs:\nResources:\n  Api:\n    Properties:\n      Empty:\n      List:\n        -\n        - x\n      Last:\n",
		"tags.yaml":    "Resources:\n  Api:\n    Properties:\n      StageName: !Ref Stage\n      Name: !Sub\n        - '${A}-api'\n        - A: !GetAtt Fn.Arn\n      Policy: !If [IsProd, {Statement: []}, !Ref AWS::NoValue]\n",
		"block.yaml":   "Description: |\n  注文 API 🚀\n  two lines\nFolded: >-\n  folded\n  text\nKey: \"quoted: value\"\n",
		"crlf.yaml":    "\uFEFFResources:\r\n  Api:\r\n    Type: AWS::Serverless::Api\r\n    Properties:\r\n      StageName: 本番\r\n",
		"doc.json":     "{\n\t\"openapi\": \"3.0.1\",\n\t\"paths\": {\"/orders\": {\"get\": {\"security\": [{\"key\": []}]}}, \"/x\": {}}\n}\n",
		"pair.yaml":    "Seq: [a: b, c]\nEmpty: {}\nEmptySeq: []\n",
	}
	for name, text := range docs {
		checkNodeLookups(t, name, text)
	}
	// And every template and OpenAPI document of the rule fixtures.
	n := 0
	err := filepath.WalkDir(filepath.Join("..", "testdata"), func(path string, e fs.DirEntry, err error) error {
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
		n++
		checkNodeLookups(t, path, string(b))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n < 100 {
		t.Errorf("checked %d fixture documents, want at least 100", n)
	}
}
