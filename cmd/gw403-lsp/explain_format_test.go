package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gw403/gw403-lsp/analyzer"
	"github.com/gw403/gw403-lsp/analyzer/explain"
	"github.com/gw403/gw403-lsp/analyzer/msg"
	"github.com/gw403/gw403-lsp/schemas/capture"
)

var updateExplain = flag.Bool("update-explain", false, "rewrite testdata/explain.golden")

// explainSeed is a fixture of the explain package.
func explainSeed(parts ...string) string {
	return filepath.Join(append([]string{"..", "..", "analyzer", "explain", "testdata", "seed"}, parts...)...)
}

// explainFile parses a capture file as the command does and explains it,
// with m as the workspace (nil: none).
func explainFile(t *testing.T, path string, m explain.Matcher) (*capture.Capture, []*explain.Diagnosis) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	dir := filepath.Dir(path)
	c, err := capture.Parse(f, capture.Options{Name: path, OpenRef: func(n string) (io.ReadCloser, error) {
		return os.Open(filepath.Join(dir, filepath.Base(n)))
	}})
	if err != nil {
		t.Fatalf("capture.Parse(%s) error: %v", path, err)
	}
	ds, err := explain.Explain(context.Background(), c, explain.Options{Matcher: m})
	if err != nil {
		t.Fatalf("Explain(%s) error: %v", path, err)
	}
	return c, ds
}

// TestExplainGolden: what explain prints for each row of the seed table,
// as testdata/explain.golden holds it: the text for the curl -v form in
// both languages, and the JSON for the HAR form.
func TestExplainGolden(t *testing.T) {
	t.Setenv("LANG", "C.UTF-8")
	t.Setenv("LC_ALL", "")
	rows, err := filepath.Glob(explainSeed("*"))
	if err != nil || len(rows) == 0 {
		t.Fatalf("no seed rows: %v", err)
	}
	ws := t.TempDir()
	var b strings.Builder
	for _, row := range rows {
		for _, run := range []struct {
			file string
			args []string
		}{
			{"curl-v.txt", nil},
			{"curl-v.txt", []string{"--lang", "ja"}},
			{"har.har", []string{"--format", "json"}},
		} {
			path := filepath.Join(row, run.file)
			if _, err := os.Stat(path); err != nil {
				continue
			}
			code, out, errs := runExplainT(t, "", append(append([]string{"--workspace", ws}, run.args...), path)...)
			fmt.Fprintf(&b, "=== %s/%s %s(exit %d)\n%s", filepath.Base(row), run.file, strings.Join(append(run.args, ""), " "), code, out)
			if errs != "" {
				fmt.Fprintf(&b, "--- stderr\n%s", errs)
			}
		}
	}
	golden := filepath.Join("testdata", "explain.golden")
	if *updateExplain {
		if err := os.WriteFile(golden, []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if got := b.String(); got != string(want) {
		gl, wl := strings.Split(got, "\n"), strings.Split(string(want), "\n")
		for i := 0; i < len(gl) && i < len(wl); i++ {
			if gl[i] != wl[i] {
				t.Fatalf("explain output differs from %s at line %d:\n got: %s\nwant: %s\n(go test ./cmd/gw403-lsp -run TestExplainGolden -update-explain rewrites it; read the diff)", golden, i+1, gl[i], wl[i])
			}
		}
		t.Fatalf("explain output has %d lines, %s %d", len(gl), golden, len(wl))
	}
}

func TestExplainTextBothLanguages(t *testing.T) {
	c, ds := explainFile(t, explainSeed("16-stage-in-custom-domain", "curl-v.txt"), nil)
	title := analyzer.Lookup("GW141").Title
	for _, tt := range []struct {
		lang string
		want []string
	}{
		{"en", []string{"403 Forbidden from Amazon API Gateway", "Likely causes, most likely first:", " 1. " + title.EN + "  [GW141 · high]", "get-base-path-mappings --domain-name api.example.co.jp", "Check next:", "CloudWatch"}},
		{"ja", []string{"Amazon API Gateway からの 403 Forbidden", "考えられる原因（可能性の高い順）:", " 1. " + title.JA + "  [GW141 · 確度 高]", "カスタムドメイン名", "次に確認すること:"}},
	} {
		var buf bytes.Buffer
		if err := writeExplainText(&buf, c, ds, tt.lang, false); err != nil {
			t.Fatal(err)
		}
		out := buf.String()
		for _, w := range tt.want {
			if !strings.Contains(out, w) {
				t.Errorf("%s output lacks %q:\n%s", tt.lang, w, out)
			}
		}
		if strings.Contains(out, "\x1b[") {
			t.Errorf("%s output has colour codes without colour", tt.lang)
		}
	}
	var buf bytes.Buffer
	writeExplainText(&buf, c, ds, "en", true)
	if !strings.Contains(buf.String(), "\x1b[") {
		t.Error("colour on gave no colour codes")
	}
}

func TestExplainJSON(t *testing.T) {
	c, ds := explainFile(t, explainSeed("12-private-api-public-dns", "har.har"), nil)
	var buf bytes.Buffer
	if err := writeExplainJSON(&buf, c, ds, "ja"); err != nil {
		t.Fatal(err)
	}
	var got struct {
		Version int    `json:"version"`
		Lang    string `json:"lang"`
		Input   struct {
			Format    string `json:"format"`
			Responses int    `json:"responses"`
		} `json:"input"`
		Results []struct {
			Status int    `json:"status"`
			Entry  *int   `json:"entry"`
			Origin string `json:"origin"`
			API    string `json:"api"`
			Causes []struct {
				Code       string   `json:"code"`
				ID         string   `json:"id"`
				Title      string   `json:"title"`
				Confidence string   `json:"confidence"`
				Evidence   []string `json:"evidence"`
				NextSteps  []string `json:"next_steps"`
			} `json:"causes"`
			MatchedRequest *struct{} `json:"matched_request"`
		} `json:"results"`
	}
	if err := json.Unmarshal(buf.Bytes(), &got); err != nil {
		t.Fatalf("output is not JSON: %v\n%s", err, buf.String())
	}
	r := got.Results[0]
	if got.Version != 1 || got.Lang != "ja" || got.Input.Format != "har" || got.Input.Responses != 2 ||
		r.Status != 403 || r.Entry == nil || *r.Entry != 1 || r.Origin != "api-gateway" || r.API != "rest" || r.MatchedRequest != nil {
		t.Errorf("header fields = %+v", got)
	}
	c0 := r.Causes[0]
	if c0.Code != "GW151" || c0.ID != "private-api-public-dns" || c0.Confidence != "medium" || len(c0.Evidence) == 0 || len(c0.NextSteps) == 0 ||
		c0.Title != analyzer.Lookup("GW151").Title.JA {
		t.Errorf("first cause = %+v", c0)
	}
}

// TestExplainOutputHidesEchoedToken: a token API Gateway echoes in its
// message is printed by neither output.
func TestExplainOutputHidesEchoedToken(t *testing.T) {
	in := "HTTP/1.1 403 Forbidden\nx-amzn-RequestId: 1\nx-amzn-ErrorType: IncompleteSignatureException\n\n" +
		`{"message":"Authorization header requires 'Credential' parameter. Authorization=Bearer eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJzZWNyZXQifQ.c2ln"}` + "\n"
	for _, format := range []string{"text", "json"} {
		code, out, errs := runExplainT(t, in, "--workspace", t.TempDir(), "--format", format)
		if code != 0 || !strings.Contains(out, "Authorization header requires") {
			t.Fatalf("%s: exit %d, stderr %q:\n%s", format, code, errs, out)
		}
		if strings.Contains(out, "eyJ") {
			t.Errorf("%s output repeats the token API Gateway echoed:\n%s", format, out)
		}
	}
}

// TestExplainTextShowsTheMatch: both outputs say which workspace request
// or API a response was matched to, how, and what the rules find on it.
func TestExplainTextShowsTheMatch(t *testing.T) {
	deleteItems := "DELETE https://q7w8e9r0t1.execute-api.eu-west-1.amazonaws.com/Prod/items HTTP/1.1\n\nHTTP/1.1 403 Forbidden\nx-amzn-RequestId: 1\nx-amzn-ErrorType: MissingAuthenticationTokenException\n\n{\"message\":\"Missing Authentication Token\"}\n"
	deleteFile := filepath.Join(t.TempDir(), "delete.txt")
	if err := os.WriteFile(deleteFile, []byte(deleteItems), 0o644); err != nil {
		t.Fatal(err)
	}
	gw111 := analyzer.Diagnostic{Code: "GW111", Slug: "unsigned-iam-request", Severity: analyzer.Error, ErrorType: "MissingAuthenticationTokenException",
		Message: msg.Text{EN: "GET /prod/internal/metrics uses AWS_IAM (MetricsApi) but the request is not signed", JA: "GET /prod/internal/metrics は AWS_IAM（MetricsApi）ですが、リクエストが署名されていません"},
		Fixes:   []analyzer.Fix{{Title: msg.Text{EN: "Add a SigV4 signing line", JA: "SigV4 の署名行を追加"}}}}
	gw501 := analyzer.Diagnostic{Code: "GW501", Slug: "hardcoded-aws-credentials", Severity: analyzer.Warning,
		Message: msg.Text{EN: "literal access key id", JA: "アクセスキー ID がそのまま書かれています"}}
	gw122 := analyzer.Diagnostic{Code: "GW122", Slug: "method-not-defined", ErrorType: "MissingAuthenticationTokenException",
		Message: msg.Text{EN: "DELETE /Prod/items: CatalogApi defines /items only for GET", JA: "DELETE /Prod/items: CatalogApi の /items は GET のみ"}}
	tests := []struct {
		name, input string
		match       explain.Match
		text        []string
		json        map[string]string // matched_request fields
	}{
		{"request with findings", explainSeed("05-missing-auth-token-unsigned", "curl-v.txt"),
			explain.Match{Path: "requests/metrics.http", Line: 7, Env: "dev", Diagnostics: []analyzer.Diagnostic{gw111, gw501}},
			[]string{"Request in the workspace: requests/metrics.http:7  (environment dev)\n", "  GW111 unsigned-iam-request: GET /prod/internal/metrics", "    fix: Add a SigV4 signing line\n", "  GW501 hardcoded-aws-credentials: literal access key id\n"},
			map[string]string{"path": "requests/metrics.http", "line": "7", "env": "dev", "diagnostics": "[map[code:GW111 error_type:MissingAuthenticationTokenException fixes:[Add a SigV4 signing line] message:GET /prod/internal/metrics uses AWS_IAM (MetricsApi) but the request is not signed severity:error slug:unsigned-iam-request] map[code:GW501 fixes:[] message:literal access key id severity:warning slug:hardcoded-aws-credentials]]"}},
		{"linked request, nothing found", explainSeed("13-default-endpoint-disabled", "curl-v.txt"),
			explain.Match{Path: "requests/orders.http", Line: 4, API: "OrdersApi"},
			[]string{"Request in the workspace: requests/orders.http:4 → API OrdersApi\n  the request rules find nothing wrong with it\n"},
			map[string]string{"api": "OrdersApi", "diagnostics": "[]"}},
		{"unlinked request", explainSeed("13-default-endpoint-disabled", "curl-v.txt"),
			explain.Match{Path: "requests/orders.http", Line: 4},
			[]string{"Request in the workspace: requests/orders.http:4\n  it links to no API of the workspace: only the rules that need none ran"},
			map[string]string{"api": "<nil>"}},
		{"captured request matched by path", deleteFile,
			explain.Match{API: "CatalogApi", APIFile: "catalog/template.yaml", Captured: true, ByPath: true,
				LinkReason: msg.Text{EN: "the path /items matches routes of exactly one API, CatalogApi"}, Diagnostics: []analyzer.Diagnostic{gw122}},
			[]string{"API in the workspace: CatalogApi (catalog/template.yaml), matched by path\n  the path /items matches routes of exactly one API, CatalogApi\n  no request of the .http files matches, so the captured request itself was checked\n"},
			map[string]string{"captured": "true", "matched_by": "path", "api_file": "catalog/template.yaml"}},
		{".http request matched by path", deleteFile,
			explain.Match{Path: "req/catalog.http", Line: 4, API: "CatalogApi", APIFile: "catalog/template.yaml", ByPath: true, Diagnostics: []analyzer.Diagnostic{gw122}},
			[]string{"Request in the workspace: req/catalog.http:4 → API CatalogApi (matched by path)\n"},
			map[string]string{"captured": "<nil>", "matched_by": "path"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := tt.match
			c, ds := explainFile(t, tt.input, explain.MatcherFunc(func(context.Context, string, string, [][2]string) (*explain.Match, error) { return &m, nil }))
			var text, js bytes.Buffer
			if err := writeExplainText(&text, c, ds, "en", false); err != nil {
				t.Fatal(err)
			}
			for _, w := range tt.text {
				if !strings.Contains(text.String(), w) {
					t.Errorf("text output lacks %q:\n%s", w, text.String())
				}
			}
			if err := writeExplainJSON(&js, c, ds, "en"); err != nil {
				t.Fatal(err)
			}
			var out struct {
				Results []struct {
					MatchedRequest map[string]any `json:"matched_request"`
				} `json:"results"`
			}
			if err := json.Unmarshal(js.Bytes(), &out); err != nil {
				t.Fatal(err)
			}
			for k, want := range tt.json {
				if got := fmt.Sprint(out.Results[0].MatchedRequest[k]); got != want {
					t.Errorf("matched_request.%s = %s, want %s", k, got, want)
				}
			}
		})
	}
}

// FuzzExplainFormat runs the text and JSON output, in both languages, on
// the diagnoses of arbitrary input.
func FuzzExplainFormat(f *testing.F) {
	paths, _ := filepath.Glob(explainSeed("*", "*.*"))
	for i, p := range paths {
		if i%3 != 0 { // a sample of forms and rows keeps the seed corpus small
			continue
		}
		if b, err := os.ReadFile(p); err == nil {
			f.Add(b)
		}
	}
	f.Add([]byte("x-amzn-errortype: ForbiddenException\n\n{\"message\":\"Forbidden\"}"))
	f.Fuzz(func(t *testing.T, in []byte) {
		c, err := capture.ParseText(string(in), capture.Options{Name: "x.403.json"})
		if err != nil {
			return
		}
		ds, _ := explain.Explain(context.Background(), c, explain.Options{})
		for _, lang := range []string{"en", "ja"} {
			if err := writeExplainText(io.Discard, c, ds, lang, true); err != nil {
				t.Fatal(err)
			}
			var js bytes.Buffer
			if err := writeExplainJSON(&js, c, ds, lang); err != nil {
				t.Fatal(err)
			}
			if !json.Valid(js.Bytes()) {
				t.Fatalf("JSON output is not JSON:\n%s", js.String())
			}
		}
	})
}
