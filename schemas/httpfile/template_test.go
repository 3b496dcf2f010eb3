package httpfile

import (
	"reflect"
	"testing"

	"github.com/gw403/gw403-lsp/schemas/source"
)

func TestClassifyRef(t *testing.T) {
	tests := []struct {
		text string
		kind VarKind
		name string
		args []string
	}{
		{"{{host}}", VarUser, "host", nil},
		{"{{ host }}", VarUser, "host", nil},
		{"{{api.baseUrl}}", VarUser, "api.baseUrl", nil},
		{"{{注文ID}}", VarUser, "注文ID", nil},
		{"{{$processEnv AWS_SECRET}}", VarProcessEnv, "AWS_SECRET", nil},
		{"{{$processEnv %secretVarName}}", VarProcessEnv, "%secretVarName", nil},
		{"{{$dotenv API_KEY}}", VarDotenv, "API_KEY", nil},
		{"{{$dotenv %keyName}}", VarDotenv, "%keyName", nil},
		{"{{$env.HOME}}", VarProcessEnv, "HOME", nil},
		{"{{$shared prodToken}}", VarShared, "prodToken", nil},
		{"{{$guid}}", VarSystem, "$guid", nil},
		{"{{$uuid}}", VarSystem, "$uuid", nil},
		{"{{$random.uuid}}", VarSystem, "$random.uuid", nil},
		{"{{$randomInt 1 5}}", VarSystem, "$randomInt", []string{"1", "5"}},
		{"{{$datetime iso8601}}", VarSystem, "$datetime", []string{"iso8601"}},
		{"{{$timestamp -3 h}}", VarSystem, "$timestamp", []string{"-3", "h"}},
		{`{{$random.integer(1, 10)}}`, VarSystem, "$random.integer", []string{"1", "10"}},
		{`{{$auth.token("cognito")}}`, VarSystem, "$auth.token", []string{`"cognito"`}},
		{`{{$random.email}}`, VarSystem, "$random.email", nil},
		{"{{$shell whoami}}", VarShell, "$shell", []string{"whoami"}},
		{"{{login.response.body.$.token}}", VarRequest, "login", nil},
		{"{{login.response.headers.X-Token}}", VarRequest, "login", nil},
		{"{{getReplies.response.body.//reply[1]/@id}}", VarRequest, "getReplies", nil},
		{"{{ new Date().toISOString() }}", VarExpr, "new Date().toISOString()", nil},
		{"{{token ? token : 'none'}}", VarExpr, "token ? token : 'none'", nil},
		{"{{}}", VarExpr, "", nil},
	}
	for _, tt := range tests {
		tp := ParseTemplate("x"+tt.text+"y", 10)
		if len(tp.Refs) != 1 {
			t.Errorf("ParseTemplate(%q) has %d refs, want 1", tt.text, len(tp.Refs))
			continue
		}
		r := tp.Refs[0]
		if r.Kind != tt.kind || r.Name != tt.name {
			t.Errorf("ParseTemplate(%q) = %v %q, want %v %q", tt.text, r.Kind, r.Name, tt.kind, tt.name)
		}
		if got := r.Args(); !reflect.DeepEqual(got, tt.args) && !(len(got) == 0 && len(tt.args) == 0) {
			t.Errorf("Args of %q = %q, want %q", tt.text, got, tt.args)
		}
		if want := (source.Span{Start: 11, End: 11 + len(tt.text)}); r.Span != want {
			t.Errorf("span of %q = %v, want %v", tt.text, r.Span, want)
		}
	}
}

func TestTemplateRefsEdgeCases(t *testing.T) {
	tests := []struct {
		text string
		want []string // the source text of each ref
	}{
		{"no refs", nil},
		{"{{a}}{{b}}", []string{"{{a}}", "{{b}}"}},
		{`\{{escaped}} {{real}}`, []string{"{{real}}"}},
		{"{{open\n}} {{x}}", []string{"{{x}}"}},
		{"{{{triple}}}", []string{"{{triple}}"}},
		{"{{unclosed", nil},
		{"}}{{", nil},
	}
	for _, tt := range tests {
		tp := ParseTemplate(tt.text, 0)
		var got []string
		for _, r := range tp.Refs {
			got = append(got, tt.text[r.Span.Start:r.Span.End])
		}
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("refs of %q = %q, want %q", tt.text, got, tt.want)
		}
	}
}

func TestLooksLikeURL(t *testing.T) {
	tests := []struct {
		t    string
		want bool
	}{
		{"https://api.example.com/x", true},
		{"HTTP://EXAMPLE.COM", true},
		{"/prod/orders", true},
		{"{{baseUrl}}/orders", true},
		{"{{ baseUrl }}/orders", true},
		{"example.com/api", true},
		{"localhost:8080/x", true},
		{"10.0.0.1:443", true},
		{"description", false},
		{"}", false},
		{"fragment Parts on Repo {", false},
		{"Content-Type:", false},
		{"a.b c", false},
	}
	for _, tt := range tests {
		if got := looksLikeURL(tt.t, true); got != tt.want {
			t.Errorf("looksLikeURL(%q) = %v, want %v", tt.t, got, tt.want)
		}
	}
}
