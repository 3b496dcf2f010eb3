package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gw403/gw403-lsp/analyzer"
	"github.com/gw403/gw403-lsp/analyzer/explain"
	"github.com/gw403/gw403-lsp/analyzer/msg"
)

const explainCurl = `*   Trying 13.112.10.21:443...
* Connected to a1b2c3d4e5.execute-api.ap-northeast-1.amazonaws.com (13.112.10.21) port 443
* ALPN: curl offers h2,http/1.1
* TLSv1.3 (OUT), TLS handshake, Client hello (1):
* SSL connection using TLSv1.3 / TLS_AES_128_GCM_SHA256 / X25519 / RSASSA-PSS
* using HTTP/2
> GET /Prod/orders HTTP/2
> Host: a1b2c3d4e5.execute-api.ap-northeast-1.amazonaws.com
> User-Agent: curl/8.5.0
> Accept: */*
> x-api-key: 0123456789abcdef
>
< HTTP/2 403
< date: Tue, 14 Oct 2025 03:12:10 GMT
< content-type: application/json
< content-length: 23
< x-amzn-requestid: 0b1d9a54-7f51-4d5f-a3a2-7c1f0e9b8d21
< x-amzn-errortype: ForbiddenException
< x-amz-apigw-id: Rk4AbGyHtjMF3Qg=
<
* Connection #0 to host a1b2c3d4e5.execute-api.ap-northeast-1.amazonaws.com left intact
{"message":"Forbidden"}
`

func runExplainT(t *testing.T, stdin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = runExplain(args, strings.NewReader(stdin), &out, &errb)
	return code, out.String(), errb.String()
}

func writeTemp(t *testing.T, name, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestExplainCommand(t *testing.T) {
	t.Setenv("LANG", "C.UTF-8")
	t.Setenv("LC_ALL", "")
	t.Setenv("LC_MESSAGES", "")
	file := writeTemp(t, "curl.txt", explainCurl)
	tests := []struct {
		name     string
		stdin    string
		args     []string
		code     int
		out, err string
	}{
		{"stdin dash", explainCurl, []string{"-"}, 0, "403 Forbidden from Amazon API Gateway", ""},
		{"stdin default", explainCurl, nil, 0, "Likely causes, most likely first:", ""},
		{"file", "", []string{file}, 0, "x-amzn-requestid: 0b1d9a54", ""},
		{"japanese", explainCurl, []string{"--lang", "ja", "-"}, 0, "考えられる原因（可能性の高い順）:", ""},
		{"flag after file", "", []string{file, "--lang=ja"}, 0, "次に確認すること:", ""},
		{"crlf", strings.ReplaceAll(explainCurl, "\n", "\r\n"), nil, 0, "403 Forbidden from Amazon API Gateway", ""},
		{"empty", "", nil, 2, "", "input is empty"},
		{"garbage", "hello\nworld\n", nil, 2, "", "not a recognized HTTP capture"},
		{"binary", "\x7fELF\x02\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x03\x00", nil, 2, "", "binary"},
		{"truncated HAR", `{"log": {"version": "1.2", "entries": [{"request": {"method": "GET", "url": "https://a`, nil, 2, "", "ends early"},
		{"request only", "> GET /prod/x HTTP/1.1\n> Host: a.example.com\n>\n", nil, 2, "", "paste the response too"},
		{"200 only", "HTTP/1.1 200 OK\nContent-Type: text/plain\n\nok\n", nil, 2, "", "no 403 response (status 200)"},
		{"bad format", explainCurl, []string{"--format", "xml"}, 2, "", "unknown format"},
		{"bad lang", explainCurl, []string{"--lang", "fr"}, 2, "", "unknown language"},
		{"unknown flag", explainCurl, []string{"--nope"}, 2, "", "flag provided but not defined"},
		{"two files", "", []string{file, file}, 2, "", "one input at a time"},
		{"missing file", "", []string{filepath.Join(t.TempDir(), "nope.txt")}, 2, "", "no such file"},
		{"directory", "", []string{t.TempDir()}, 2, "", "is a directory"},
		{"help", "", []string{"-h"}, 0, "", "usage: gw403-lsp explain"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errs := runExplainT(t, tt.stdin, tt.args...)
			if code != tt.code {
				t.Fatalf("exit = %d, want %d\nstdout:\n%s\nstderr:\n%s", code, tt.code, out, errs)
			}
			if !strings.Contains(out, tt.out) || !strings.Contains(errs, tt.err) {
				t.Errorf("stdout %q / stderr %q; want them to contain %q / %q", clipT(out), errs, tt.out, tt.err)
			}
			if code == 2 && tt.name != "help" && tt.name != "unknown flag" && strings.Count(strings.TrimSpace(errs), "\n") > 1 {
				t.Errorf("error message spans lines: %q", errs)
			}
			if code == 2 && out != "" {
				t.Errorf("stdout must be empty on exit 2, got %q", out)
			}
		})
	}
}

func clipT(s string) string {
	if len(s) > 300 {
		return s[:300] + "…"
	}
	return s
}

func TestExplainCommandJSON(t *testing.T) {
	code, out, errs := runExplainT(t, explainCurl, "--format", "json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var doc struct {
		Version int `json:"version"`
		Results []struct {
			Causes []struct {
				Code       string `json:"code"`
				Confidence string `json:"confidence"`
			} `json:"causes"`
			MatchedRequest any `json:"matched_request"`
		} `json:"results"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out)
	}
	if doc.Version != 1 || len(doc.Results) != 1 || len(doc.Results[0].Causes) == 0 {
		t.Errorf("doc = %+v", doc)
	}
}

func TestExplainCommandTooLarge(t *testing.T) {
	r := io.MultiReader(strings.NewReader("HTTP/1.1 403 Forbidden\n\n"), bytes.NewReader(bytes.Repeat([]byte("a\n"), 17<<20)))
	var out, errb bytes.Buffer
	if code := runExplain(nil, r, &out, &errb); code != 2 || !strings.Contains(errb.String(), "too large") {
		t.Errorf("exit %d, stderr %q; want 2 and a too-large message", code, errb.String())
	}
}

func TestExplainCommandHistory(t *testing.T) {
	dir := t.TempDir()
	log := "GET https://a1b2c3d4e5.execute-api.ap-northeast-1.amazonaws.com/prod/orders\nAccept: application/json\n\n<> 2025-10-14T121010.403.json\n\n###\n\n"
	os.WriteFile(filepath.Join(dir, "http-requests-log.http"), []byte(log), 0o644)
	os.WriteFile(filepath.Join(dir, "2025-10-14T121010.403.json"), []byte("{\n  \"message\": \"Missing Authentication Token\"\n}\n"), 0o644)
	code, out, errs := runExplainT(t, "", filepath.Join(dir, "http-requests-log.http"))
	if code != 0 || !strings.Contains(out, "Missing Authentication Token") || !strings.Contains(out, "GW121") {
		t.Errorf("exit %d\n%s\n%s", code, out, errs)
	}
}

func TestExplainCommandWorkspace(t *testing.T) {
	// Without the analyzer's matcher, --workspace says so and explains the
	// response alone.
	old := newWorkspaceMatcher
	t.Cleanup(func() { newWorkspaceMatcher = old })
	newWorkspaceMatcher = nil
	code, out, errs := runExplainT(t, explainCurl, "--workspace", t.TempDir())
	if code != 0 || !strings.Contains(errs, "not available") || !strings.Contains(out, "Likely causes") {
		t.Errorf("without matcher: exit %d, stderr %q", code, errs)
	}
	var gotRoot string
	newWorkspaceMatcher = func(root string) (explain.Matcher, error) {
		gotRoot = root
		return explain.MatcherFunc(func(_ context.Context, method, url string, _ [][2]string) (*explain.Match, error) {
			if method != "GET" || url != "https://a1b2c3d4e5.execute-api.ap-northeast-1.amazonaws.com/Prod/orders" {
				return nil, nil
			}
			return &explain.Match{Path: "requests/orders.http", Line: 12, Diagnostics: []analyzer.Diagnostic{{
				Code: "GW132", Slug: "unknown-stage", ErrorType: "ForbiddenException",
				Message: msg.Text{EN: "stage \"Prod\" does not exist in OrdersApi (stages: prod)", JA: "ステージ \"Prod\" は OrdersApi にありません（ステージ: prod）"},
				Fixes:   []analyzer.Fix{{Title: msg.Text{EN: "Replace with \"prod\"", JA: "\"prod\" に置き換える"}}},
			}}}, nil
		}), nil
	}
	ws := t.TempDir()
	code, out, errs = runExplainT(t, explainCurl, "--workspace", ws)
	if code != 0 || gotRoot != ws {
		t.Fatalf("exit %d, root %q, stderr %q", code, gotRoot, errs)
	}
	for _, w := range []string{"Request in the workspace: requests/orders.http:12", "GW132 unknown-stage", "fix: Replace with \"prod\""} {
		if !strings.Contains(out, w) {
			t.Errorf("output lacks %q:\n%s", w, out)
		}
	}
	first := ""
	for _, l := range strings.Split(out, "\n") {
		if strings.HasPrefix(l, " 1. ") {
			first = l
		}
	}
	if !strings.Contains(first, "GW132") {
		t.Errorf("first cause %q, want the workspace's GW132:\n%s", first, out)
	}
}

// explainWorkspace writes a workspace of two independent SAM projects whose
// API ids appear nowhere, with no .http files.
func explainWorkspace(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	files := map[string]string{
		"catalog/template.yaml": "Transform: AWS::Serverless-2016-10-31\nResources:\n  CatalogFn:\n    Type: AWS::Serverless::Function\n    Properties:\n      Handler: app.handler\n      Runtime: python3.12\n      Events:\n" +
			"        List: {Type: Api, Properties: {Path: /items, Method: get}}\n        Add: {Type: Api, Properties: {Path: /items, Method: post}}\n" +
			"        Get: {Type: Api, Properties: {Path: '/items/{id}', Method: get}}\n",
		"todos/template.yaml": "Transform: AWS::Serverless-2016-10-31\nResources:\n  TodosApi:\n    Type: AWS::Serverless::Api\n    Properties:\n      StageName: prod\n      Cors: \"'*'\"\n      Auth:\n        ApiKeyRequired: true\n        UsagePlan: {CreateUsagePlan: PER_API}\n" +
			"  TodosFn:\n    Type: AWS::Serverless::Function\n    Properties:\n      Handler: app.handler\n      Runtime: python3.12\n      Events:\n        List: {Type: Api, Properties: {RestApiId: !Ref TodosApi, Path: /todos, Method: post}}\n",
	}
	for name, text := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

const harMethodNotDefined = `{"log": {"version": "1.2", "entries": [
 {"request": {"method": "GET", "url": "https://q7w8e9r0t1.execute-api.eu-west-1.amazonaws.com/Prod/items", "headers": []},
  "response": {"status": 200, "statusText": "OK", "headers": [{"name": "x-amzn-requestid", "value": "a1"}], "content": {"text": "[]"}}},
 {"request": {"method": "DELETE", "url": "https://q7w8e9r0t1.execute-api.eu-west-1.amazonaws.com/Prod/items", "headers": []},
  "response": {"status": 403, "statusText": "Forbidden", "headers": [{"name": "x-amzn-requestid", "value": "b2"}, {"name": "x-amzn-errortype", "value": "MissingAuthenticationTokenException"}],
   "content": {"text": "{\"message\":\"Missing Authentication Token\"}"}}}
]}}`

const curlPreflight = `> OPTIONS /prod/todos HTTP/2
> Host: z1x2c3v4b5.execute-api.ap-northeast-1.amazonaws.com
> Origin: https://todo.example.com
> Access-Control-Request-Method: POST
> Access-Control-Request-Headers: content-type,x-api-key
>
< HTTP/2 403
< content-type: application/json
< x-amzn-requestid: 7c1f0e9b
< x-amzn-errortype: ForbiddenException
<
{"message":"Forbidden"}
`

// firstCause returns the line of cause 1 in explain's text output.
func firstCause(out string) string {
	for _, l := range strings.Split(out, "\n") {
		if strings.HasPrefix(l, " 1. ") {
			return l
		}
	}
	return ""
}

func TestExplainCommandMatchedByPath(t *testing.T) {
	t.Setenv("LANG", "C.UTF-8")
	t.Setenv("LC_ALL", "")
	ws := explainWorkspace(t)
	har := writeTemp(t, "session.har", harMethodNotDefined)
	code, out, errs := runExplainT(t, "", "--workspace", ws, har)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	if first := firstCause(out); !strings.Contains(first, "GW122") {
		t.Errorf("first cause %q, want GW122:\n%s", first, out)
	}
	for _, w := range []string{
		"HAR entry 1: GET /Prod/items answered 200, so the resource /Prod/items exists",
		"API in the workspace: ServerlessRestApi (",
		filepath.Join("catalog", "template.yaml") + "), matched by path",
		"the path /items matches routes of exactly one API, ServerlessRestApi",
		"GW122 method-not-defined",
	} {
		if !strings.Contains(out, w) {
			t.Errorf("output lacks %q:\n%s", w, out)
		}
	}
	code, out, errs = runExplainT(t, "", "--workspace", ws, "--format", "json", har)
	var doc struct {
		Results []struct {
			MatchedRequest struct {
				API       string `json:"api"`
				Captured  bool   `json:"captured"`
				MatchedBy string `json:"matched_by"`
			} `json:"matched_request"`
		} `json:"results"`
	}
	if err := json.Unmarshal([]byte(out), &doc); code != 0 || err != nil || len(doc.Results) != 1 {
		t.Fatalf("json: exit %d, %v, %s", code, err, errs)
	}
	if m := doc.Results[0].MatchedRequest; m.API != "ServerlessRestApi" || !m.Captured || m.MatchedBy != "path" {
		t.Errorf("matched_request = %+v, want the captured request matched by path to ServerlessRestApi", m)
	}
}

func TestExplainCommandPreflight(t *testing.T) {
	t.Setenv("LANG", "C.UTF-8")
	t.Setenv("LC_ALL", "")
	// Without a workspace: a 403 on OPTIONS names GW241 first.
	code, out, errs := runExplainT(t, curlPreflight, "--workspace", t.TempDir())
	if code != 0 || !strings.Contains(firstCause(out), "GW241") {
		t.Fatalf("exit %d, first cause %q, want GW241:\n%s%s", code, firstCause(out), out, errs)
	}
	// With the workspace: the template finding confirms it, with its fix.
	code, out, errs = runExplainT(t, curlPreflight, "--workspace", explainWorkspace(t))
	if code != 0 || !strings.Contains(firstCause(out), "GW241") {
		t.Fatalf("exit %d, first cause %q, want GW241:\n%s%s", code, firstCause(out), out, errs)
	}
	for _, w := range []string{
		"the workspace check reports GW241 on the captured request, matched by path to API TodosApi",
		"GW241 cors-preflight-requires-auth: TodosApi answers CORS preflight",
		"fix: Add AddApiKeyRequiredToCorsPreflight: false under Auth",
		"Access-Control-Request-Method: POST",
	} {
		if !strings.Contains(out, w) {
			t.Errorf("output lacks %q:\n%s", w, out)
		}
	}
	if strings.Contains(out, "GW101 missing-api-key") {
		t.Errorf("a preflight cannot send a key, yet GW101 is reported:\n%s", out)
	}
}

// TestExplainCommandMasksCapturedFindings: the findings on a captured
// request quote its URL, so a private value in it is masked there too.
func TestExplainCommandMasksCapturedFindings(t *testing.T) {
	t.Setenv("LANG", "C.UTF-8")
	t.Setenv("LC_ALL", "")
	ws := explainWorkspace(t)
	const secret = "tok-9f8e7d6c5b4a"
	if err := os.WriteFile(filepath.Join(ws, "http-client.private.env.json"), []byte(`{"dev": {"session": "`+secret+`"}}`), 0o644); err != nil {
		t.Fatal(err)
	}
	in := "DELETE https://q7w8e9r0t1.execute-api.eu-west-1.amazonaws.com/Prod/items/" + secret + " HTTP/1.1\n\n" +
		"HTTP/1.1 403 Forbidden\nx-amzn-RequestId: 1\nx-amzn-ErrorType: MissingAuthenticationTokenException\n\n{\"message\":\"Missing Authentication Token\"}\n"
	code, out, errs := runExplainT(t, in, "--workspace", ws)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	if !strings.Contains(out, "matched by path") || !strings.Contains(out, "GW122 method-not-defined") {
		t.Errorf("want the captured request matched by path and checked:\n%s", out)
	}
	if strings.Contains(out, secret) {
		t.Errorf("the private value is printed:\n%s", out)
	}
}
