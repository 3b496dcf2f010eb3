package env

import (
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/gw403/gw403-lsp/schemas/httpfile"
	"github.com/gw403/gw403-lsp/schemas/source"
)

// diskLookup reads fixtures; tests only.
func diskLookup(t *testing.T) Lookup {
	t.Helper()
	return func(p string) *source.File {
		b, err := os.ReadFile(p)
		if err != nil {
			return nil
		}
		return source.NewFile(p, string(b))
	}
}

func mustFile(t *testing.T, p string) *source.File {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return source.NewFile(p, string(b))
}

const (
	root    = "testdata/ws"
	reqPath = "testdata/ws/api/orders.http"
)

func testSet(t *testing.T) *Set {
	t.Helper()
	set, problems := BuildSet(reqPath, root, diskLookup(t))
	if len(problems) > 0 {
		t.Fatalf("BuildSet problems: %+v", problems)
	}
	return set
}

func TestParseEnvJSONSpans(t *testing.T) {
	src := mustFile(t, "testdata/ws/http-client.env.json")
	f, problems := ParseEnvJSON(src, false)
	if len(problems) > 0 {
		t.Fatalf("problems: %+v", problems)
	}
	var names []string
	for _, e := range f.Envs {
		names = append(names, e.Name)
		if got := src.Slice(e.NameSpan); got != `"`+e.Name+`"` {
			t.Errorf("env %s name span covers %q", e.Name, got)
		}
	}
	if want := []string{"$shared", "dev", "prod"}; !reflect.DeepEqual(names, want) {
		t.Errorf("envs = %q, want %q", names, want)
	}
	tests := []struct {
		env, name, text, token string
		kind                   ValueKind
	}{
		{"dev", "baseUrl", "https://root-dev.example.com", `"https://root-dev.example.com"`, ValueString},
		{"dev", "port", "8443", "8443", ValueNumber},
		{"dev", "debug", "true", "true", ValueBool},
		{"dev", "nothing", "", "null", ValueNull},
		{"$shared", "stage", "prod", `"prod"`, ValueString},
	}
	for _, tt := range tests {
		v := f.Env(tt.env).Get(tt.name)
		if v == nil {
			t.Errorf("%s.%s missing", tt.env, tt.name)
			continue
		}
		if v.Text != tt.text || v.Kind != tt.kind || src.Slice(v.Origin.Span) != tt.token || v.Origin.Env != tt.env || v.Origin.Secret {
			t.Errorf("%s.%s = %q kind %d token %q env %q secret %v, want %q %d %q %q false", tt.env, tt.name,
				v.Text, v.Kind, src.Slice(v.Origin.Span), v.Origin.Env, v.Origin.Secret, tt.text, tt.kind, tt.token, tt.env)
		}
		if got := src.Slice(v.Origin.NameSpan); got != `"`+tt.name+`"` {
			t.Errorf("%s.%s name span covers %q", tt.env, tt.name, got)
		}
	}
	prod := f.Env("prod")
	if prod.Get("SSLConfiguration") != nil || prod.Get("Security") != nil {
		t.Errorf("SSLConfiguration / Security read as variables")
	}
	ssl := prod.SSL
	if ssl == nil || ssl.ClientCertificate == nil || ssl.ClientCertificate.Text != "certs/prod.pem" ||
		ssl.ClientCertificateKey.Text != "certs/prod.key" || !ssl.HasCertificatePassphrase ||
		ssl.VerifyHostCertificate == nil || *ssl.VerifyHostCertificate {
		t.Fatalf("SSLConfiguration = %+v", ssl)
	}
	if got := src.Slice(ssl.ClientCertificate.Origin.Span); got != `"certs/prod.pem"` {
		t.Errorf("clientCertificate span covers %q", got)
	}
	if len(prod.Auth) != 1 || prod.Auth[0].ID != "cognito" || prod.Auth[0].Type != "OAuth2" || len(prod.Auth[0].Fields) != 4 {
		t.Errorf("Security.Auth = %+v", prod.Auth)
	}
	// References inside a value point into the file.
	base := prod.Get("baseUrl")
	if len(base.Template.Refs) != 3 || src.Slice(base.Template.Refs[0].Span) != "{{apiId}}" {
		t.Errorf("baseUrl refs = %+v", base.Template.Refs)
	}
}

func TestParseEnvJSONNestedAndEscaped(t *testing.T) {
	src := mustFile(t, "testdata/ws/api/http-client.env.json")
	f, problems := ParseEnvJSON(src, false)
	if len(problems) > 0 {
		t.Fatalf("problems: %+v", problems)
	}
	dev := f.Env("dev")
	if v := dev.Get("auth.user"); v == nil || v.Text != "alice" || src.Slice(v.Origin.Span) != `"alice"` {
		t.Errorf("auth.user = %+v", v)
	}
	if v := dev.Get("auth"); v == nil || v.Kind != ValueObject || !strings.HasPrefix(v.Text, `{"user"`) {
		t.Errorf("auth = %+v", v)
	}
	if v := dev.Get("auth.scopes"); v == nil || v.Kind != ValueArray || v.Text != `["read", "write"]` {
		t.Errorf("auth.scopes = %+v", v)
	}
	esc := dev.Get("escaped")
	if esc.Text != "tab\there {{host}}" || len(esc.Template.Refs) != 1 || esc.Template.Refs[0].Span != esc.Origin.Span {
		t.Errorf("escaped = %q refs %+v (want the ref to span the whole value %v)", esc.Text, esc.Template.Refs, esc.Origin.Span)
	}
	if v := dev.Get("日本語"); v == nil || v.Text != "値" || src.Slice(v.Origin.Span) != `"値"` {
		t.Errorf("日本語 = %+v", v)
	}
}

func TestParseVSCodeSettingsJSONC(t *testing.T) {
	src := mustFile(t, "testdata/ws/.vscode/settings.json")
	f, problems := ParseVSCodeSettings(src)
	if len(problems) > 0 {
		t.Fatalf("problems: %+v", problems)
	}
	if f.Env("$shared").Get("version").Text != "v1" || f.Env("dev").Get("token").Text != "{{$shared prodToken}}" {
		t.Errorf("environments = %+v", f.Envs)
	}
	if len(f.Certs) != 2 {
		t.Fatalf("certs = %+v", f.Certs)
	}
	c := f.Certs[0]
	if c.Host != "mtls.example.com" || c.Cert.Text != "certs/client.crt" || c.Key.Text != "certs/client.key" || src.Slice(c.Origin.NameSpan) != `"mtls.example.com"` {
		t.Errorf("cert[0] = %+v", c)
	}
	if p := f.Certs[1]; p.Pfx == nil || p.Phase == nil || !p.Phase.Origin.Secret {
		t.Errorf("cert[1] = %+v", p)
	}
}

func TestParseDotEnv(t *testing.T) {
	tests := []struct {
		name, in string
		want     map[string]string // name → value
		token    map[string]string // name → source text of the value span
		problems int
	}{
		{"plain", "A=1\nB = two words \n", map[string]string{"A": "1", "B": "two words"}, map[string]string{"B": "two words"}, 0},
		{"export and comments", "# c\nexport A=x # trailing\n\n  B=y#z\n", map[string]string{"A": "x", "B": "y"}, nil, 0},
		{"quotes", "A=\"a # b\"\nB='{{x}}'\nC=`c`\n", map[string]string{"A": "a # b", "B": "{{x}}", "C": "c"}, map[string]string{"A": `"a # b"`}, 0},
		{"escapes in double quotes", `A="l1\nl2"` + "\n", map[string]string{"A": "l1\nl2"}, nil, 0},
		{"multi-line quotes", "A=\"l1\nl2\"\nB=3\n", map[string]string{"A": "l1\nl2", "B": "3"}, nil, 0},
		{"colon form", "A: 1\n", map[string]string{"A": "1"}, nil, 0},
		{"CRLF and BOM", "\uFEFFA=1\r\nB=2\r\n", map[string]string{"A": "1", "B": "2"}, map[string]string{"B": "2"}, 0},
		{"garbage lines", "just text\n=novalue\nA=1\n", map[string]string{"A": "1"}, nil, 2},
		{"unterminated quote", "A=\"open\nB=2\n", map[string]string{"A": "open", "B": "2"}, nil, 1},
		{"empty value", "A=\n", map[string]string{"A": ""}, nil, 0},
		{"Japanese", "名前=山田\n", map[string]string{}, nil, 1},
	}
	for _, tt := range tests {
		src := source.NewFile(".env", tt.in)
		f, problems := ParseDotEnv(src)
		if len(problems) != tt.problems {
			t.Errorf("%s: %d problems %+v, want %d", tt.name, len(problems), problems, tt.problems)
		}
		got := map[string]string{}
		for _, v := range f.Vars {
			got[v.Name] = v.Text
			if !v.Origin.Secret || v.Origin.Kind != SourceDotEnv {
				t.Errorf("%s: %s origin = %+v, want a secret dotenv value", tt.name, v.Name, v.Origin)
			}
			if s := src.Slice(v.Origin.NameSpan); s != v.Name {
				t.Errorf("%s: name span covers %q, want %q", tt.name, s, v.Name)
			}
			if want, ok := tt.token[v.Name]; ok && src.Slice(v.Origin.Span) != want {
				t.Errorf("%s: %s span covers %q, want %q", tt.name, v.Name, src.Slice(v.Origin.Span), want)
			}
		}
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%s: ParseDotEnv = %q, want %q", tt.name, got, tt.want)
		}
	}
}

func TestMalformedJSON(t *testing.T) {
	tests := []struct {
		name, in string
		at       int // offset of the problem
	}{
		{"bad literal", "{\n  \"dev\": {\n    \"bad\": tru\n  }\n}\n", 24},
		{"missing comma", `{"a": {"x": "1" "y": "2"}}`, 16},
		{"unterminated string", `{"a": {"x": "1`, 12},
		{"unterminated object", `{"a": {"x": "1"}`, 16},
		{"not an object", `["dev"]`, 0},
		{"empty", "", 0},
		{"trailing text", `{} x`, 3},
		{"bad escape", `{"a": {"x": "\q"}}`, 13},
		{"unterminated comment", "{ /* ", 2},
	}
	for _, tt := range tests {
		src := source.NewFile("http-client.env.json", tt.in)
		_, problems := ParseEnvJSON(src, false)
		if len(problems) == 0 {
			t.Errorf("%s: no problem", tt.name)
			continue
		}
		if p := problems[0]; p.Span.Start != tt.at || p.Path != "http-client.env.json" || p.Span.End < p.Span.Start || p.Span.End > len(tt.in) {
			t.Errorf("%s: problem %+v, want at %d", tt.name, p, tt.at)
		}
	}
	// What was read before the error is kept.
	f, _ := ParseEnvJSON(mustFile(t, "testdata/broken/http-client.env.json"), false)
	if v := f.Env("dev").Get("baseUrl"); v == nil || v.Text != "https://x.example.com" {
		t.Errorf("partial read lost baseUrl: %+v", f.Envs)
	}
}

func TestSetLookupPrecedence(t *testing.T) {
	set := testSet(t)
	if got, want := set.Names(), []string{"dev", "prod", "staging"}; !reflect.DeepEqual(got, want) {
		t.Errorf("Names() = %q, want %q", got, want)
	}
	tests := []struct {
		env, name, want string
		kind            SourceKind
		path            string
		fromEnv         string
		secret          bool
	}{
		// nearest env file wins over the root one
		{"dev", "baseUrl", "https://{{host}}/{{stage}}", SourceEnvJSON, "testdata/ws/api/http-client.env.json", "dev", false},
		// private overrides public in the same directory
		{"dev", "apiKey", "dev-secret-key-123", SourcePrivateEnvJSON, "testdata/ws/api/http-client.private.env.json", "dev", true},
		// only in the root file
		{"dev", "rootOnly", "root", SourceEnvJSON, "testdata/ws/http-client.env.json", "dev", false},
		// VS Code settings and .httpyac.json environments
		{"dev", "vsOnly", "from-vscode", SourceVSCodeSettings, "testdata/ws/.vscode/settings.json", "dev", false},
		{"dev", "httpyacOnly", "yes", SourceHttpyacConfig, "testdata/ws/.httpyac.json", "dev", false},
		// $shared: env files before VS Code settings
		{"dev", "stage", "prod", SourceEnvJSON, "testdata/ws/http-client.env.json", "$shared", false},
		{"dev", "version", "v1", SourceVSCodeSettings, "testdata/ws/.vscode/settings.json", "$shared", false},
		// an env-specific value beats $shared
		{"staging", "baseUrl", "https://staging.example.com/{{version}}", SourceVSCodeSettings, "testdata/ws/.vscode/settings.json", "staging", false},
		// dotenv: env-specific, then global
		{"dev", "devOnlyDotenv", "from-dev-env", SourceDotEnv, "testdata/ws/api/dev.env", "dev", true},
		{"dev", "API_KEY", "dotenv-key-456", SourceDotEnv, "testdata/ws/api/.env", "", true},
		// no environment: $default (httpyac) then $shared
		{"", "region", "ap-northeast-1", SourceHttpyacConfig, "testdata/ws/.httpyac.json", "$default", false},
		{"prod", "region", "us-east-1", SourceEnvJSON, "testdata/ws/http-client.env.json", "$shared", false},
	}
	for _, tt := range tests {
		v, ok := set.Lookup(tt.env, tt.name)
		if !ok {
			t.Errorf("Lookup(%q, %q) not found", tt.env, tt.name)
			continue
		}
		o := v.Origin
		if v.Text != tt.want || o.Kind != tt.kind || o.Path != tt.path || o.Env != tt.fromEnv || o.Secret != tt.secret {
			t.Errorf("Lookup(%q, %q) = %q from %v %s env %q secret %v, want %q from %v %s env %q secret %v",
				tt.env, tt.name, v.Text, o.Kind, o.Path, o.Env, o.Secret, tt.want, tt.kind, tt.path, tt.fromEnv, tt.secret)
		}
	}
	for _, miss := range [][2]string{{"prod", "devOnlyDotenv"}, {"prod", "vsOnly"}, {"dev", "nope"}} {
		if v, ok := set.Lookup(miss[0], miss[1]); ok {
			t.Errorf("Lookup(%q, %q) = %+v, want not found", miss[0], miss[1], v)
		}
	}
}

func TestClientCert(t *testing.T) {
	set := testSet(t)
	tests := []struct {
		env, host string
		ok        bool
		path      string
		kind      SourceKind
	}{
		{"dev", "any.example.com", true, "testdata/ws/api/http-client.private.env.json", SourcePrivateEnvJSON},
		{"prod", "api.example.com", true, "testdata/ws/http-client.env.json", SourceEnvJSON},
		{"staging", "mtls.example.com", true, "testdata/ws/.vscode/settings.json", SourceVSCodeSettings},
		{"staging", "MTLS.example.com:443", true, "testdata/ws/.vscode/settings.json", SourceVSCodeSettings},
		{"staging", "localhost:8443", true, "testdata/ws/.vscode/settings.json", SourceVSCodeSettings},
		{"staging", "localhost:9000", false, "", 0},
		{"staging", "a.internal.example.com", true, "testdata/ws/.httpyac.json", SourceHttpyacConfig},
		{"staging", "other.example.com", false, "", 0},
	}
	for _, tt := range tests {
		o, ok := set.ClientCert(tt.env, tt.host)
		if ok != tt.ok || o.Path != tt.path || o.Kind != tt.kind {
			t.Errorf("ClientCert(%q, %q) = %+v %v, want %v %s %v", tt.env, tt.host, o, ok, tt.ok, tt.path, tt.kind)
		}
	}
}

func TestBuildSetProblemsAndNoFiles(t *testing.T) {
	set, problems := BuildSet("testdata/broken/x.http", "testdata/broken", diskLookup(t))
	if len(problems) != 1 || problems[0].Path != "testdata/broken/http-client.env.json" {
		t.Errorf("problems = %+v", problems)
	}
	if v, ok := set.Lookup("dev", "baseUrl"); !ok || v.Text != "https://x.example.com" {
		t.Errorf("Lookup after a syntax error = %+v %v", v, ok)
	}
	empty, problems := BuildSet("a/b.http", ".", func(string) *source.File { return nil })
	if len(problems) != 0 || len(empty.Names()) != 0 {
		t.Errorf("empty workspace: %+v %+v", empty, problems)
	}
	if _, ok := empty.Lookup("dev", "x"); ok {
		t.Errorf("empty set resolves a variable")
	}
}

func TestParentDirs(t *testing.T) {
	tests := []struct {
		dir, root string
		want      []string
	}{
		{"a/b/c", ".", []string{"a/b/c", "a/b", "a", "."}},
		{"ws/api", "ws", []string{"ws/api", "ws"}},
		{"/w/ws/api", "/w/ws", []string{"/w/ws/api", "/w/ws"}},
		{"/elsewhere/x", "/w/ws", []string{"/elsewhere/x", "/elsewhere", "/"}},
		{".", ".", []string{"."}},
	}
	for _, tt := range tests {
		if got := parentDirs(tt.dir, tt.root); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("parentDirs(%q, %q) = %q, want %q", tt.dir, tt.root, got, tt.want)
		}
	}
}

func TestMatchHost(t *testing.T) {
	tests := []struct {
		key, host string
		want      bool
	}{
		{"example.com", "example.com", true},
		{"example.com", "example.com:8443", true},
		{"example.com:8443", "example.com", false},
		{"example.com:8443", "example.com:8443", true},
		{"https://example.com/", "example.com", true},
		{"*.example.com", "a.b.example.com", true},
		{"*.example.com", "example.com", false},
		{"[::1]:8443", "[::1]:8443", true},
		{"other.com", "example.com", false},
	}
	for _, tt := range tests {
		if got := MatchHost(tt.key, tt.host); got != tt.want {
			t.Errorf("MatchHost(%q, %q) = %v, want %v", tt.key, tt.host, got, tt.want)
		}
	}
}

func requestFile(t *testing.T) (*httpfile.File, *Set) {
	t.Helper()
	f := httpfile.Parse(mustFile(t, reqPath))
	if len(f.Requests) != 2 {
		t.Fatalf("%s: %d requests", reqPath, len(f.Requests))
	}
	return f, testSet(t)
}

func TestResolveTarget(t *testing.T) {
	f, set := requestFile(t)
	r := NewResolver(f, f.Requests[0], set, "dev")
	e := r.ExpandTarget()
	wantText := "https://dev.example.com/prod/orders?key=dev-secret-key-123&id={{$guid}}&u=req-dev.example.com"
	if e.Text != wantText {
		t.Fatalf("ExpandTarget().Text = %q, want %q", e.Text, wantText)
	}
	if e.Complete || len(e.Unresolved) != 0 || len(e.Dynamic) != 1 || e.Text[e.Dynamic[0].Start:e.Dynamic[0].End] != "{{$guid}}" {
		t.Errorf("Complete=%v Unresolved=%q Dynamic=%v", e.Complete, e.Unresolved, e.Dynamic)
	}
	if got, want := e.Masked(), "https://dev.example.com/prod/orders?key=****&id={{$guid}}&u=req-dev.example.com"; got != want {
		t.Errorf("Masked() = %q, want %q", got, want)
	}
	// Where every value came from.
	type use struct {
		name  string
		kind  SourceKind
		env   string
		depth int
	}
	var got []use
	for _, u := range e.Uses {
		got = append(got, use{u.Name, u.Origin().Kind, u.Origin().Env, u.Depth})
	}
	want := []use{
		{"fileVar", SourceFileVar, "", 0},
		{"baseUrl", SourceEnvJSON, "dev", 1},
		{"host", SourceEnvJSON, "dev", 2},
		{"stage", SourceEnvJSON, "$shared", 2},
		{"apiKey", SourcePrivateEnvJSON, "dev", 0},
		{"$guid", 0, "", 0},
		{"requestVar", SourceRequestVar, "", 0},
		{"host", SourceEnvJSON, "dev", 1},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("uses =\n%v\nwant\n%v", got, want)
	}
	// Each reference part has the origin of its own use; literal text and
	// the run-time {{$guid}} have none.
	var origins []string
	for _, p := range e.Parts {
		o := e.Origin(p)
		if p.Ref == nil {
			if o != (Origin{}) {
				t.Errorf("literal part %q has origin %+v", e.Text[p.Text.Start:p.Text.End], o)
			}
			continue
		}
		origins = append(origins, p.Ref.Name+": "+o.Kind.String()+" "+o.Env)
	}
	if want := []string{"fileVar: " + SourceFileVar.String() + " ", "apiKey: " + SourcePrivateEnvJSON.String() + " dev", "$guid: " + SourceKind(0).String() + " ", "requestVar: " + SourceRequestVar.String() + " "}; !reflect.DeepEqual(origins, want) {
		t.Errorf("origins of the reference parts =\n%q\nwant\n%q", origins, want)
	}
	// The literal "/orders"? comes from the file variable; "?key=" is in
	// the request line: SourceSpan maps it back.
	i := strings.Index(e.Text, "?key=")
	span, ok := e.SourceSpan(i, i+5)
	if !ok || f.Src.Slice(span) != "?key=" {
		t.Errorf("SourceSpan(?key=) = %v %q", span, f.Src.Slice(span))
	}
	j := strings.Index(e.Text, "dev.example.com")
	span, ok = e.SourceSpan(j, j+3)
	if !ok || f.Src.Slice(span) != "{{fileVar}}" {
		t.Errorf("SourceSpan inside a variable = %q, want the reference", f.Src.Slice(span))
	}
}

func TestResolveHeaders(t *testing.T) {
	f, set := requestFile(t)
	req := f.Requests[0]
	r := NewResolver(f, req, set, "dev")
	tests := []struct {
		header     string
		text       string
		complete   bool
		unresolved []string
		masked     string
	}{
		{"x-api-key", "dotenv-key-456", true, nil, "****"},
		{"x-indirect", "API_KEY", true, nil, "****"},
		{"x-env", "{{$processEnv HOME}}", false, []string{"$processEnv HOME"}, "{{$processEnv HOME}}"},
		{"x-shared", "v1", true, nil, "v1"},
		{"Authorization", "AWS {{awsAccessKeyId}} wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", false, []string{"awsAccessKeyId"}, "AWS {{awsAccessKeyId}} ****"},
	}
	for _, tt := range tests {
		h := req.Header(tt.header)
		if h == nil {
			t.Fatalf("no header %s", tt.header)
		}
		e := r.Expand(h.Value)
		if e.Text != tt.text || e.Complete != tt.complete || !reflect.DeepEqual(e.Unresolved, tt.unresolved) || e.Masked() != tt.masked {
			t.Errorf("%s: Expand = %q complete=%v unresolved=%q masked=%q, want %q %v %q %q",
				tt.header, e.Text, e.Complete, e.Unresolved, e.Masked(), tt.text, tt.complete, tt.unresolved, tt.masked)
		}
	}
	// $processEnv is reported as a secret use from the process environment.
	e := r.Expand(req.Header("x-env").Value)
	if len(e.Uses) != 1 || e.Uses[0].Origin().Kind != SourceProcessEnv || !e.Uses[0].Origin().Secret || e.Uses[0].Resolved {
		t.Errorf("$processEnv use = %+v", e.Uses)
	}
}

func TestResolveCyclesEscapesAndFirstDefinition(t *testing.T) {
	f, set := requestFile(t)
	r := NewResolver(f, f.Requests[1], set, "dev")
	e := r.ExpandTarget()
	want := "https://dev.example.com/prod?escape=a\tb&self={{selfRef}}"
	if e.Text != want {
		t.Errorf("ExpandTarget().Text = %q, want %q", e.Text, want)
	}
	if !reflect.DeepEqual(e.Unresolved, []string{"selfRef"}) || e.Complete {
		t.Errorf("Unresolved = %q", e.Unresolved)
	}
	cycle := false
	for _, u := range e.Uses {
		cycle = cycle || u.Cycle
	}
	if !cycle {
		t.Errorf("no use marked as a cycle: %+v", e.Uses)
	}
	// A cycle between environment variables.
	loop := r.Expand(httpfile.ParseTemplate("{{loopA}}", 0))
	if loop.Text != "x{{loopA}}" || !reflect.DeepEqual(loop.Unresolved, []string{"loopA"}) {
		t.Errorf("loop = %q %q", loop.Text, loop.Unresolved)
	}
	// Above its request line, a variable is the request's own and wins.
	if fv := r.Expand(httpfile.ParseTemplate("{{fileVar}}", 0)); fv.Text != "ignored" {
		t.Errorf("request 1 fileVar = %q, want its own definition", fv.Text)
	}
	// For other requests the first definition in the file wins (REST Client).
	r0 := NewResolver(f, f.Requests[0], set, "dev")
	if fv := r0.Expand(httpfile.ParseTemplate("{{fileVar}}", 0)); fv.Text != "https://dev.example.com/prod/orders" {
		t.Errorf("request 0 fileVar = %q, want the first definition", fv.Text)
	}
}

func TestResolvePrecedenceOptions(t *testing.T) {
	src := source.NewFile("a.http", "@baseUrl = https://file.example.com\nGET {{baseUrl}}\n")
	f := httpfile.Parse(src)
	set, _ := BuildSet("a.http", ".", func(p string) *source.File {
		if p == EnvJSONName {
			return source.NewFile(p, `{"dev": {"baseUrl": "https://env.example.com"}}`)
		}
		return nil
	})
	r := NewResolver(f, f.Requests[0], set, "dev")
	if got := r.ExpandTarget().Text; got != "https://file.example.com" {
		t.Errorf("default precedence: %q, want the file variable", got)
	}
	r.EnvFirst = true
	if got := r.ExpandTarget().Text; got != "https://env.example.com" {
		t.Errorf("EnvFirst: %q, want the environment value", got)
	}
	// Without a set or an environment.
	none := NewResolver(f, f.Requests[0], nil, "")
	if e := none.ExpandTarget(); e.Text != "https://file.example.com" || !e.Complete {
		t.Errorf("no set: %+v", e)
	}
}

func TestMaskedOverlapping(t *testing.T) {
	e := Expansion{Text: "abcdefgh", Secrets: []Range{{4, 6}, {1, 3}, {2, 5}}}
	if got := e.Masked(); got != "a****gh" {
		t.Errorf("Masked() = %q", got)
	}
	if got := (Expansion{Text: "plain"}).Masked(); got != "plain" {
		t.Errorf("Masked() = %q", got)
	}
}

func TestOriginString(t *testing.T) {
	tests := []struct {
		o    Origin
		want string
	}{
		{Origin{Kind: SourceEnvJSON, Path: "api/http-client.env.json", Env: "dev"}, "api/http-client.env.json, env dev"},
		{Origin{Kind: SourceDotEnv, Path: ".env"}, ".env"},
		{Origin{Kind: SourceFileVar, Path: "orders.http"}, "file variable in orders.http"},
		{Origin{Kind: SourceProcessEnv}, "process environment"},
		{Origin{}, "undefined"},
	}
	for _, tt := range tests {
		if got := tt.o.String(); got != tt.want {
			t.Errorf("%+v.String() = %q, want %q", tt.o, got, tt.want)
		}
	}
}

func TestResolvePromptVariableIsDynamic(t *testing.T) {
	src := source.NewFile("p.http", "# @prompt otp One-time password\nGET https://api.example.com/login?otp={{otp}}&x={{missing}}\n")
	f := httpfile.Parse(src)
	e := NewResolver(f, f.Requests[0], nil, "").ExpandTarget()
	if !reflect.DeepEqual(e.Unresolved, []string{"missing"}) || len(e.Dynamic) != 1 || e.Text[e.Dynamic[0].Start:e.Dynamic[0].End] != "{{otp}}" {
		t.Errorf("Unresolved = %q, Dynamic = %v", e.Unresolved, e.Dynamic)
	}
}
