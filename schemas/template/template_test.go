package template

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/gw403/gw403-lsp/schemas/source"
	"github.com/gw403/gw403-lsp/schemas/yamlpos"
)

func load(t *testing.T, name string, opts Options) (*Template, []Problem) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return LoadWith(source.NewFile(name, string(b)), opts)
}

func TestLoadSAM(t *testing.T) {
	tp, probs := load(t, "eval.yaml", Options{})
	if len(probs) != 0 {
		t.Fatalf("problems: %v", probs)
	}
	if tp.NotTemplate || !tp.IsSAM || tp.MissingTransform || tp.Format != YAML {
		t.Errorf("NotTemplate=%v IsSAM=%v MissingTransform=%v Format=%v, want false true false YAML", tp.NotTemplate, tp.IsSAM, tp.MissingTransform, tp.Format)
	}
	var ids []string
	for _, r := range tp.Resources {
		ids = append(ids, r.LogicalID+"="+r.Type)
	}
	if got, want := strings.Join(ids, " "), "MyApi=AWS::Serverless::Api RestApi=AWS::ApiGateway::RestApi V1Stage=AWS::ApiGateway::Stage Fn=AWS::Serverless::Function"; got != want {
		t.Errorf("resources = %s, want %s", got, want)
	}
	if got := len(tp.Parameters); got != 3 {
		t.Errorf("%d parameters, want 3", got)
	}
	if p := tp.Parameter("NoDefault"); p == nil || p.Default != nil {
		t.Errorf("NoDefault parameter = %+v, want one without Default", p)
	}
	if got := len(tp.Conditions); got != 7 {
		t.Errorf("%d conditions, want 7", got)
	}
	if got := len(tp.Outputs); got < 30 {
		t.Errorf("%d outputs, want all of them", got)
	}
	st := tp.Resource("V1Stage")
	f := tp.File
	checks := []struct {
		what string
		sp   source.Span
		want string
	}{
		{"logical id", st.KeySpan, "V1Stage"},
		{"type", st.TypeSpan, "AWS::ApiGateway::Stage"},
		{"properties key", st.PropertiesSpan, "Properties"},
		{"prop key", st.Property("RestApiId").KeySpan, "RestApiId"},
		{"prop value", st.Property("RestApiId").ValueSpan, "!Ref RestApi"},
		{"resource", st.Span, "V1Stage:\n    Type: AWS::ApiGateway::Stage\n    Properties:\n      StageName: v1\n      RestApiId: !Ref RestApi"},
		{"transform", tp.TransformSpan, "AWS::Serverless-2016-10-31"},
		{"param key", tp.Parameter("Env").KeySpan, "Env"},
	}
	for _, c := range checks {
		if got := f.Slice(c.sp); got != c.want {
			t.Errorf("%s slices to %q, want %q", c.what, got, c.want)
		}
	}
}

func TestLoadJSONWithTabsAndCRLF(t *testing.T) {
	tp, probs := load(t, "tabs-crlf.json", Options{})
	if len(probs) != 0 {
		t.Fatalf("problems: %v", probs)
	}
	if tp.Format != JSON || tp.IsSAM || tp.NotTemplate {
		t.Errorf("Format=%v IsSAM=%v NotTemplate=%v, want JSON false false", tp.Format, tp.IsSAM, tp.NotTemplate)
	}
	dep := tp.Resource("Dep")
	if got := strings.Join(dep.DependsOn, ","); got != "M1,M2" {
		t.Errorf("DependsOn = %s, want M1,M2", got)
	}
	if dep.Condition != "C" {
		t.Errorf("Condition = %q, want C", dep.Condition)
	}
	if got := tp.File.Slice(dep.KeySpan); got != `"Dep"` {
		t.Errorf("KeySpan slices to %q", got)
	}
	if got := tp.File.Slice(tp.Doc.Span(dep.DependsOnNode)); got != `["M1", "M2"]` {
		t.Errorf("DependsOn span slices to %q", got)
	}
	api := tp.Resource("Api")
	if got, ok := tp.EvalString(api.Prop("Name")); !ok || got != "api-v1" {
		t.Errorf("Eval(Name) = %q, %v, want api-v1", got, ok)
	}
	if got := tp.File.Slice(api.Property("Description").ValueSpan); got != `"説明 😀"` {
		t.Errorf("Description span slices to %q", got)
	}
	v := tp.Eval(dep.Prop("RestApiId"))
	if v.Kind != ResourceRef || v.LogicalID != "Api" || v.ResourceType != "AWS::ApiGateway::RestApi" {
		t.Errorf("Eval(RestApiId) = %+v, want a ResourceRef to Api", v)
	}
}

func TestNotTemplate(t *testing.T) {
	tp, probs := load(t, "openapi.yaml", Options{})
	if len(probs) != 0 || !tp.NotTemplate {
		t.Errorf("openapi.yaml: NotTemplate=%v problems=%v, want true and none", tp.NotTemplate, probs)
	}
	for _, text := range []string{"", "# only a comment\n", "- a\n- b\n", "just a string"} {
		tp, probs := Load(source.NewFile("x.yaml", text))
		if len(probs) != 0 || !tp.NotTemplate {
			t.Errorf("Load(%q): NotTemplate=%v problems=%v, want true and none", text, tp.NotTemplate, probs)
		}
	}
}

func TestSAMWithoutTransform(t *testing.T) {
	tp, probs := load(t, "sam-no-transform.yaml", Options{})
	if len(probs) != 0 {
		t.Fatalf("problems: %v", probs)
	}
	if !tp.IsSAM || !tp.MissingTransform || tp.Globals == nil {
		t.Errorf("IsSAM=%v MissingTransform=%v Globals=%v, want true true non-nil", tp.IsSAM, tp.MissingTransform, tp.Globals != nil)
	}
}

func TestInvalidYAML(t *testing.T) {
	tp, probs := load(t, "invalid.yaml", Options{})
	if len(probs) != 1 {
		t.Fatalf("problems = %v, want one", probs)
	}
	if got := tp.File.Slice(probs[0].Span); got != "Handler: app.handler: broken" {
		t.Errorf("problem span slices to %q, want the offending line", got)
	}
	if !strings.Contains(probs[0].Message, "line 6") {
		t.Errorf("message %q does not name the line", probs[0].Message)
	}
	if len(tp.Resources) != 0 {
		t.Errorf("an unparsable template has %d resources, want 0", len(tp.Resources))
	}
}

func TestResourcesNotAMapping(t *testing.T) {
	tp, probs := Load(source.NewFile("t.yaml", "AWSTemplateFormatVersion: '2010-09-09'\nResources: [a, b]\n"))
	if len(probs) != 1 || tp.File.Slice(probs[0].Span) != "[a, b]" {
		t.Errorf("problems = %v, want one on [a, b]", probs)
	}
}

func TestEval(t *testing.T) {
	tests := []struct {
		output  string
		region  string
		kind    Kind
		display string
	}{
		{"RefParam", "", String, "dev"},
		{"RefNoDefault", "", Unknown, "${parameter NoDefault has no Default}"},
		{"RefList", "", List, "[a, b, c]"},
		{"RefRegion", "", Unknown, "${AWS::Region}"},
		{"RefRegion", "ap-northeast-1", String, "ap-northeast-1"},
		{"RefURLSuffix", "", String, "amazonaws.com"},
		{"RefStackName", "", Unknown, "${AWS::StackName}"},
		{"RefApi", "", ResourceRef, "${MyApi}"},
		{"RefRestApi", "", ResourceRef, "${RestApi}"},
		{"RefStage", "", String, "v1"},
		{"RefSAMStage", "", String, "dev"},
		{"RefImplicit", "", ResourceRef, "${ServerlessRestApi}"},
		{"RootResource", "", ResourceRef, "${RestApi.RootResourceId}"},
		{"RootResourceLong", "", ResourceRef, "${RestApi.RootResourceId}"},
		{"SubURL", "", Unknown, "https://${MyApi}.execute-api.${AWS::Region}.amazonaws.com/dev/"},
		{"SubURL", "eu-west-1", Unknown, "https://${MyApi}.execute-api.eu-west-1.amazonaws.com/dev/"},
		{"SubKnown", "", String, "dev-orders-${Literal}"},
		{"SubAttr", "", Unknown, "${Fn.Arn}"},
		{"SubTwoArg", "", String, "development/dev"},
		{"SubLong", "", String, "x-dev"},
		{"Join", "", String, "a-dev-c"},
		{"JoinUnknown", "", Unknown, "arn:${AWS::Partition}:x"},
		{"JoinUnknown", "us-east-1", String, "arn:aws:x"},
		{"Select", "", String, "q"},
		{"SelectParam", "", String, "c"},
		{"IfStatic", "", String, "small"},
		{"IfOpen", "", OneOf, "big | small"},
		{"IfNoValue", "", NoValue, "${AWS::NoValue}"},
		{"FindInMap", "", String, "production"},
		{"FindInMapMissing", "", Unknown, "${Fn::FindInMap: no StageMap/test/Name}"},
		{"Import", "", Unknown, "${Fn::ImportValue}"},
		{"Base64", "", String, "aGk="},
		{"AZs", "", Unknown, "${Fn::Select list}"},
		{"Equals", "", String, "true"},
		{"CondLong", "", String, "yes-long"},
		{"CondBoth", "", String, "yes-both"},
		{"CondLoop", "", OneOf, "a | b"},
		{"Cidr", "", Unknown, "${Fn::Cidr}"},
		{"GeneratedStage", "", String, "dev"},
		{"GeneratedImplicitStage", "", String, "Prod"},
		{"NotAGeneratedStage", "", Unknown, "${Ref MyApiprodStage}"},
	}
	for _, tt := range tests {
		t.Run(tt.output+"/"+tt.region, func(t *testing.T) {
			tp, _ := load(t, "eval.yaml", Options{Region: tt.region})
			var out *Output
			for _, o := range tp.Outputs {
				if o.Name == tt.output {
					out = o
				}
			}
			if out == nil {
				t.Fatalf("no output %s", tt.output)
			}
			v := tp.Eval(out.Value)
			if v.Kind != tt.kind || v.Display() != tt.display {
				t.Errorf("Eval(%s) = %v %q, want %v %q", tt.output, v.Kind, v.Display(), tt.kind, tt.display)
			}
			if v.Node == nil {
				t.Errorf("Eval(%s) has no Node", tt.output)
			}
		})
	}
}

func TestEvalPartsKeepReferences(t *testing.T) {
	tp, _ := load(t, "eval.yaml", Options{})
	var v Value
	for _, o := range tp.Outputs {
		if o.Name == "SubURL" {
			v = tp.Eval(o.Value)
		}
	}
	var refs []string
	for _, p := range v.Parts {
		if p.Kind == ResourceRef {
			refs = append(refs, p.LogicalID)
		}
	}
	if strings.Join(refs, ",") != "MyApi" {
		t.Errorf("Parts refs = %v, want [MyApi]", refs)
	}
}

func TestConditionValue(t *testing.T) {
	tp, _ := load(t, "eval.yaml", Options{})
	tests := []struct {
		name         string
		value, known bool
	}{
		{"IsProd", false, true},
		{"IsDev", true, true},
		{"Both", true, true},
		{"OpenCond", false, false},
		{"Loop1", false, false},
		{"Missing", false, false},
	}
	for _, tt := range tests {
		v, k := tp.ConditionValue(tt.name)
		if v != tt.value || k != tt.known {
			t.Errorf("ConditionValue(%s) = %v, %v, want %v, %v", tt.name, v, k, tt.value, tt.known)
		}
	}
}

// TestEvalAliasBomb checks that evaluating a node built of nested aliases
// stays within the step budget instead of expanding 9^9 strings.
func TestEvalAliasBomb(t *testing.T) {
	var b strings.Builder
	b.WriteString("AWSTemplateFormatVersion: '2010-09-09'\nMappings:\n  M:\n    a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n")
	prev := "a0"
	for i := 1; i < 10; i++ {
		name := "a" + string(rune('0'+i))
		b.WriteString("    " + name + ": &" + name + " [")
		for j := 0; j < 9; j++ {
			if j > 0 {
				b.WriteString(", ")
			}
			b.WriteString("*" + prev)
		}
		b.WriteString("]\n")
		prev = name
	}
	b.WriteString("Resources: {}\nOutputs:\n  Bomb:\n    Value: !Join ['', *a9]\n")
	tp, probs := Load(source.NewFile("bomb.yaml", b.String()))
	if len(probs) != 0 {
		t.Fatalf("problems: %v", probs)
	}
	v := tp.Eval(tp.Outputs[0].Value)
	if v.Kind == String && len(v.S) > 1<<20 {
		t.Errorf("alias bomb expanded to %d bytes", len(v.S))
	}
}

func TestIntrinsic(t *testing.T) {
	tp, _ := Load(source.NewFile("t.yaml", "a: !Ref X\nb: {Ref: X}\nc: {\"Fn::Sub\": s}\nd: {Ref: X, Other: 1}\ne: !Custom x\n"))
	tests := []struct {
		key  string
		name string
		ok   bool
	}{
		{"a", "Ref", true},
		{"b", "Ref", true},
		{"c", "Fn::Sub", true},
		{"d", "", false},
		{"e", "", false},
	}
	for _, tt := range tests {
		_, v := getPair(tp, tt.key)
		name, arg, ok := Intrinsic(v)
		if name != tt.name || ok != tt.ok {
			t.Errorf("Intrinsic(%s) = %q, %v, want %q, %v", tt.key, name, ok, tt.name, tt.ok)
		}
		if ok && arg == nil {
			t.Errorf("Intrinsic(%s) has no argument", tt.key)
		}
	}
}

func getPair(tp *Template, key string) (k, v *yaml.Node) {
	return yamlpos.Get(tp.Doc.Root, key)
}

func TestNotUTF8(t *testing.T) {
	tp, probs := Load(source.NewFile("latin1.yaml", "Resources:\n  Api:\n    Type: caf\xe9\n"))
	if len(probs) != 1 || !strings.Contains(probs[0].Message, "not UTF-8") {
		t.Fatalf("problems = %v, want one saying the file is not UTF-8", probs)
	}
	if got := tp.File.Slice(probs[0].Span); got != "\xe9" {
		t.Errorf("problem span slices to %q, want the invalid byte", got)
	}
}

func TestEvalParams(t *testing.T) {
	tp, _ := load(t, "eval.yaml", Options{})
	tests := []struct {
		output string
		params string
	}{
		{"RefParam", "Env"},
		{"SubURL", "Env"},
		{"SubTwoArg", "Env"},
		{"RefList", "Subnets"},
		{"RefURLSuffix", ""},
		{"Join", "Env"},
		{"RefSAMStage", "Env"},
	}
	for _, tt := range tests {
		for _, o := range tp.Outputs {
			if o.Name != tt.output {
				continue
			}
			if got := strings.Join(tp.Eval(o.Value).Params, ","); got != tt.params {
				t.Errorf("Eval(%s).Params = %q, want %q", tt.output, got, tt.params)
			}
		}
	}
}

// TestNotTemplateShapes: YAML with a Resources key that is not a template
// (CodeDeploy's appspec.yml, an app's settings) is NotTemplate, with no
// problem to report.
func TestNotTemplateShapes(t *testing.T) {
	for name, text := range map[string]string{
		"appspec":  "version: 0.0\nResources:\n  - fn:\n      Type: AWS::Lambda::Function\n",
		"settings": "Resources:\n  Logging:\n    Type: console\n",
	} {
		tm, probs := Load(source.NewFile(name+".yaml", text))
		if !tm.NotTemplate || len(probs) != 0 {
			t.Errorf("%s: NotTemplate = %v, problems %v; want a non-template and no problem", name, tm.NotTemplate, probs)
		}
	}
	if tm, _ := Load(source.NewFile("t.yaml", "Resources:\n  Q:\n    Type: AWS::SQS::Queue\n")); tm.NotTemplate {
		t.Errorf("a Resources mapping with an AWS:: type is a template")
	}
}
