package tmplutil

import (
	"testing"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/gw403/gw403-lsp/schemas/apimodel"
	"github.com/gw403/gw403-lsp/schemas/source"
	"github.com/gw403/gw403-lsp/schemas/template"
	"github.com/gw403/gw403-lsp/schemas/yamlpos"
)

func TestIAMMatch(t *testing.T) {
	tests := []struct {
		pattern, s string
		fold, want bool
	}{
		{"execute-api:Invoke", "execute-api:Invoke", false, true},
		{"execute-api:invoke", "execute-api:Invoke", true, true},
		{"execute-api:invoke", "execute-api:Invoke", false, false},
		{"execute-api:*", "execute-api:Invoke", true, true},
		{"*", "execute-api:Invoke", true, true},
		{"execute-api:Inv?ke", "execute-api:Invoke", true, true},
		{"execute-api:ManageConnections", "execute-api:Invoke", true, false},
		{"s3:*", "execute-api:Invoke", true, false},
		{"vpce-0a*", "vpce-0abc", false, true},
		{"vpce-0a*c", "vpce-0abcd", false, false},
		{"*/prod/*", "abc/prod/GET/x", false, true},
		{"", "", false, true},
		{"", "x", false, false},
	}
	for _, tt := range tests {
		if got := IAMMatch(tt.pattern, tt.s, tt.fold); got != tt.want {
			t.Errorf("IAMMatch(%q, %q, %v) = %v, want %v", tt.pattern, tt.s, tt.fold, got, tt.want)
		}
	}
}

func TestParseAPIRes(t *testing.T) {
	known := func(s string) apimodel.Value { return apimodel.Value{S: s, Known: true} }
	unknown := func(s string) apimodel.Value { return apimodel.Value{S: s} }
	tests := []struct {
		v    apimodel.Value
		want APIRes
	}{
		{known("*"), APIRes{All: true}},
		{known("execute-api:/*"), APIRes{All: true}},
		{known("execute-api:/*/*/*"), APIRes{All: true}},
		{known("arn:aws:execute-api:*:*:*"), APIRes{All: true}},
		{known("arn:aws:execute-api:us-east-1:123456789012:abcde12345/*"), APIRes{All: true}},
		{unknown("arn:aws:execute-api:${AWS::Region}:${AWS::AccountId}:${MyApi}/*/*/*"), APIRes{All: true}},
		{known("execute-api:/prod/*"), APIRes{Stage: "prod", Method: "*", HasMethod: true}},
		{known("execute-api:/Prod/GET/orders/{id}"), APIRes{Stage: "Prod", Method: "GET", HasMethod: true, Path: "/orders/{id}", HasPath: true}},
		{unknown("arn:aws:execute-api:${AWS::Region}:${AWS::AccountId}:*/V1/GET/*"), APIRes{Stage: "V1", Method: "GET", HasMethod: true, Path: "/*", HasPath: true}},
		{unknown("execute-api:/${Stage}/*"), APIRes{Unknown: true}},
		{unknown(""), APIRes{Unknown: true}},
		{known("arn:aws:s3:::bucket/*"), APIRes{Other: true}},
		{known("arn:aws:execute-api:us-east-1:123456789012:abcde12345"), APIRes{Unknown: true}},
		{known("execute-api:*"), APIRes{Unknown: true}},
	}
	for _, tt := range tests {
		if got := ParseAPIRes(tt.v); got != tt.want {
			t.Errorf("ParseAPIRes(%q) = %+v, want %+v", tt.v.S, got, tt.want)
		}
	}
}

func TestTimeConditions(t *testing.T) {
	at := time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)
	cond := func(op, key string, vals ...string) apimodel.Condition {
		c := apimodel.Condition{Operator: op, Key: key}
		for _, v := range vals {
			c.Values = append(c.Values, apimodel.Value{S: v, Known: true})
		}
		return c
	}
	tests := []struct {
		name        string
		conds       []apimodel.Condition
		ended, true bool
	}{
		{"no condition", nil, false, true},
		{"before a past date", []apimodel.Condition{cond("DateLessThan", "aws:CurrentTime", "2024-03-31T23:59:59Z")}, true, false},
		{"before a future date", []apimodel.Condition{cond("DateLessThan", "aws:CurrentTime", "2099-01-01T00:00:00Z")}, false, false},
		{"one of two dates ahead", []apimodel.Condition{cond("DateLessThan", "aws:CurrentTime", "2020-01-01", "2030-01-01")}, false, false},
		{"epoch seconds past", []apimodel.Condition{cond("NumericLessThanEquals", "aws:EpochTime", "1600000000")}, true, false},
		{"after a past date", []apimodel.Condition{cond("DateGreaterThan", "aws:CurrentTime", "2023-12-31T00:00:00Z")}, false, true},
		{"after a future date", []apimodel.Condition{cond("DateGreaterThan", "aws:CurrentTime", "2099-12-31")}, false, false},
		{"IfExists", []apimodel.Condition{cond("DateLessThanIfExists", "aws:CurrentTime", "2024-01-01")}, true, false},
		{"other key", []apimodel.Condition{cond("StringEquals", "aws:SourceVpce", "vpce-1")}, false, false},
		{"not a date", []apimodel.Condition{cond("DateLessThan", "aws:CurrentTime", "soon")}, false, false},
	}
	for _, tt := range tests {
		st := &apimodel.Statement{Conditions: tt.conds}
		if got := WindowEnded(st, at) != nil; got != tt.ended {
			t.Errorf("%s: WindowEnded = %v, want %v", tt.name, got, tt.ended)
		}
		if got := AlwaysTrue(st, at); got != tt.true {
			t.Errorf("%s: AlwaysTrue = %v, want %v", tt.name, got, tt.true)
		}
	}
}

func TestCoversInvoke(t *testing.T) {
	tests := []struct {
		actions     []string
		not         bool
		may, surely bool
	}{
		{[]string{"execute-api:Invoke"}, false, true, true},
		{[]string{"execute-api:*"}, false, true, true},
		{[]string{"sts:AssumeRole"}, false, false, false},
		{[]string{"${Action}"}, false, true, false},
		{[]string{"execute-api:ManageConnections"}, true, true, false},
		{[]string{"execute-api:*"}, true, false, false},
	}
	for _, tt := range tests {
		st := &apimodel.Statement{Actions: tt.actions, NotAction: tt.not}
		if got := CoversInvoke(st); got != tt.may {
			t.Errorf("CoversInvoke(%v, not=%v) = %v, want %v", tt.actions, tt.not, got, tt.may)
		}
		if got := CoversInvokeSurely(st); got != tt.surely {
			t.Errorf("CoversInvokeSurely(%v, not=%v) = %v, want %v", tt.actions, tt.not, got, tt.surely)
		}
	}
}

// resourceNode parses text and returns the document and the mapping of
// resource id.
func resourceNode(t *testing.T, text, id string) (*yamlpos.Doc, *yaml.Node) {
	t.Helper()
	d, err := yamlpos.Parse(source.NewFile("template", text))
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	n := yamlpos.Value(yamlpos.Value(d.Root, "Resources"), id)
	if n == nil {
		t.Fatalf("no resource %s", id)
	}
	return d, n
}

func TestAppendDependsOn(t *testing.T) {
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
			e, err := AppendDependsOn(d, n, add)
			if err != nil {
				t.Fatalf("AppendDependsOn: %v", err)
			}
			got, err := yamlpos.Apply(tt.text, e)
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("AppendDependsOn(%s) =\n%q\nwant\n%q", tt.name, got, tt.want)
			}
			// The result reads back with every id.
			d2, n2 := resourceNode(t, got, "D")
			_ = d2
			var ids []string
			dep := yamlpos.Value(n2, "DependsOn")
			for _, it := range yamlpos.Items(dep) {
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
	e, err := InsertPath(d, n, []string{"Properties", "Auth", "UsagePlan", "CreateUsagePlan"}, "PER_API")
	if err != nil {
		t.Fatal(err)
	}
	got, _ := yamlpos.Apply(text, e)
	want := text + "        UsagePlan:\n          CreateUsagePlan: PER_API\n"
	if got != want {
		t.Errorf("InsertPath = %q, want %q", got, want)
	}
	if _, err := InsertPath(d, n, []string{"Properties", "StageName"}, "x"); err == nil {
		t.Errorf("InsertPath over an existing key: no error")
	}
	if _, err := InsertPath(d, n, []string{"Properties", "StageName", "X"}, "x"); err == nil {
		t.Errorf("InsertPath under a scalar: no error")
	}
}

func TestResolveIf(t *testing.T) {
	text := "Parameters:\n  Env: {Type: String, Default: prod}\n  Free: {Type: String}\n" +
		"Conditions:\n  IsProd: !Equals [!Ref Env, prod]\n  IsFree: !Equals [!Ref Free, x]\n" +
		"Resources:\n  R:\n    Type: X\n    Properties:\n" +
		"      A: !If [IsProd, yes-branch, no-branch]\n" +
		"      B: !If [IsFree, yes-branch, no-branch]\n" +
		"      C: plain\n" +
		"      D: !Ref Env\n"
	tm, problems := template.Load(source.NewFile("template.yaml", text))
	if len(problems) > 0 {
		t.Fatalf("Load: %v", problems)
	}
	r := tm.Resource("R")
	tests := []struct {
		prop string
		want string // "" for nil
	}{
		{"A", "yes-branch"},
		{"B", ""},
		{"C", "plain"},
		{"D", ""},
	}
	for _, tt := range tests {
		got := ResolveIf(tm, r.Prop(tt.prop))
		switch {
		case tt.want == "" && got != nil:
			t.Errorf("ResolveIf(%s) = %q, want nil", tt.prop, got.Value)
		case tt.want != "" && (got == nil || got.Value != tt.want):
			t.Errorf("ResolveIf(%s) = %v, want %q", tt.prop, got, tt.want)
		}
	}
}
