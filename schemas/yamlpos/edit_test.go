package yamlpos

import (
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/gw403/gw403-lsp/schemas/source"
)

var update = flag.Bool("update", false, "rewrite golden files")

func loadDoc(t *testing.T, name string) *Doc {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "edit", name))
	if err != nil {
		t.Fatal(err)
	}
	d, err := Parse(source.NewFile(name, string(b)))
	if err != nil {
		t.Fatalf("Parse(%s): %v", name, err)
	}
	return d
}

func TestEditGolden(t *testing.T) {
	authValue := Map{{"ApiKeyRequired", true}, {"UsagePlan", Map{{"CreateUsagePlan", "PER_API"}}}}
	tests := []struct {
		name string
		file string
		edit func(t *testing.T, d *Doc) (Edit, error)
	}{
		{"set_plain", "block.yaml", func(t *testing.T, d *Doc) (Edit, error) {
			return d.SetScalar(nodeAt(t, d, "Resources", "OrdersApi", "Properties", "StageName"), "Prod")
		}},
		{"set_double_quoted", "block.yaml", func(t *testing.T, d *Doc) (Edit, error) {
			return d.SetScalar(nodeAt(t, d, "Resources", "OrdersApi", "Properties", "Description"), `注文 "v2"`)
		}},
		{"set_single_quoted", "block.yaml", func(t *testing.T, d *Doc) (Edit, error) {
			return d.SetScalar(nodeAt(t, d, "Resources", "OrdersApi", "Properties", "Name"), "it's")
		}},
		{"set_tagged_keeps_tag", "block.yaml", func(t *testing.T, d *Doc) (Edit, error) {
			return d.SetScalar(nodeAt(t, d, "Resources", "Deployment2", "Properties", "StageName"), "${Stage}")
		}},
		{"set_plain_needs_quotes", "block.yaml", func(t *testing.T, d *Doc) (Edit, error) {
			return d.SetScalar(nodeAt(t, d, "Resources", "OrdersApi", "Properties", "StageName"), "true")
		}},
		{"insert_block_map", "block.yaml", func(t *testing.T, d *Doc) (Edit, error) {
			return d.InsertKey(nodeAt(t, d, "Resources", "OrdersApi", "Properties", "Auth"), "UsagePlan", Map{{"CreateUsagePlan", "PER_API"}})
		}},
		{"insert_block_scalar_after_tag", "block.yaml", func(t *testing.T, d *Doc) (Edit, error) {
			return d.InsertKey(nodeAt(t, d, "Resources", "Deployment", "Properties"), "StageName", "Prod")
		}},
		{"insert_block_list", "block.yaml", func(t *testing.T, d *Doc) (Edit, error) {
			return d.InsertKey(nodeAt(t, d, "Resources", "Deployment", "Properties"), "StageDescription", Map{{"Variables", []any{Map{{"Name", "a"}, {"Value", "b: c"}}, "x"}}})
		}},
		{"insert_crlf", "crlf.yaml", func(t *testing.T, d *Doc) (Edit, error) {
			return d.InsertKey(nodeAt(t, d, "Resources", "Api", "Properties"), "Auth", authValue)
		}},
		{"insert_flow", "flow.yaml", func(t *testing.T, d *Doc) (Edit, error) {
			return d.InsertKey(nodeAt(t, d, "Resources", "Api", "Properties"), "Auth", authValue)
		}},
		{"insert_flow_empty", "flow.yaml", func(t *testing.T, d *Doc) (Edit, error) {
			return d.InsertKey(nodeAt(t, d, "Resources", "Api", "Properties", "Tags"), "team", "a, b")
		}},
		{"insert_json_multiline", "template.json", func(t *testing.T, d *Doc) (Edit, error) {
			return d.InsertKey(nodeAt(t, d, "Resources", "OrdersApi", "Properties"), "Policy", Map{{"Version", "2012-10-17"}, {"Statement", []any{Map{{"Effect", "Allow"}, {"Principal", "*"}}}}})
		}},
		{"insert_json_inline", "template.json", func(t *testing.T, d *Doc) (Edit, error) {
			return d.InsertKey(nodeAt(t, d, "Resources", "OrdersApi", "Properties", "EndpointConfiguration"), "VpcEndpointIds", []any{"vpce-0123"})
		}},
		{"insert_json_empty", "template.json", func(t *testing.T, d *Doc) (Edit, error) {
			return d.InsertKey(nodeAt(t, d, "Resources", "Deployment", "Properties", "Tags"), "team", "api")
		}},
		{"insert_json_tabs_crlf", "tabs-crlf.json", func(t *testing.T, d *Doc) (Edit, error) {
			return d.InsertKey(nodeAt(t, d, "Resources", "Api", "Properties"), "Policy", Map{{"Statement", []any{Map{{"Effect", "Allow"}}}}})
		}},
		{"append_json_tabs_crlf", "tabs-crlf.json", func(t *testing.T, d *Doc) (Edit, error) {
			return d.AppendItem(nodeAt(t, d, "Resources", "Dep"), "DependsOn", "M3")
		}},
		{"append_block", "block.yaml", func(t *testing.T, d *Doc) (Edit, error) {
			return d.AppendItem(nodeAt(t, d, "Resources", "Deployment2"), "DependsOn", "DeleteMethod")
		}},
		{"append_block_map_item", "block.yaml", func(t *testing.T, d *Doc) (Edit, error) {
			return d.AppendItem(nodeAt(t, d, "Resources", "Plans", "Properties"), "Items", Map{{"Name", "third"}, {"Size", 3}})
		}},
		{"append_block_scalar_to_list", "block.yaml", func(t *testing.T, d *Doc) (Edit, error) {
			return d.AppendItem(nodeAt(t, d, "Resources", "Deployment"), "DependsOn", "PostMethod")
		}},
		{"append_block_missing_key", "block.yaml", func(t *testing.T, d *Doc) (Edit, error) {
			return d.AppendItem(nodeAt(t, d, "Resources", "OrdersApi"), "DependsOn", "Role")
		}},
		{"append_flow", "flow.yaml", func(t *testing.T, d *Doc) (Edit, error) {
			return d.AppendItem(nodeAt(t, d, "Resources", "Deployment"), "DependsOn", "DeleteMethod")
		}},
		{"append_flow_scalar_to_list", "flow.yaml", func(t *testing.T, d *Doc) (Edit, error) {
			return d.AppendItem(nodeAt(t, d, "Resources", "Deployment2"), "DependsOn", "PostMethod")
		}},
		{"append_json", "template.json", func(t *testing.T, d *Doc) (Edit, error) {
			return d.AppendItem(nodeAt(t, d, "Resources", "Deployment2"), "DependsOn", "PostMethod")
		}},
		{"append_json_scalar_to_list", "template.json", func(t *testing.T, d *Doc) (Edit, error) {
			return d.AppendItem(nodeAt(t, d, "Resources", "Deployment"), "DependsOn", "PostMethod")
		}},
		{"delete_block_middle", "block.yaml", func(t *testing.T, d *Doc) (Edit, error) {
			return d.DeleteKey(nodeAt(t, d, "Resources", "OrdersApi", "Properties"), "Description")
		}},
		{"delete_block_nested_last", "block.yaml", func(t *testing.T, d *Doc) (Edit, error) {
			return d.DeleteKey(nodeAt(t, d, "Resources", "Deployment2"), "DependsOn")
		}},
		{"delete_block_only", "block.yaml", func(t *testing.T, d *Doc) (Edit, error) {
			return d.DeleteKey(nodeAt(t, d, "Resources", "OrdersApi", "Properties", "Auth"), "ApiKeyRequired")
		}},
		{"delete_block_after_dash", "block.yaml", func(t *testing.T, d *Doc) (Edit, error) {
			return d.DeleteKey(nodeAt(t, d, "Resources", "Plans", "Properties", "Items", "0"), "Name")
		}},
		{"delete_flow_first", "flow.yaml", func(t *testing.T, d *Doc) (Edit, error) {
			return d.DeleteKey(nodeAt(t, d, "Resources", "Deployment"), "DependsOn")
		}},
		{"delete_flow_last", "flow.yaml", func(t *testing.T, d *Doc) (Edit, error) {
			return d.DeleteKey(nodeAt(t, d, "Resources", "Api", "Properties"), "Tags")
		}},
		{"delete_json_middle", "template.json", func(t *testing.T, d *Doc) (Edit, error) {
			return d.DeleteKey(nodeAt(t, d, "Resources", "Deployment"), "DependsOn")
		}},
		{"delete_json_last", "template.json", func(t *testing.T, d *Doc) (Edit, error) {
			return d.DeleteKey(nodeAt(t, d, "Resources", "OrdersApi", "Properties"), "EndpointConfiguration")
		}},
		{"delete_json_only_inline", "template.json", func(t *testing.T, d *Doc) (Edit, error) {
			return d.DeleteKey(nodeAt(t, d, "Resources", "OrdersApi", "Properties", "EndpointConfiguration"), "Types")
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := loadDoc(t, tt.file)
			e, err := tt.edit(t, d)
			if err != nil {
				t.Fatalf("edit: %v", err)
			}
			got, err := Apply(d.File.Text, e)
			if err != nil {
				t.Fatal(err)
			}
			// The result must still parse, in the same format.
			if _, err := Parse(source.NewFile(tt.file, got)); err != nil {
				t.Errorf("edited text does not parse: %v\n%s", err, got)
			}
			if d.JSON {
				var v any
				if err := yaml.Unmarshal([]byte(got), &v); err != nil || !looksJSON(got) {
					t.Errorf("edited JSON is not JSON")
				}
			}
			golden := filepath.Join("testdata", "edit", tt.name+".golden")
			if *update {
				if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run with -update)", err)
			}
			if got != string(want) {
				t.Errorf("%s: got\n%s\nwant\n%s", tt.name, got, want)
			}
		})
	}
}

// TestEditJSONIsValidJSON checks JSON edits with the standard library's
// JSON reader, stricter than YAML.
func TestEditJSONIsValidJSON(t *testing.T) {
	d := loadDoc(t, "template.json")
	ops := []func() (Edit, error){
		func() (Edit, error) {
			return d.InsertKey(nodeAt(t, d, "Resources", "OrdersApi", "Properties"), "Policy", Map{{"Statement", []any{Map{{"Effect", "Allow"}}}}})
		},
		func() (Edit, error) { return d.AppendItem(nodeAt(t, d, "Resources", "Deployment"), "DependsOn", "B") },
		func() (Edit, error) { return d.DeleteKey(nodeAt(t, d, "Resources"), "Deployment2") },
		func() (Edit, error) { return d.DeleteKey(nodeAt(t, d, "Resources"), "OrdersApi") },
		func() (Edit, error) {
			return d.SetScalar(nodeAt(t, d, "Resources", "Deployment2", "Properties", "StageName"), "a\"b\\c\n")
		},
	}
	for i, op := range ops {
		e, err := op()
		if err != nil {
			t.Fatalf("op %d: %v", i, err)
		}
		got, _ := Apply(d.File.Text, e)
		if err := jsonValid(got); err != nil {
			t.Errorf("op %d: invalid JSON: %v\n%s", i, err, got)
		}
	}
}

func TestNeedsQuotes(t *testing.T) {
	tests := []struct {
		s    string
		flow bool
		want bool
	}{
		{"Prod", false, false},
		{"true", false, true},
		{"yes", false, true},
		{"123", false, true},
		{"2012-10-17", false, true},
		{"a: b", false, true},
		{"a, b", false, false},
		{"a, b", true, true},
		{"-x", false, false},
		{"- x", false, true},
		{"!Ref", false, true},
		{"*", false, true},
		{"execute-api:/*", false, false},
		{"東京", false, false},
		{"", false, true},
	}
	for _, tt := range tests {
		if got := needsQuotes(tt.s, tt.flow); got != tt.want {
			t.Errorf("needsQuotes(%q, %v) = %v, want %v", tt.s, tt.flow, got, tt.want)
		}
		// Whatever we render must read back as the same string.
		var v string
		if err := yaml.Unmarshal([]byte("k: "+yamlScalar(tt.s, tt.flow)), &struct{ K *string }{&v}); err != nil || v != tt.s {
			t.Errorf("yamlScalar(%q) = %q reads back as %q (%v)", tt.s, yamlScalar(tt.s, tt.flow), v, err)
		}
	}
}

func TestApplyRejectsOverlap(t *testing.T) {
	_, err := Apply("abcdef", Edit{Span: source.Span{Start: 1, End: 3}}, Edit{Span: source.Span{Start: 2, End: 4}})
	if err == nil {
		t.Errorf("Apply of overlapping edits: no error")
	}
	got, err := Apply("abcdef", Edit{Span: source.Span{Start: 4, End: 5}, NewText: "X"}, Edit{Span: source.Span{Start: 0, End: 1}, NewText: "Y"})
	if err != nil || got != "YbcdXf" {
		t.Errorf("Apply = %q, %v, want %q", got, err, "YbcdXf")
	}
	if !strings.Contains(got, "X") {
		t.Errorf("unreachable")
	}
}

func jsonValid(s string) error {
	var v any
	return json.Unmarshal([]byte(s), &v)
}

// resourceNode parses text and returns the document and the mapping of
// resource id.
func resourceNode(t *testing.T, text, id string) (*Doc, *yaml.Node) {
	t.Helper()
	d, err := Parse(source.NewFile("template", text))
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	n := Value(Value(d.Root, "Resources"), id)
	if n == nil {
		t.Fatalf("no resource %s", id)
	}
	return d, n
}

func TestAppendItems(t *testing.T) {
	tests := []struct {
		name, text, want string
	}{
		{
			"block scalar",
			"Resources:\n  D:\n    Type: AWS::ApiGateway::Deployment\n    DependsOn: A\n    Properties: {}\n",
			"Resources:\n  D:\n    Type: AWS::ApiGateway::Deployment\n    DependsOn:\n      - A\n      - B\n      - C\n    Properties: {}\n",
		},
		{
			"block list",
			"Resources:\n  D:\n    DependsOn:\n    - A\n    Properties: {}\n",
			"Resources:\n  D:\n    DependsOn:\n    - A\n    - B\n    - C\n    Properties: {}\n",
		},
		{
			"block missing",
			"Resources:\n  D:\n    Type: AWS::ApiGateway::Deployment\n",
			"Resources:\n  D:\n    Type: AWS::ApiGateway::Deployment\n    DependsOn:\n      - B\n      - C\n",
		},
		{
			"crlf scalar",
			"Resources:\r\n  D:\r\n    DependsOn: A\r\n",
			"Resources:\r\n  D:\r\n    DependsOn:\r\n      - A\r\n      - B\r\n      - C\r\n",
		},
		{
			"flow list",
			"Resources:\n  D: {DependsOn: [A], Type: X}\n",
			"Resources:\n  D: {DependsOn: [A, B, C], Type: X}\n",
		},
		{
			"flow empty list",
			"Resources:\n  D: {DependsOn: [], Type: X}\n",
			"Resources:\n  D: {DependsOn: [B, C], Type: X}\n",
		},
		{
			"flow scalar",
			"Resources:\n  D: {DependsOn: A, Type: X}\n",
			"Resources:\n  D: {DependsOn: [A, B, C], Type: X}\n",
		},
		{
			"json scalar",
			"{\"Resources\": {\"D\": {\"DependsOn\": \"A\", \"Type\": \"X\"}}}\n",
			"{\"Resources\": {\"D\": {\"DependsOn\": [\"A\", \"B\", \"C\"], \"Type\": \"X\"}}}\n",
		},
		{
			"json multi-line list",
			"{\n  \"Resources\": {\n    \"D\": {\n      \"DependsOn\": [\n        \"A\"\n      ]\n    }\n  }\n}\n",
			"{\n  \"Resources\": {\n    \"D\": {\n      \"DependsOn\": [\n        \"A\",\n        \"B\",\n        \"C\"\n      ]\n    }\n  }\n}\n",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, n := resourceNode(t, tt.text, "D")
			add := []string{"B", "C"}
			e, err := d.AppendItems(n, "DependsOn", add)
			if err != nil {
				t.Fatalf("AppendItems: %v", err)
			}
			got, err := Apply(tt.text, e)
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("AppendItems(%s) =\n%q\nwant\n%q", tt.name, got, tt.want)
			}
			// The result reads back with every id.
			d2, n2 := resourceNode(t, got, "D")
			_ = d2
			var ids []string
			dep := Value(n2, "DependsOn")
			for _, it := range Items(dep) {
				ids = append(ids, it.Value)
			}
			if len(ids) < len(add) || ids[len(ids)-1] != "C" {
				t.Errorf("DependsOn after the edit = %v", ids)
			}
		})
	}
}

func TestInsertPath(t *testing.T) {
	text := "Resources:\n  Api:\n    Type: AWS::Serverless::Api\n    Properties:\n      StageName: prod\n      Auth:\n        ApiKeyRequired: true\n"
	d, n := resourceNode(t, text, "Api")
	e, err := d.InsertPath(n, []string{"Properties", "Auth", "UsagePlan", "CreateUsagePlan"}, "PER_API")
	if err != nil {
		t.Fatal(err)
	}
	got, _ := Apply(text, e)
	want := text + "        UsagePlan:\n          CreateUsagePlan: PER_API\n"
	if got != want {
		t.Errorf("InsertPath = %q, want %q", got, want)
	}
	if _, err := d.InsertPath(n, []string{"Properties", "StageName"}, "x"); err == nil {
		t.Errorf("InsertPath over an existing key: no error")
	}
	if _, err := d.InsertPath(n, []string{"Properties", "StageName", "X"}, "x"); err == nil {
		t.Errorf("InsertPath under a scalar: no error")
	}
}
