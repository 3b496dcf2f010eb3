package template

import (
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
