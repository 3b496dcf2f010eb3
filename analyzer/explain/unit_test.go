package explain

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gw403/gw403-lsp/analyzer"
	"github.com/gw403/gw403-lsp/analyzer/msg"
	"github.com/gw403/gw403-lsp/schemas/capture"
)

func explainText(t *testing.T, text string) []*Diagnosis {
	t.Helper()
	c, err := capture.ParseText(text, capture.Options{})
	if err != nil {
		t.Fatalf("ParseText error: %v", err)
	}
	ds, err := Explain(context.Background(), c, Options{})
	if err != nil {
		t.Fatalf("Explain error: %v", err)
	}
	return ds
}

func TestDiagnoseCases(t *testing.T) {
	tests := []struct {
		name   string
		in     string
		origin Origin
		first  string // expected first cause id
	}{
		{"HTTP API forbidden, unsigned", "GET https://x1y2z3w4v5.execute-api.us-east-1.amazonaws.com/items\n\nHTTP/1.1 403 Forbidden\napigw-requestid: Rk3vJH8sNjMEbXw=\ncontent-type: application/json\n\n{\"message\":\"Forbidden\"}\n",
			OriginAPIGateway, "unsigned-iam"},
		{"401 without Authorization", "> GET /prod/me HTTP/1.1\n> Host: a1b2c3d4e5.execute-api.ap-northeast-1.amazonaws.com\n>\n< HTTP/1.1 401 Unauthorized\n< x-amzn-RequestId: 1\n< x-amzn-ErrorType: UnauthorizedException\n<\n{\"message\":\"Unauthorized\"}\n",
			OriginAPIGateway, "identity-source-missing"},
		{"401 with a token", "> GET /prod/me HTTP/1.1\n> Host: a1b2c3d4e5.execute-api.ap-northeast-1.amazonaws.com\n> Authorization: Bearer abc.def.ghi\n>\n< HTTP/1.1 401 Unauthorized\n< x-amzn-RequestId: 1\n< x-amzn-ErrorType: UnauthorizedException\n<\n{\"message\":\"Unauthorized\"}\n",
			OriginAPIGateway, "token-rejected"},
		{"S3 behind CloudFront", "HTTP/1.1 403 Forbidden\nContent-Type: application/xml\nServer: AmazonS3\nX-Cache: Error from cloudfront\nVia: 1.1 abc.cloudfront.net (CloudFront)\n\n<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>AccessDenied</Code><Message>Access Denied</Message><RequestId>X</RequestId><HostId>Y</HostId></Error>\n",
			OriginS3, "s3"},
		{"ALB with WAF", "HTTP/1.1 403 Forbidden\nServer: awselb/2.0\nContent-Type: text/html\n\n<html><head><title>403 Forbidden</title></head><body><center><h1>403 Forbidden</h1></center></body></html>\n",
			OriginOther, "other-server"},
		{"integration returned 403", "HTTP/1.1 403 Forbidden\nx-amzn-RequestId: 5d0e\nx-amz-apigw-id: Rk5=\nContent-Type: application/json\n\n{\"error\":\"not the owner of this order\"}\n",
			OriginAPIGateway, "integration"},
		{"signed for the wrong region", "> GET /prod/x HTTP/1.1\n> Host: a1b2c3d4e5.execute-api.ap-northeast-1.amazonaws.com\n> Authorization: AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20251014/us-east-1/execute-api/aws4_request, SignedHeaders=host;x-amz-date, Signature=abc\n> X-Amz-Date: 20251014T000000Z\n>\n< HTTP/1.1 403 Forbidden\n< x-amzn-ErrorType: InvalidSignatureException\n< x-amzn-RequestId: 1\n<\n{\"message\":\"The request signature we calculated does not match the signature you provided.\"}\n",
			OriginAPIGateway, "sigv4-wrong-scope"},
		{"scope not derivable on a custom domain", "> GET /x HTTP/1.1\n> Host: api.example.co.jp\n> Authorization: AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20251014/us-east-1/api/aws4_request, SignedHeaders=host, Signature=abc\n> X-Amz-Date: 20251014T000000Z\n>\n< HTTP/1.1 403 Forbidden\n< x-amzn-ErrorType: InvalidSignatureException\n< x-amzn-RequestId: 1\n<\n{\"message\":\"Credential should be scoped to correct service: 'execute-api'. \"}\n",
			OriginAPIGateway, "sigv4-scope-not-derivable"},
		{"temporary key without token", "> GET /prod/x HTTP/1.1\n> Host: a1b2c3d4e5.execute-api.ap-northeast-1.amazonaws.com\n> Authorization: AWS4-HMAC-SHA256 Credential=ASIAIOSFODNN7EXAMPLE/20251014/ap-northeast-1/execute-api/aws4_request, SignedHeaders=host;x-amz-date, Signature=abc\n> X-Amz-Date: 20251014T000000Z\n>\n< HTTP/1.1 403 Forbidden\n< x-amzn-ErrorType: UnrecognizedClientException:http://internal.amazon.com/coral/com.amazon.coral.service/\n< x-amzn-RequestId: 1\n<\n{\"message\":\"The security token included in the request is invalid.\"}\n",
			OriginAPIGateway, "missing-session-token"},
		{"clock ahead", "HTTP/1.1 403 Forbidden\nx-amzn-ErrorType: InvalidSignatureException\nx-amzn-RequestId: 1\n\n{\"message\":\"Signature not yet current: 20251014T031500Z is still later than 20251014T030710Z (20251014T030210Z + 5 min.)\"}\n",
			OriginAPIGateway, "clock-skew"},
		{"CORS preflight", "OPTIONS https://a1b2c3d4e5.execute-api.ap-northeast-1.amazonaws.com/prod/orders HTTP/1.1\nOrigin: https://app.example.co.jp\n\nHTTP/1.1 403 Forbidden\nx-amzn-RequestId: 1\nx-amzn-ErrorType: MissingAuthenticationTokenException\n\n{\"message\":\"Missing Authentication Token\"}\n",
			OriginAPIGateway, "cors-preflight"},
		{"no stage on the default host", "GET https://a1b2c3d4e5.execute-api.ap-northeast-1.amazonaws.com/\n\nHTTP/1.1 403 Forbidden\nx-amzn-RequestId: 1\nx-amzn-ErrorType: ForbiddenException\n\n{\"message\":\"Forbidden\"}\n",
			OriginAPIGateway, "missing-stage"},
		{"version base path on a custom domain", "GET https://api.example.co.jp/v1/users/me\n\nHTTP/1.1 403 Forbidden\nx-amzn-RequestId: 1\nx-amzn-ErrorType: MissingAuthenticationTokenException\n\n{\"message\":\"Missing Authentication Token\"}\n",
			OriginAPIGateway, "unknown-path"},
		{"resource where the stage should be", "GET https://a1b2c3d4e5.execute-api.ap-northeast-1.amazonaws.com/users/me HTTP/1.1\nx-api-key: k\n\nHTTP/1.1 403 Forbidden\nx-amzn-RequestId: 1\nx-amzn-ErrorType: ForbiddenException\n\n{\"message\":\"Forbidden\"}\n",
			OriginAPIGateway, "missing-stage"},
		{"misspelled key header", "GET https://a1b2c3d4e5.execute-api.ap-northeast-1.amazonaws.com/prod/orders HTTP/1.1\nx-apikey: {{apiKey}}\n\nHTTP/1.1 403 Forbidden\nx-amzn-RequestId: 1\nx-amzn-ErrorType: ForbiddenException\n\n{\"message\":\"Forbidden\"}\n",
			OriginAPIGateway, "misspelled-api-key"},
		{"Japanese message pasted", "x-amzn-errortype: MissingAuthenticationTokenException\n\n{\"message\": \"認証トークンが見つかりません\"}\n",
			OriginAPIGateway, "unknown-path"},
		{"principal without explicit deny", "HTTP/1.1 403 Forbidden\nx-amzn-RequestId: 1\nx-amzn-ErrorType: AccessDeniedException\n\n{\"Message\":\"User: arn:aws:sts::123456789012:assumed-role/dev/alice is not authorized to perform: execute-api:Invoke on resource: arn:aws:execute-api:ap-northeast-1:********9012:a1b2c3d4e5/prod/GET/orders\"}\n",
			OriginAPIGateway, "caller-iam-no-allow"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ds := explainText(t, tt.in)
			d := ds[0]
			if d.Origin != tt.origin || len(d.Causes) == 0 || d.Causes[0].ID != tt.first {
				t.Errorf("origin %v, causes %v; want origin %v, first %q", d.Origin, ids(d.Causes), tt.origin, tt.first)
			}
			for _, c := range d.Causes {
				if c.Title.EN == "" || c.Title.JA == "" {
					t.Errorf("cause %s lacks a title in one language", c.ID)
				}
			}
		})
	}
}

func TestExplainNothing(t *testing.T) {
	c, err := capture.ParseText("HTTP/1.1 200 OK\nContent-Type: text/plain\n\nhello\n", capture.Options{})
	if err != nil {
		t.Fatal(err)
	}
	_, err = Explain(context.Background(), c, Options{})
	if !errors.Is(err, ErrNothingToExplain) || !strings.Contains(err.Error(), "200") {
		t.Errorf("Explain(200 OK) error = %v, want ErrNothingToExplain naming the status", err)
	}
	c, err = capture.ParseText("Note: hello\nfoo: bar\n", capture.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err = Explain(context.Background(), c, Options{}); !errors.Is(err, ErrNothingToExplain) {
		t.Errorf("Explain(random header-like lines) error = %v, want ErrNothingToExplain", err)
	}
}

func TestBodyOnly(t *testing.T) {
	in := "{\"message\": \"you shall not pass\"}\n"
	c, err := capture.ParseText(in, capture.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Explain(context.Background(), c, Options{}); !errors.Is(err, ErrNothingToExplain) {
		t.Errorf("Explain(unknown body, no status) error = %v, want ErrNothingToExplain", err)
	}
	// A JetBrains body file names its status: a 403 with an unknown body.
	c, err = capture.ParseText(in, capture.Options{Name: ".idea/httpRequests/2025-10-14T120000.403.json"})
	if err != nil {
		t.Fatal(err)
	}
	ds, err := Explain(context.Background(), c, Options{})
	if err != nil || ds[0].Origin != OriginUnknown || ds[0].Causes[0].ID != "unknown-origin" {
		t.Errorf("Explain(403 body file) = %v, %v", ds, err)
	}
}

func TestMessageRedaction(t *testing.T) {
	in := "HTTP/1.1 403 Forbidden\nx-amzn-RequestId: 1\nx-amzn-ErrorType: IncompleteSignatureException\n\n" +
		`{"message":"Authorization header requires 'Credential' parameter. Authorization=Bearer eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJzZWNyZXQifQ.c2ln"}` + "\n"
	ds := explainText(t, in)
	if got := diagnosisText(ds[0]); strings.Contains(got, "eyJ") {
		t.Errorf("the diagnosis repeats the token API Gateway echoed:\n%s", got)
	}
	if ds[0].Causes[0].ID != "token-to-unknown-path" {
		t.Errorf("first cause = %s, want token-to-unknown-path", ds[0].Causes[0].ID)
	}
}

// fakeMatcher stands in for the analyzer workspace.
type fakeMatcher struct {
	gotMethod, gotURL string
	gotHeaders        [][2]string
	match             *Match
}

func (f *fakeMatcher) Match(_ context.Context, method, url string, headers [][2]string) (*Match, error) {
	f.gotMethod, f.gotURL, f.gotHeaders = method, url, headers
	return f.match, nil
}

func TestExplainWithMatcher(t *testing.T) {
	c := parseFixture(t, filepath.Join("testdata", "seed", "05-missing-auth-token-unsigned", "curl-v.txt"))
	fm := &fakeMatcher{match: &Match{
		Path: "requests/metrics.http", Line: 7, Env: "dev",
		Diagnostics: []analyzer.Diagnostic{
			{Code: "GW111", Slug: "unsigned-iam-request", Severity: analyzer.Error, ErrorType: "MissingAuthenticationTokenException",
				Message: msg.Text{EN: "GET /prod/internal/metrics uses AWS_IAM (MetricsApi) but the request is not signed", JA: "GET /prod/internal/metrics は AWS_IAM（MetricsApi）ですが、リクエストが署名されていません"},
				Fixes:   []analyzer.Fix{{Title: msg.Text{EN: "Add a SigV4 signing line", JA: "SigV4 の署名行を追加"}}}},
			{Code: "GW501", Slug: "hardcoded-aws-credentials", Severity: analyzer.Warning,
				Message: msg.Text{EN: "literal access key id", JA: "アクセスキー ID がそのまま書かれています"}},
		},
	}}
	ds, err := Explain(context.Background(), c, Options{Matcher: fm})
	if err != nil {
		t.Fatal(err)
	}
	if fm.gotMethod != "GET" || fm.gotURL != "https://"+apiHost+"/prod/internal/metrics" || len(fm.gotHeaders) == 0 {
		t.Errorf("matcher got %s %s %v", fm.gotMethod, fm.gotURL, fm.gotHeaders)
	}
	d := ds[0]
	if d.Match == nil || d.Causes[0].Code != "GW111" || d.Causes[0].Confidence != High || len(d.Top()) != 1 {
		t.Fatalf("causes = %v; want the workspace-confirmed GW111 alone on top", ids(d.Causes))
	}
	if !strings.Contains(d.Causes[0].Evidence[0].EN, "requests/metrics.http:7") {
		t.Errorf("evidence = %v, want the workspace location", d.Causes[0].Evidence[0])
	}
	if d.Match != fm.match {
		t.Errorf("Match = %+v, want the matcher's", d.Match)
	}
}

func TestHover(t *testing.T) {
	text := "GET https://api.example.co.jp/prod/orders HTTP/1.1\nx-api-key: {{apiKey}}\n\n\nHTTP/1.1 403 Forbidden\ncontent-type: application/json\nx-amzn-errortype: MissingAuthenticationTokenException\n\n{\n  \"message\": \"Missing Authentication Token\"\n}\n"
	at := func(s string) int { return strings.Index(text, s) + 3 }
	sp, md, ok := Hover(text, at("x-amzn-errortype"))
	if !ok {
		t.Fatal("no hover on the x-amzn-errortype header")
	}
	if got := text[sp.Start:sp.End]; got != "x-amzn-errortype: MissingAuthenticationTokenException" {
		t.Errorf("hover span = %q", got)
	}
	title := analyzer.Lookup("GW141").Title
	if !strings.Contains(md.EN, "GW141") || !strings.Contains(md.EN, title.EN) || !strings.Contains(md.JA, title.JA) {
		t.Errorf("hover markdown =\n%s\n%s", md.EN, md.JA)
	}
	if sp, _, ok := Hover(text, at(`"message"`)); !ok || text[sp.Start:sp.End] != `"message": "Missing Authentication Token"` {
		t.Errorf("Hover on the message = %v, %v", sp, ok)
	}
	for _, off := range []int{0, at("content-type"), len(text), -1, len(text) + 5} {
		if sp, _, ok := Hover(text, off); ok {
			t.Errorf("Hover(%d) = %v, want none off the header and message", off, sp)
		}
	}
}

func TestStageNames(t *testing.T) {
	for s, want := range map[string]bool{"prod": true, "Prod": true, "v1": true, "$default": true, "dev-2": true, "orders": false, "prodd": false, "users": false} {
		if got := stageLike(s); got != want {
			t.Errorf("stageLike(%q) = %v, want %v", s, got, want)
		}
	}
	for s, want := range map[string]string{"prodd": "prod", "stagging": "staging", "orders": "", "prod": ""} {
		if got := nearStage(s); got != want {
			t.Errorf("nearStage(%q) = %q, want %q", s, got, want)
		}
	}
}

func TestClassifyMessage(t *testing.T) {
	m := classifyMessage("User: anonymous is not authorized to perform: execute-api:Invoke on resource: arn:aws:execute-api:ap-northeast-1:********9012:a1b2c3d4e5/Prod/GET/orders/{id} with an explicit deny")
	if m.kind != msgAnonymous || !m.explicitDeny || m.arn == nil || m.arn.stage != "Prod" || m.arn.method != "GET" || m.arn.path != "/orders/{id}" {
		t.Errorf("classifyMessage(anonymous explicit deny) = %+v %+v", m, m.arn)
	}
	m = classifyMessage("Signature expired: 20251014T021500Z is now earlier than 20251014T025710Z (20251014T030210Z - 5 min.)")
	if m.kind != msgSignatureExpired || int(m.serverAt.Sub(m.signedAt).Minutes()) != 47 {
		t.Errorf("classifyMessage(signature expired) = %+v", m)
	}
	if got := normErrType("IncompleteSignatureException:http://internal.amazon.com/coral/com.amazon.coral.service/"); got != "IncompleteSignatureException" {
		t.Errorf("normErrType = %q", got)
	}
}

// TestExplainMatcherRefutesUnreported: a cause whose request rule ran on
// the matched request and reported nothing drops to low confidence, with
// the workspace as evidence; when the request links to no API, the rules
// that need a link did not run and the cause keeps its confidence.
func TestExplainMatcherRefutesUnreported(t *testing.T) {
	c := parseFixture(t, filepath.Join("testdata", "seed", "13-default-endpoint-disabled", "curl-v.txt"))
	plain, err := Explain(context.Background(), c, Options{})
	if err != nil {
		t.Fatal(err)
	}
	before := causeByCode(plain[0].Causes, "GW161")
	if before == nil || before.Confidence == Low {
		t.Fatalf("fixture: without a workspace GW161 = %+v, want it above low", before)
	}
	if r := analyzer.Lookup("GW161"); r == nil || r.Scope != analyzer.RequestScope || r.Standalone {
		t.Fatalf("fixture: GW161 = %+v, want a request rule that needs a link", r)
	}

	for _, tc := range []struct {
		api  string
		want Confidence
	}{
		{"OrdersApi", Low},
		{"", before.Confidence},
	} {
		fm := MatcherFunc(func(context.Context, string, string, [][2]string) (*Match, error) {
			return &Match{Path: "requests/orders.http", Line: 4, API: tc.api}, nil
		})
		ds, err := Explain(context.Background(), c, Options{Matcher: fm})
		if err != nil {
			t.Fatal(err)
		}
		got := causeByCode(ds[0].Causes, "GW161")
		if got == nil || got.Confidence != tc.want {
			t.Errorf("API %q: GW161 = %+v, want confidence %v", tc.api, got, tc.want)
			continue
		}
		said := false
		for _, e := range got.Evidence {
			said = said || strings.Contains(e.EN, "reports no GW161") && strings.Contains(e.JA, "GW161 は報告されていません")
		}
		if said != (tc.api != "") {
			t.Errorf("API %q: evidence %v; want the workspace's word only when the request is linked", tc.api, got.Evidence)
		}
		for i := 1; i < len(ds[0].Causes); i++ {
			if ds[0].Causes[i].Confidence > ds[0].Causes[i-1].Confidence {
				t.Errorf("API %q: causes out of order: %v", tc.api, ids(ds[0].Causes))
			}
		}

	}
}

func causeByCode(cs []Cause, code string) *Cause {
	for i := range cs {
		if cs[i].Code == code {
			return &cs[i]
		}
	}
	return nil
}

// diagnosisText is every text of a diagnosis an output may print, in both
// languages.
func diagnosisText(d *Diagnosis) string {
	var b strings.Builder
	add := func(ts ...msg.Text) {
		for _, x := range ts {
			b.WriteString(x.EN + "\n" + x.JA + "\n")
		}
	}
	b.WriteString(d.Message + "\n" + d.RequestID + "\n" + d.ErrorType + "\n")
	for _, c := range d.Causes {
		add(c.Title)
		add(c.Evidence...)
		add(c.NextSteps...)
	}
	add(d.NextSteps...)
	add(d.Notes...)
	add(Markdown(d))
	return b.String()
}
