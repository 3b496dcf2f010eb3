package explain

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the generated fixtures under testdata/seed")

// scenario is one row of the seed article's table (plus CloudFront and a
// proxy): a request and the response API Gateway documents for it. The
// fixtures under testdata/seed are written from these by
// `go test ./analyzer/explain -run TestWriteSeedFixtures -update`, one file
// per input form.
type scenario struct {
	name       string
	method     string
	url        string
	reqHeaders []string // "Name: value", as the client sent them
	status     int
	reason     string
	errType    string   // x-amzn-errortype ("" = none)
	headers    []string // response headers other than the API Gateway ones
	noAPIGW    bool     // no API Gateway headers at all (CloudFront, proxy)
	body       string
	// curl -v details
	certRequested, certSent, viaProxy bool
	// want is the cause id expected among the top-ranked causes, per form;
	// "*" applies to every form not listed.
	want map[string]string
	// responseOnly: the message alone names the cause, so a pasted response
	// without its request is a fixture too.
	responseOnly bool
}

const (
	apiHost  = "a1b2c3d4e5.execute-api.ap-northeast-1.amazonaws.com"
	vpceHost = "vpce-0a1b2c3d4e5f60718-4x8kq2zd.execute-api.ap-northeast-1.vpce.amazonaws.com"
	custom   = "api.example.co.jp"
	jwt      = "eyJraWQiOiJrMSIsImFsZyI6IlJTMjU2In0.eyJzdWIiOiJ1LTEyMyIsInRva2VuX3VzZSI6ImFjY2VzcyJ9.c2lnbmF0dXJl"
	sigAKIA  = "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20251014/ap-northeast-1/execute-api/aws4_request, SignedHeaders=host;x-amz-date, Signature=5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7"
)

var scenarios = []scenario{
	{
		name: "01-lambda-authorizer-deny", method: "GET", url: "https://" + apiHost + "/prod/orders",
		reqHeaders: []string{"Authorization: Bearer " + jwt, "Accept: application/json"},
		status:     403, errType: "AccessDeniedException",
		body:         `{"Message":"User is not authorized to access this resource with an explicit deny"}`,
		want:         map[string]string{"*": "authorizer-deny"},
		responseOnly: true,
	},
	{
		name: "02-iam-explicit-deny", method: "POST", url: "https://" + apiHost + "/prod/admin/reindex",
		reqHeaders: []string{"Authorization: " + sigAKIA, "X-Amz-Date: 20251014T023055Z", "Content-Type: application/json"},
		status:     403, errType: "AccessDeniedException",
		body:         `{"Message":"User: arn:aws:iam::123456789012:user/ci-deployer is not authorized to perform: execute-api:Invoke on resource: arn:aws:execute-api:ap-northeast-1:********9012:a1b2c3d4e5/prod/POST/admin/reindex with an explicit deny"}`,
		want:         map[string]string{"*": "caller-iam-deny"},
		responseOnly: true,
	},
	{
		name: "03-anonymous-not-authorized", method: "GET", url: "https://" + apiHost + "/prod/reports/daily",
		reqHeaders: []string{"Accept: application/json"},
		status:     403, errType: "AccessDeniedException",
		body:         `{"Message":"User: anonymous is not authorized to perform: execute-api:Invoke on resource: arn:aws:execute-api:ap-northeast-1:********9012:a1b2c3d4e5/prod/GET/reports/daily"}`,
		want:         map[string]string{"*": "unsigned-iam"},
		responseOnly: true,
	},
	{
		name: "04-invalid-security-token", method: "GET", url: "https://" + apiHost + "/prod/reports/daily",
		reqHeaders: []string{"Authorization: " + sigAKIA, "X-Amz-Date: 20251014T023512Z"},
		status:     403, errType: "AccessDeniedException",
		body:         `{"message":"The security token included in the request is invalid."}`,
		want:         map[string]string{"*": "invalid-credentials"},
		responseOnly: true,
	},
	{
		name: "05-missing-auth-token-unsigned", method: "GET", url: "https://" + apiHost + "/prod/internal/metrics",
		reqHeaders: []string{"Accept: application/json"},
		status:     403, errType: "MissingAuthenticationTokenException",
		body: `{"message":"Missing Authentication Token"}`,
		want: map[string]string{"*": "unsigned-iam"},
	},
	{
		name: "06-signature-expired", method: "GET", url: "https://" + apiHost + "/prod/reports/daily",
		reqHeaders: []string{"Authorization: " + sigAKIA, "X-Amz-Date: 20251014T021500Z"},
		status:     403, errType: "InvalidSignatureException",
		body:         `{"message":"Signature expired: 20251014T021500Z is now earlier than 20251014T025710Z (20251014T030210Z - 5 min.)"}`,
		want:         map[string]string{"*": "signature-expired"},
		responseOnly: true,
	},
	{
		name: "07-invalid-api-key", method: "GET", url: "https://" + apiHost + "/prod/orders",
		reqHeaders: []string{"x-api-key: 4f1cNOTREALKEY00000000000000000000000000", "Accept: application/json"},
		status:     403, errType: "ForbiddenException",
		body:         `{"message":"Invalid API Key identifier specified"}`,
		want:         map[string]string{"*": "invalid-api-key"},
		responseOnly: true,
	},
	{
		name: "08-signature-mismatch", method: "POST", url: "https://" + apiHost + "/prod/orders",
		reqHeaders: []string{"Authorization: " + sigAKIA, "X-Amz-Date: 20251014T024001Z", "Content-Type: application/json"},
		status:     403, errType: "InvalidSignatureException",
		body:         `{"message":"The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details."}`,
		want:         map[string]string{"*": "signature-mismatch"},
		responseOnly: true,
	},
	{
		// AWS WAF with a custom response for its Block action: the default
		// block ("Forbidden") reads like any other Forbidden.
		name: "09-waf-blocked", method: "GET", url: "https://" + apiHost + "/prod/orders?q=%27%20OR%201%3D1",
		reqHeaders: []string{"x-api-key: {{apiKey}}"},
		status:     403, headers: []string{"x-waf-block-reason: SQLi_QUERYARGUMENTS"},
		body:         `{"message":"Request blocked by AWS WAF"}`,
		want:         map[string]string{"*": "waf"},
		responseOnly: true,
	},
	{
		name: "10-path-not-found", method: "GET", url: "https://" + apiHost + "/prod/order/42",
		reqHeaders: []string{"Accept: application/json"},
		status:     403, errType: "MissingAuthenticationTokenException",
		body: `{"message":"Missing Authentication Token"}`,
		want: map[string]string{"*": "unknown-path"},
	},
	{
		name: "11-path-not-found-with-authorization", method: "GET", url: "https://" + apiHost + "/prod/orderz",
		reqHeaders: []string{"Authorization: allow"},
		status:     403, errType: "IncompleteSignatureException",
		body:         `{"message":"Authorization header requires 'Credential' parameter. Authorization header requires 'Signature' parameter. Authorization header requires 'SignedHeaders' parameter. Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. Authorization=allow"}`,
		want:         map[string]string{"*": "token-to-unknown-path"},
		responseOnly: true,
	},
	{
		name: "12-private-api-public-dns", method: "GET", url: "https://" + vpceHost + "/prod/orders",
		reqHeaders: []string{"Accept: application/json"},
		status:     403, errType: "ForbiddenException",
		body: `{"message":"Forbidden"}`,
		want: map[string]string{"*": "private-api-public-dns"},
	},
	{
		name: "13-default-endpoint-disabled", method: "GET", url: "https://" + apiHost + "/prod/orders",
		reqHeaders: []string{"x-api-key: {{apiKey}}", "Accept: application/json"},
		status:     403, errType: "ForbiddenException",
		body: `{"message":"Forbidden"}`,
		want: map[string]string{"*": "default-endpoint-disabled"},
	},
	{
		name: "14-mtls-certificate", method: "GET", url: "https://" + custom + "/orders",
		reqHeaders: []string{"x-api-key: {{apiKey}}"},
		status:     403, errType: "ForbiddenException",
		body:          `{"message":"Forbidden"}`,
		certRequested: true,
		want:          map[string]string{"*": "mtls"},
	},
	{
		name: "15-no-base-path-mapping", method: "GET", url: "https://" + custom + "/billing/invoices",
		reqHeaders: []string{"x-api-key: {{apiKey}}"},
		status:     403, errType: "ForbiddenException",
		body: `{"message":"Forbidden"}`,
		want: map[string]string{"*": "no-base-path-mapping"},
	},
	{
		name: "16-stage-in-custom-domain", method: "GET", url: "https://" + custom + "/prod/orders",
		reqHeaders: []string{"x-api-key: {{apiKey}}"},
		status:     403, errType: "MissingAuthenticationTokenException",
		body: `{"message":"Missing Authentication Token"}`,
		want: map[string]string{"*": "stage-in-custom-domain"},
	},
	{
		name: "17-invalid-stage", method: "GET", url: "https://" + apiHost + "/prodd/orders",
		reqHeaders: []string{"x-api-key: {{apiKey}}"},
		status:     403, errType: "ForbiddenException",
		body: `{"message":"Forbidden"}`,
		want: map[string]string{"*": "unknown-stage"},
	},
	{
		name: "18-cloudfront", method: "GET", url: "https://www.example.co.jp/api/orders",
		status: 403, noAPIGW: true,
		headers: []string{"Server: CloudFront", "X-Cache: Error from cloudfront", "Via: 1.1 7d3e5f2a1b9c4d6e8f0a1b2c3d4e5f6a.cloudfront.net (CloudFront)", "X-Amz-Cf-Pop: NRT57-P3", "X-Amz-Cf-Id: q7Vb2m9Xc1Zt4Lw8Kp3Ys6Rf0Hd5Ja2Ne7Ug9Ci1Ob4Tl8Mv3Sx=="},
		body: `<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 4.01 Transitional//EN" "http://www.w3.org/TR/html4/loose.dtd">
<HTML><HEAD><META HTTP-EQUIV="Content-Type" CONTENT="text/html; charset=iso-8859-1">
<TITLE>ERROR: The request could not be satisfied</TITLE>
</HEAD><BODY>
<H1>403 ERROR</H1>
<H2>The request could not be satisfied.</H2>
<HR noshade size="1px">
Request blocked.
We can't connect to the server for this app or website at this time. There might be too much traffic or a configuration error. Try again later, or contact the app or website owner.
<BR clear="all">
If you provide content to customers through CloudFront, you can find steps to troubleshoot and help prevent this error by reviewing the CloudFront documentation.
<BR clear="all">
<HR noshade size="1px">
<PRE>
Generated by cloudfront (CloudFront)
Request ID: q7Vb2m9Xc1Zt4Lw8Kp3Ys6Rf0Hd5Ja2Ne7Ug9Ci1Ob4Tl8Mv3Sx==
</PRE>
<ADDRESS>
</ADDRESS>
</BODY></HTML>`,
		want:         map[string]string{"*": "cloudfront"},
		responseOnly: true,
	},
	{
		name: "19-proxy", method: "GET", url: "https://" + apiHost + "/prod/orders",
		status: 403, noAPIGW: true, viaProxy: true,
		headers: []string{"Server: squid/5.7", "Mime-Version: 1.0", "X-Squid-Error: ERR_ACCESS_DENIED 0", "Vary: Accept-Language", "Content-Language: en", "Via: 1.1 proxy.corp.example (squid/5.7)"},
		body: `<!DOCTYPE html PUBLIC "-//W3C//DTD HTML 4.01//EN" "http://www.w3.org/TR/html4/strict.dtd">
<html><head>
<meta type="copyright" content="Copyright (C) 1996-2022 The Squid Software Foundation and contributors">
<meta http-equiv="Content-Type" content="text/html; charset=utf-8">
<title>ERROR: The requested URL could not be retrieved</title>
</head><body id="ERR_ACCESS_DENIED">
<div id="titles">
<h1>ERROR</h1>
<h2>The requested URL could not be retrieved</h2>
</div>
<p>Access control configuration prevents your request from being allowed at this time.</p>
</body></html>`,
		want:         map[string]string{"*": "proxy"},
		responseOnly: true,
	},
}

var forms = []string{"curl-v.txt", "raw.txt", "har.har", "restclient.http", "jetbrains.txt", "history"}

func (s *scenario) hostPath() (host, path string) {
	u := strings.TrimPrefix(s.url, "https://")
	i := strings.IndexByte(u, '/')
	return u[:i], u[i:]
}

func (s *scenario) idx() int {
	var n int
	fmt.Sscanf(s.name, "%d", &n)
	return n
}

// respHeaders returns the response headers in HTTP/1.1 case.
func (s *scenario) respHeaders() []string {
	n := s.idx()
	ct := "application/json"
	if strings.HasPrefix(s.body, "<") {
		ct = "text/html"
	}
	hs := []string{
		fmt.Sprintf("Date: Tue, 14 Oct 2025 03:%02d:10 GMT", 2+n),
		"Content-Type: " + ct,
		fmt.Sprintf("Content-Length: %d", len(s.body)),
		"Connection: keep-alive",
	}
	if s.idx() == 6 {
		hs[0] = "Date: Tue, 14 Oct 2025 03:02:10 GMT"
	}
	if !s.noAPIGW {
		hs = append(hs, fmt.Sprintf("x-amzn-RequestId: %08x-5b0a-4f6e-9d0c-%012x", 0x8f0c7c3e+n*7919, 0x2b7e2a5b1c11+n*104729))
		if s.errType != "" {
			hs = append(hs, "x-amzn-ErrorType: "+s.errType)
		}
		hs = append(hs, fmt.Sprintf("x-amz-apigw-id: Rk%02dvJH8sNjMEbX=", n))
	}
	return append(hs, s.headers...)
}

func splitHeader(h string) (string, string) {
	n, v, _ := strings.Cut(h, ":")
	return n, strings.TrimSpace(v)
}

func (s *scenario) curlV() string {
	host, path := s.hostPath()
	var b strings.Builder
	fmt.Fprintf(&b, "$ curl -v -X %s %s", s.method, s.url)
	for _, h := range s.reqHeaders {
		fmt.Fprintf(&b, " -H '%s'", h)
	}
	b.WriteString("\n")
	if s.viaProxy {
		fmt.Fprintf(&b, "* Uses proxy env variable https_proxy == 'http://proxy.corp.example:3128'\n*   Trying 10.20.30.40:3128...\n* Connected to proxy.corp.example (10.20.30.40) port 3128\n* CONNECT tunnel: HTTP/1.1 negotiated\n* allocate connect buffer\n* Establish HTTP proxy tunnel to %s:443\n", host)
		fmt.Fprintf(&b, "> CONNECT %s:443 HTTP/1.1\n> Host: %s:443\n> User-Agent: curl/8.5.0\n> Proxy-Connection: Keep-Alive\n> \n< HTTP/1.1 403 Forbidden\n", host, host)
		for _, h := range s.respHeaders() {
			fmt.Fprintf(&b, "< %s\n", h)
		}
		b.WriteString("< \n* CONNECT tunnel failed, response 403\n* Closing connection\ncurl: (56) CONNECT tunnel failed, response 403\n")
		return b.String()
	}
	fmt.Fprintf(&b, "* Host %s:443 was resolved.\n* IPv6: (none)\n* IPv4: 13.112.10.21, 54.250.3.7\n*   Trying 13.112.10.21:443...\n", host)
	fmt.Fprintf(&b, "* Connected to %s (13.112.10.21) port 443\n* ALPN: curl offers h2,http/1.1\n", host)
	b.WriteString("* TLSv1.3 (OUT), TLS handshake, Client hello (1):\n*  CAfile: /etc/ssl/certs/ca-certificates.crt\n*  CApath: /etc/ssl/certs\n* TLSv1.3 (IN), TLS handshake, Server hello (2):\n* TLSv1.3 (IN), TLS handshake, Encrypted Extensions (8):\n")
	if s.certRequested {
		b.WriteString("* TLSv1.3 (IN), TLS handshake, Request CERT (13):\n")
	}
	b.WriteString("* TLSv1.3 (IN), TLS handshake, Certificate (11):\n* TLSv1.3 (IN), TLS handshake, CERT verify (15):\n* TLSv1.3 (IN), TLS handshake, Finished (20):\n* TLSv1.3 (OUT), TLS change cipher, Change cipher spec (1):\n")
	if s.certRequested {
		b.WriteString("* TLSv1.3 (OUT), TLS handshake, Certificate (11):\n")
	}
	if s.certSent {
		b.WriteString("* TLSv1.3 (OUT), TLS handshake, CERT verify (15):\n")
	}
	fmt.Fprintf(&b, "* TLSv1.3 (OUT), TLS handshake, Finished (20):\n* SSL connection using TLSv1.3 / TLS_AES_128_GCM_SHA256 / X25519 / RSASSA-PSS\n* ALPN: server accepted h2\n* Server certificate:\n*  subject: CN=%s\n*  SSL certificate verify ok.\n* using HTTP/2\n", host)
	fmt.Fprintf(&b, "> %s %s HTTP/2\n> Host: %s\n> User-Agent: curl/8.5.0\n> Accept: */*\n", s.method, path, host)
	for _, h := range s.reqHeaders {
		if !strings.HasPrefix(h, "Accept:") {
			fmt.Fprintf(&b, "> %s\n", h)
		}
	}
	b.WriteString("> \n* Request completely sent off\n")
	fmt.Fprintf(&b, "< HTTP/2 %d \n", s.status)
	for _, h := range s.respHeaders() {
		n, v := splitHeader(h)
		if n == "Connection" {
			continue
		}
		fmt.Fprintf(&b, "< %s: %s\n", strings.ToLower(n), v)
	}
	fmt.Fprintf(&b, "< \n* Connection #0 to host %s left intact\n%s\n", host, s.body)
	return b.String()
}

// raw is what a browser's "raw" headers view gives, copied into a file:
// the request head, then the response. Odd rows use CRLF.
func (s *scenario) raw(withRequest bool) string {
	host, path := s.hostPath()
	var b strings.Builder
	if withRequest {
		fmt.Fprintf(&b, "%s %s HTTP/1.1\nHost: %s\n", s.method, path, host)
		for _, h := range s.reqHeaders {
			b.WriteString(h + "\n")
		}
		b.WriteString("\n")
	}
	fmt.Fprintf(&b, "HTTP/1.1 %d Forbidden\n", s.status)
	for _, h := range s.respHeaders() {
		b.WriteString(h + "\n")
	}
	b.WriteString("\n" + s.body + "\n")
	out := b.String()
	if s.idx()%2 == 1 {
		out = strings.ReplaceAll(out, "\n", "\r\n")
	}
	return out
}

func (s *scenario) har() string {
	type nv struct {
		Name  string `json:"name"`
		Value string `json:"value"`
	}
	host, path := s.hostPath()
	req := []nv{{":authority", host}, {":method", s.method}, {":path", path}, {":scheme", "https"}}
	for _, h := range s.reqHeaders {
		n, v := splitHeader(h)
		if strings.EqualFold(n, "Authorization") {
			continue // Chrome's sanitized export drops it
		}
		req = append(req, nv{strings.ToLower(n), v})
	}
	req = append(req, nv{"origin", "https://app.example.co.jp"}, nv{"user-agent", "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/141.0.0.0 Safari/537.36"})
	var resp []nv
	for _, h := range s.respHeaders() {
		n, v := splitHeader(h)
		if n == "Connection" {
			continue
		}
		resp = append(resp, nv{strings.ToLower(n), v})
	}
	mime := "application/json"
	if strings.HasPrefix(s.body, "<") {
		mime = "text/html"
	}
	entry := func(method, url string, status int, reqH, respH []nv, text string) map[string]any {
		return map[string]any{
			"_initiator": map[string]any{"type": "script"}, "_priority": "High", "_resourceType": "fetch",
			"cache": map[string]any{}, "connection": "443", "pageref": "page_1",
			"request": map[string]any{"method": method, "url": url, "httpVersion": "http/2.0", "headers": reqH,
				"queryString": []any{}, "cookies": []any{}, "headersSize": -1, "bodySize": 0},
			"response": map[string]any{"status": status, "statusText": "", "httpVersion": "http/2.0", "headers": respH, "cookies": []any{},
				"content":     map[string]any{"size": len(text), "mimeType": mime, "text": text},
				"redirectURL": "", "headersSize": -1, "bodySize": -1, "_transferSize": 400 + len(text), "_error": nil},
			"serverIPAddress": "54.250.3.7", "startedDateTime": "2025-10-14T03:05:01.352Z", "time": 61.7,
			"timings": map[string]any{"blocked": 2.0, "dns": -1, "ssl": -1, "connect": -1, "send": 0.3, "wait": 57.6, "receive": 1.6},
		}
	}
	doc := map[string]any{"log": map[string]any{
		"version": "1.2", "creator": map[string]any{"name": "WebInspector", "version": "537.36"},
		"pages": []any{map[string]any{"startedDateTime": "2025-10-14T03:05:00.120Z", "id": "page_1", "title": "https://app.example.co.jp/", "pageTimings": map[string]any{"onContentLoad": 412.5, "onLoad": 655.1}}},
		"entries": []any{
			entry("GET", "https://app.example.co.jp/config.json", 200, []nv{{"accept", "*/*"}}, []nv{{"content-type", "application/json"}}, `{"region":"ap-northeast-1"}`),
			entry(s.method, s.url, s.status, req, resp, s.body),
		},
	}}
	out, _ := json.MarshalIndent(doc, "", "  ")
	return string(out) + "\n"
}

// restClient is REST Client's response pane with previewOption
// "exchange": the request as sent, then the response (Node lower-cases
// response header names).
func (s *scenario) restClient() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s HTTP/1.1\n", s.method, s.url)
	for _, h := range s.reqHeaders {
		b.WriteString(h + "\n")
	}
	b.WriteString("user-agent: vscode-restclient\naccept-encoding: gzip, deflate\n\n\n")
	fmt.Fprintf(&b, "HTTP/1.1 %d Forbidden\n", s.status)
	for _, h := range s.respHeaders() {
		n, v := splitHeader(h)
		fmt.Fprintf(&b, "%s: %s\n", strings.ToLower(n), v)
	}
	b.WriteString("\n" + prettyJSON(s.body) + "\n")
	return b.String()
}

// jetbrains is the JetBrains HTTP Client's response pane: the request line
// only, then the response and the client's trailer.
func (s *scenario) jetbrains() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s\n\nHTTP/1.1 %d Forbidden\n", s.method, s.url, s.status)
	for _, h := range s.respHeaders() {
		b.WriteString(h + "\n")
	}
	fmt.Fprintf(&b, "\n%s\nResponse file saved.\n> %s\n\nResponse code: %d (Forbidden); Time: 183ms (183 ms); Content length: %d bytes (%d B)\n",
		prettyJSON(s.body), s.bodyFile(), s.status, len(s.body), len(s.body))
	return b.String()
}

func (s *scenario) bodyFile() string {
	ext := "json"
	if strings.HasPrefix(s.body, "<") {
		ext = "html"
	}
	return fmt.Sprintf("2025-10-14T12%02d10.%d.%s", s.idx(), s.status, ext)
}

// history is .idea/httpRequests/http-requests-log.http with an earlier
// 200 entry, and the 403's body file.
func (s *scenario) history() (log, body string) {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s\n", s.method, s.url)
	for _, h := range s.reqHeaders {
		b.WriteString(h + "\n")
	}
	b.WriteString("User-Agent: IntelliJ HTTP Client/IntelliJ IDEA 2025.2.3\nAccept-Encoding: br, deflate, gzip, x-gzip\n\n")
	fmt.Fprintf(&b, "<> %s\n\n###\n\n", s.bodyFile())
	b.WriteString("GET https://app.example.co.jp/health\nUser-Agent: IntelliJ HTTP Client/IntelliJ IDEA 2025.2.3\nAccept-Encoding: br, deflate, gzip, x-gzip\n\n<> 2025-10-14T115901.200.json\n\n###\n\n")
	return b.String(), prettyJSON(s.body) + "\n"
}

func prettyJSON(s string) string {
	if !strings.HasPrefix(s, "{") {
		return s
	}
	var v any
	if json.Unmarshal([]byte(s), &v) != nil {
		return s
	}
	b, _ := json.MarshalIndent(v, "", "  ")
	return string(b)
}

func TestWriteSeedFixtures(t *testing.T) {
	if !*update {
		t.Skip("run with -update to rewrite testdata/seed")
	}
	for _, s := range scenarios {
		dir := filepath.Join("testdata", "seed", s.name)
		if err := os.RemoveAll(dir); err != nil {
			t.Fatal(err)
		}
		files := map[string]string{
			"curl-v.txt":      s.curlV(),
			"raw.txt":         s.raw(true),
			"har.har":         s.har(),
			"restclient.http": s.restClient(),
			"jetbrains.txt":   s.jetbrains(),
		}
		log, body := s.history()
		files[filepath.Join("history", "http-requests-log.http")] = log
		files[filepath.Join("history", s.bodyFile())] = body
		if s.responseOnly {
			files["response.txt"] = s.raw(false)
		}
		for name, content := range files {
			p := filepath.Join(dir, name)
			if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
}
