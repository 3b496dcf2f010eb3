package explain

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/gw403/gw403-lsp/analyzer"
	"github.com/gw403/gw403-lsp/analyzer/msg"
	"github.com/gw403/gw403-lsp/schemas/capture"
)

func TestOtherHAREntriesAreEvidence(t *testing.T) {
	ds := explainFixture(t, filepath.Join("testdata", "evidence", "method-not-defined.har"))
	if len(ds) != 1 {
		t.Fatalf("%d diagnoses, want 1 (the DELETE)", len(ds))
	}
	d := ds[0]
	if len(d.Causes) == 0 || d.Causes[0].ID != "method-not-defined" || d.Causes[0].Code != "GW122" || d.Causes[0].Confidence != High {
		t.Fatalf("causes %v, want method-not-defined (GW122) first with high confidence", ids(d.Causes))
	}
	if got := evidenceText(d.Causes[0]); !strings.Contains(got, "HAR entry 1: GET /prod/items answered 200, so the resource /prod/items exists") {
		t.Errorf("GW122 evidence = %q, want it to cite HAR entry 1", got)
	}
	for _, c := range d.Causes {
		if c.ID == "unknown-path" && c.Confidence != Low {
			t.Errorf("unknown-path confidence %v, want low: the resource answered", c.Confidence)
		}
	}

	// The same DELETE alone: nothing says the resource exists.
	c := parseFixture(t, filepath.Join("testdata", "evidence", "method-not-defined.har"))
	c.Answered = nil
	d = diagnose(c.Exchanges[0], observations(c))
	if d.Causes[0].ID == "method-not-defined" {
		t.Errorf("without the GET entry, causes %v: want the unknown path first", ids(d.Causes))
	}
}

func TestPreflightNamesGW241First(t *testing.T) {
	curl := "$ curl -v -X OPTIONS https://z1x2c3v4b5.execute-api.ap-northeast-1.amazonaws.com/prod/orders -H 'Origin: https://shop.example.com' -H 'Access-Control-Request-Method: POST'\n" +
		"> OPTIONS /prod/orders HTTP/2\n> Host: z1x2c3v4b5.execute-api.ap-northeast-1.amazonaws.com\n> User-Agent: curl/8.5.0\n> Accept: */*\n> Origin: https://shop.example.com\n> Access-Control-Request-Method: POST\n>\n" +
		"< HTTP/2 403\n< content-type: application/json\n< x-amzn-requestid: 1f2e3d4c\n< x-amzn-errortype: ForbiddenException\n< x-amz-apigw-id: Rk9=\n<\n{\"message\":\"Forbidden\"}\n"
	tests := []struct {
		name, in string
		path     string // a fixture instead of in
		first    string
		evidence string
	}{
		{"HAR, 403 Forbidden", "", "preflight-forbidden.har", "cors-preflight-auth", "the HAR has no POST /prod/orders after this preflight"},
		{"curl, 403 Forbidden", curl, "", "cors-preflight-auth", "Access-Control-Request-Method: POST"},
		{"401 from an authorizer", strings.Replace(strings.Replace(curl, "HTTP/2 403", "HTTP/2 401", 1), "ForbiddenException\n<", "UnauthorizedException\n<", 1) + "", "", "cors-preflight-auth", "the request is OPTIONS /prod/orders: a CORS preflight"},
		{"HTTP API route with a JWT authorizer", "OPTIONS https://h1j2k3l4m5.execute-api.us-east-1.amazonaws.com/notes HTTP/1.1\nOrigin: https://notes.example.com\nAccess-Control-Request-Method: GET\n\nHTTP/1.1 401 Unauthorized\napigw-requestid: Rk3vJH8sNjMEbXw=\ncontent-type: application/json\n\n{\"message\":\"Unauthorized\"}\n", "", "http-api-preflight-auth", "apigw-requestid header: an HTTP API"},
		{"no OPTIONS method", strings.Replace(strings.Replace(curl, "ForbiddenException", "MissingAuthenticationTokenException", 1), `"Forbidden"`, `"Missing Authentication Token"`, 1), "", "cors-preflight", "Origin: https://shop.example.com"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var ds []*Diagnosis
			if tt.path != "" {
				ds = explainFixture(t, filepath.Join("testdata", "evidence", tt.path))
			} else {
				ds = explainText(t, tt.in)
			}
			d := ds[0]
			if len(d.Causes) == 0 || d.Causes[0].ID != tt.first {
				t.Fatalf("causes %v, want %s first", ids(d.Causes), tt.first)
			}
			if got := evidenceText(d.Causes[0]); !strings.Contains(got, tt.evidence) {
				t.Errorf("evidence %q, want %q", got, tt.evidence)
			}
			for _, c := range d.Causes {
				if c.ID == "missing-api-key" {
					t.Errorf("causes %v: a preflight cannot carry a key, so missing-api-key must not be offered", ids(d.Causes))
				}
			}
		})
	}
}

func evidenceText(c Cause) string {
	var out []string
	for _, e := range c.Evidence {
		out = append(out, e.EN)
	}
	return strings.Join(out, " | ")
}

// TestEvidenceCitesInput checks that every "why" line of every seed
// fixture and evidence fixture cites the input: it quotes something the
// input holds (a header, a value, the host, a path segment, a word of the
// message), or says what the input lacks.
func TestEvidenceCitesInput(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join("testdata", "seed", "*", "*"))
	more, _ := filepath.Glob(filepath.Join("testdata", "evidence", "*"))
	files = append(files, more...)
	inputs := map[string]string{}
	for _, f := range files {
		if st, err := os.Stat(f); err != nil || st.IsDir() {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		inputs[f] = string(b)
	}
	for _, in := range []string{
		"HTTP/1.1 403 Forbidden\nx-amzn-RequestId: 1\nx-amzn-ErrorType: MissingAuthenticationTokenException\n\n{\"message\":\"Missing Authentication Token\"}\n",
		"x-amzn-errortype: MissingAuthenticationTokenException\n\n{\"message\": \"Missing Authentication Token\"}\n",
		"HTTP/1.1 403 Forbidden\nx-amzn-RequestId: 1\nx-amzn-ErrorType: ForbiddenException\napigw-requestid: Rk3=\n\n{\"message\":\"Forbidden\"}\n",
	} {
		inputs["pasted: "+msg.Clip(in, 60)] = in
	}
	checked := 0
	for name, in := range inputs {
		var c *capture.Capture
		var err error
		if strings.HasPrefix(name, "pasted: ") {
			c, err = capture.ParseText(in, capture.Options{})
		} else {
			c = parseFixture(t, name)
		}
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		ds, err := Explain(t.Context(), c, Options{})
		if err != nil {
			continue // a fixture without a 403 (a history log's side file)
		}
		if strings.HasSuffix(name, "history") || strings.HasSuffix(name, ".json") {
			// The history form reads its body from a side file.
			in += readSideFiles(t, name)
		}
		for _, d := range ds {
			for _, cause := range d.Causes {
				for _, e := range cause.Evidence {
					checked++
					if !citesInput(e.EN, in) {
						t.Errorf("%s: cause %s: why line %q cites nothing of the input", name, cause.ID, e.EN)
					}
				}
			}
		}
	}
	if checked < 100 {
		t.Errorf("checked %d why lines, want the fixtures to give at least 100", checked)
	}
}

func readSideFiles(t *testing.T, name string) string {
	t.Helper()
	var b strings.Builder
	side, _ := filepath.Glob(filepath.Join(filepath.Dir(name), "*"))
	for _, s := range side {
		if data, err := os.ReadFile(s); err == nil {
			b.Write(data)
		}
	}
	return b.String()
}

// absence lists the openings of why lines that cite the input by saying
// what it lacks.
var absence = regexp.MustCompile(`^(no |the request has no |the request has neither |the input does not show |the HAR has no |.*: [A-Z]+ \S+ answered \d+)`)

// generic are words a why line may use without citing anything.
var generic = map[string]bool{
	"request": true, "header": true, "headers": true, "signature": true, "message": true, "authorization": true,
	"stage": true, "method": true, "resource": true, "the": true, "api": true, "host": true, "sigv4": true,
	"server": true, "https": true, "http": true, "with": true, "from": true, "this": true, "that": true,
	"sends": true, "valid": true, "name": true, "path": true, "gateway": true, "means": true, "carried": true,
	"caller": true, "amazon": true, "endpoint": true, "aws_iam": true, "non-sigv4": true,
}

var wordRE = regexp.MustCompile(`[A-Za-z0-9][A-Za-z0-9._:/@+*=-]*[A-Za-z0-9]`)

// citesInput reports whether line quotes a token of input (at least four
// characters, not a generic word) or is a statement of absence.
func citesInput(line, input string) bool {
	if absence.MatchString(line) {
		return true
	}
	lin := strings.ToLower(input)
	for _, w := range wordRE.FindAllString(line, -1) {
		lw := strings.ToLower(w)
		if len(lw) < 4 || generic[lw] {
			continue
		}
		if strings.Contains(lin, lw) {
			return true
		}
	}
	return false
}

func TestCitesInputCatchesStatementsOfFaith(t *testing.T) {
	in := "HTTP/1.1 403 Forbidden\nx-amzn-ErrorType: MissingAuthenticationTokenException\n\n{\"message\":\"Missing Authentication Token\"}\n"
	for _, line := range []string{
		"\"anonymous\" means the request carried no valid SigV4 signature",
		"an AWS_IAM method answers a non-SigV4 Authorization header the same way",
	} {
		if citesInput(line, in) {
			t.Errorf("citesInput(%q) = true, want false", line)
		}
	}
	if !citesInput("message: \"Missing Authentication Token\"", in) {
		t.Errorf("citesInput(the message) = false")
	}
}

// TestMissingTokenSaysNoAnonymous is issue 11's item 7: for "Missing
// Authentication Token" no why line may speak of "anonymous", a word the
// input does not hold.
func TestMissingTokenSaysNoAnonymous(t *testing.T) {
	for _, in := range []string{
		"HTTP/1.1 403 Forbidden\nx-amzn-RequestId: 1\nx-amzn-ErrorType: MissingAuthenticationTokenException\n\n{\"message\":\"Missing Authentication Token\"}\n",
		"{\"message\":\"Missing Authentication Token\"}\n",
	} {
		for _, d := range explainText(t, in) {
			for _, c := range d.Causes {
				for _, e := range c.Evidence {
					if strings.Contains(e.EN, "anonymous") || strings.Contains(e.JA, "anonymous") {
						t.Errorf("cause %s: why line %q speaks of \"anonymous\"", c.ID, e.EN)
					}
				}
			}
		}
	}
	// When the message does name the caller anonymous, saying so is fine.
	d := explainText(t, "HTTP/1.1 403 Forbidden\nx-amzn-ErrorType: AccessDeniedException\n\n{\"Message\":\"User: anonymous is not authorized to perform: execute-api:Invoke on resource: arn:aws:execute-api:us-east-1:********9012:a1b2c3d4e5/prod/GET/x\"}\n")[0]
	if !strings.Contains(evidenceText(d.Causes[0])+evidenceText(d.Causes[len(d.Causes)-1]), "anonymous") {
		t.Errorf("anonymous message: causes %v lack the message's word", ids(d.Causes))
	}
}

// TestMatchedByPathIsSaid checks that the evidence says how a request was
// tied to an API when only its path did it (the text output's header says
// it too: TestExplainTextShowsTheMatch in cmd/gw403-lsp).
func TestMatchedByPathIsSaid(t *testing.T) {
	in := "DELETE https://q7w8e9r0t1.execute-api.eu-west-1.amazonaws.com/Prod/items HTTP/1.1\n\nHTTP/1.1 403 Forbidden\nx-amzn-RequestId: 1\nx-amzn-ErrorType: MissingAuthenticationTokenException\n\n{\"message\":\"Missing Authentication Token\"}\n"
	gw122 := analyzer.Diagnostic{Code: "GW122", Slug: "method-not-defined", ErrorType: "MissingAuthenticationTokenException",
		Message: msg.Text{EN: "DELETE /Prod/items: CatalogApi defines /items only for GET", JA: "DELETE /Prod/items: CatalogApi の /items は GET のみ"}}
	tests := []struct {
		name  string
		match Match
		want  string
	}{
		{"captured", Match{API: "CatalogApi", APIFile: "catalog/template.yaml", Captured: true, ByPath: true,
			LinkReason: msg.Text{EN: "the path /items matches routes of exactly one API, CatalogApi"}, Diagnostics: []analyzer.Diagnostic{gw122}},
			"the workspace check reports GW122 on the captured request, matched by path to API CatalogApi (catalog/template.yaml)"},
		{".http request", Match{Path: "req/catalog.http", Line: 4, API: "CatalogApi", APIFile: "catalog/template.yaml", ByPath: true, Diagnostics: []analyzer.Diagnostic{gw122}},
			"the workspace check reports GW122 on req/catalog.http:4"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := capture.ParseText(in, capture.Options{})
			if err != nil {
				t.Fatal(err)
			}
			m := tt.match
			ds, err := Explain(context.Background(), c, Options{Matcher: MatcherFunc(func(context.Context, string, string, [][2]string) (*Match, error) { return &m, nil })})
			if err != nil {
				t.Fatal(err)
			}
			if ds[0].Causes[0].Code != "GW122" {
				t.Errorf("causes %v, want GW122 first", ids(ds[0].Causes))
			}
			if got := evidenceText(ds[0].Causes[0]); !strings.Contains(got, tt.want) {
				t.Errorf("evidence %q, want %q", got, tt.want)
			}
		})
	}
}

// TestHistoryEntriesAreEvidence: a JetBrains history log keeps the other
// requests' statuses too.
func TestHistoryEntriesAreEvidence(t *testing.T) {
	dir := t.TempDir()
	log := "GET https://q7w8e9r0t1.execute-api.eu-west-1.amazonaws.com/prod/items\nAccept: application/json\n\n<> 2025-10-14T121000.200.json\n\n###\n\n" +
		"DELETE https://q7w8e9r0t1.execute-api.eu-west-1.amazonaws.com/prod/items\nAccept: application/json\n\n<> 2025-10-14T121010.403.json\n\n###\n\n"
	os.WriteFile(filepath.Join(dir, "http-requests-log.http"), []byte(log), 0o644)
	os.WriteFile(filepath.Join(dir, "2025-10-14T121000.200.json"), []byte("[]\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "2025-10-14T121010.403.json"), []byte("{\n  \"message\": \"Missing Authentication Token\"\n}\n"), 0o644)
	ds := explainFixture(t, filepath.Join(dir, "http-requests-log.http"))
	if len(ds) != 1 || ds[0].Causes[0].ID != "method-not-defined" {
		t.Fatalf("causes %v, want method-not-defined first", ids(ds[0].Causes))
	}
	if got := evidenceText(ds[0].Causes[0]); !strings.Contains(got, "line 4: GET /prod/items answered 200") {
		t.Errorf("evidence %q, want it to cite line 4 of the history", got)
	}
}

// TestOtherEntriesNameTheStage: a request on the same host that got an
// answer shows which stage exists.
func TestOtherEntriesNameTheStage(t *testing.T) {
	entry := func(method, path string, status int, errType, body string) string {
		h := `{"name": "x-amzn-requestid", "value": "r"}`
		if errType != "" {
			h += `, {"name": "x-amzn-errortype", "value": "` + errType + `"}`
		}
		return `{"request": {"method": "` + method + `", "url": "https://q7w8e9r0t1.execute-api.eu-west-1.amazonaws.com` + path + `", "headers": [{"name": "x-api-key", "value": "k"}]},
 "response": {"status": ` + strconv.Itoa(status) + `, "headers": [` + h + `], "content": {"text": ` + strconv.Quote(body) + `}}}`
	}
	har := func(entries ...string) string {
		return `{"log": {"version": "1.2", "entries": [` + strings.Join(entries, ",\n") + `]}}`
	}
	tests := []struct {
		name, in, first, evidence string
	}{
		{"stage case", har(entry("GET", "/prod/items", 200, "", "[]"), entry("GET", "/Prod/orders", 403, "ForbiddenException", `{"message":"Forbidden"}`)),
			"unknown-stage", `HAR entry 1: GET /prod/items answered 200 on the same host, so the stage is "prod", not "Prod"`},
		{"no stage", har(entry("GET", "/v2/items", 200, "", "[]"), entry("GET", "/users/me", 403, "ForbiddenException", `{"message":"Forbidden"}`)),
			"missing-stage", `so the stage is "v2", not "users"`},
		{"same stage", har(entry("GET", "/prod/items", 200, "", "[]"), entry("GET", "/prod/orders", 403, "ForbiddenException", `{"message":"Forbidden"}`)),
			"key-not-in-usage-plan", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := capture.Parse(strings.NewReader(tt.in), capture.Options{})
			if err != nil {
				t.Fatal(err)
			}
			ds, err := Explain(context.Background(), c, Options{})
			if err != nil {
				t.Fatal(err)
			}
			d := ds[0]
			if d.Causes[0].ID != tt.first {
				t.Fatalf("causes %v, want %s first", ids(d.Causes), tt.first)
			}
			if got := evidenceText(d.Causes[0]); !strings.Contains(got, tt.evidence) {
				t.Errorf("evidence %q, want %q", got, tt.evidence)
			}
			if tt.name == "same stage" {
				for _, c := range d.Causes {
					if c.ID == "unknown-stage" && c.Confidence != Low || c.ID == "missing-stage" {
						t.Errorf("causes %v: the stage answered elsewhere, so it is not the cause", ids(d.Causes))
					}
				}
			}
		})
	}
}
