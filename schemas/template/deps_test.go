package template

import (
	"strings"
	"testing"

	"github.com/gw403/gw403-lsp/schemas/source"
)

func TestResolveIf(t *testing.T) {
	text := "Parameters:\n  Env: {Type: String, Default: prod}\n  Free: {Type: String}\n" +
		"Conditions:\n  IsProd: !Equals [!Ref Env, prod]\n  IsFree: !Equals [!Ref Free, x]\n" +
		"Resources:\n  R:\n    Type: X\n    Properties:\n" +
		"      A: !If [IsProd, yes-branch, no-branch]\n" +
		"      B: !If [IsFree, yes-branch, no-branch]\n" +
		"      C: plain\n" +
		"      D: !Ref Env\n"
	tm, problems := Load(source.NewFile("template.yaml", text))
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
		got := tm.ResolveIf(r.Prop(tt.prop))
		switch {
		case tt.want == "" && got != nil:
			t.Errorf("ResolveIf(%s) = %q, want nil", tt.prop, got.Value)
		case tt.want != "" && (got == nil || got.Value != tt.want):
			t.Errorf("ResolveIf(%s) = %v, want %q", tt.prop, got, tt.want)
		}
	}
}

func TestDependencies(t *testing.T) {
	text := "Parameters:\n  Env: {Type: String}\n" +
		"Conditions:\n  Never: !Equals [a, b]\n  Maybe: !Equals [!Ref Env, prod]\n" +
		"Resources:\n" +
		"  Api: {Type: AWS::ApiGateway::RestApi}\n" +
		"  Res:\n    Type: AWS::ApiGateway::Resource\n    Properties:\n      RestApiId: !Ref Api\n      ParentId: !GetAtt Api.RootResourceId\n" +
		"  Method:\n    Type: AWS::ApiGateway::Method\n    Condition: Maybe\n    Properties:\n      RestApiId: {\"Ref\": \"Api\"}\n      ResourceId: !Ref Res\n" +
		"  Dep:\n    Type: AWS::ApiGateway::Deployment\n    DependsOn: Method\n    Properties:\n      RestApiId: !Ref Api\n      Description: !Sub '${Env} ${Res.Id} ${!Literal}'\n" +
		"  Gone:\n    Type: AWS::SNS::Topic\n    Condition: Never\n" +
		"  ApiDeployment: {Type: X}\n"
	tm, problems := Load(source.NewFile("template.yaml", text))
	if len(problems) > 0 {
		t.Fatalf("Load: %v", problems)
	}
	g := tm.Dependencies()
	want := map[string]string{
		"Api":    "",
		"Res":    "Api",
		"Method": "Api Res",
		"Dep":    "Method Api Res", // DependsOn first; Env is a parameter, not a resource
	}
	for id, w := range want {
		if got := strings.Join(g[id], " "); got != w {
			t.Errorf("Dependencies[%s] = %q, want %q", id, got, w)
		}
	}
	reach := tm.Dependencies().Reaches("Dep")
	if len(reach) != 3 || !reach["Api"] || !reach["Res"] || !reach["Method"] {
		t.Errorf("Reaches(Dep) = %v, want Api, Res and Method", reach)
	}
	if got := tm.RefTo(tm.Resource("Method").Prop("RestApiId")); got != "Api" {
		t.Errorf("RefTo(long-form Ref) = %q, want Api", got)
	}
	if got := tm.RefTo(tm.Resource("Res").Prop("ParentId")); got != "Api" {
		t.Errorf("RefTo(GetAtt) = %q, want Api", got)
	}
	if got := tm.RefTo(tm.Resource("Dep").Prop("Description")); got != "" {
		t.Errorf("RefTo(Sub) = %q, want nothing", got)
	}
	for _, c := range []struct {
		id                   string
		created, conditional bool
	}{{"Api", true, false}, {"Method", true, true}, {"Gone", false, true}} {
		r := tm.Resource(c.id)
		if tm.Created(r) != c.created || tm.Conditional(r) != c.conditional {
			t.Errorf("%s: Created %v, Conditional %v; want %v, %v", c.id, tm.Created(r), tm.Conditional(r), c.created, c.conditional)
		}
	}
	taken := map[string]bool{}
	if a, b := tm.UniqueID("ApiDeployment", taken), tm.UniqueID("ApiDeployment", taken); a != "ApiDeployment2" || b != "ApiDeployment3" {
		t.Errorf("UniqueID twice = %q, %q; want ApiDeployment2, ApiDeployment3", a, b)
	}
	if r := tm.ResourceAround(tm.Resource("Res").Property("ParentId").ValueSpan); r == nil || r.LogicalID != "Res" {
		t.Errorf("ResourceAround(a value of Res) = %v", r)
	}
}
