package yamlpos

import (
	"io/fs"
	"os"
	"path/filepath"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/gw403/gw403-lsp/schemas/source"
)

// checkLookups compares, for every node of d, the node FindNode finds for
// its span, its key (KeyOf) and its parent with an index built by walking
// the whole document: what the lookups, which look only along the way to
// the node, must agree with. It returns the first disagreement, or "".
func checkLookups(d *Doc) string {
	bySpan, keyOf, parent := map[source.Span]*yaml.Node{}, map[*yaml.Node]*yaml.Node{}, map[*yaml.Node]*yaml.Node{}
	var all []*yaml.Node
	Walk(d.Root, 0, func(n *yaml.Node, _ int) bool {
		all = append(all, n)
		bySpan[d.Span(n)] = n // the last in document order: the innermost
		for i, c := range n.Content {
			parent[c] = n
			if n.Kind == yaml.MappingNode && i%2 == 1 {
				keyOf[c] = n.Content[i-1]
			}
		}
		return true
	})
	for _, n := range all {
		sp := d.Span(n)
		switch {
		case d.FindNode(sp) != bySpan[sp]:
			return "FindNode"
		case d.KeyOf(n) != keyOf[n]:
			return "KeyOf"
		case d.parentOf(n) != parent[n]:
			return "parentOf"
		}
	}
	return ""
}

func TestLookupsMatchWholeDocument(t *testing.T) {
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
		d, err := Parse(source.NewFile(name, text))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if m := checkLookups(d); m != "" {
			t.Errorf("%s: %s disagrees with the whole-document index", name, m)
		}
	}
	// And the edit fixtures.
	n := 0
	err := filepath.WalkDir("testdata", func(path string, e fs.DirEntry, err error) error {
		if err != nil || e.IsDir() || filepath.Ext(path) != ".yaml" && filepath.Ext(path) != ".json" {
			return err
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		d, err := Parse(source.NewFile(path, string(b)))
		if err != nil || d.Root == nil {
			return nil
		}
		n++
		if m := checkLookups(d); m != "" {
			t.Errorf("%s: %s disagrees with the whole-document index", path, m)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n == 0 {
		t.Errorf("no fixture documents under testdata")
	}
}
