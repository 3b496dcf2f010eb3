package capture

import (
	"bytes"
	"compress/gzip"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf16"
)

func parseFile(t *testing.T, name string) *Capture {
	t.Helper()
	path := filepath.Join("testdata", name)
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	dir := filepath.Dir(path)
	c, err := Parse(f, Options{Name: path, OpenRef: func(n string) (io.ReadCloser, error) { return os.Open(filepath.Join(dir, n)) }})
	if err != nil {
		t.Fatalf("Parse(%s) error: %v", name, err)
	}
	return c
}

func TestParseFixtures(t *testing.T) {
	type want struct {
		format     Format
		exchanges  int
		responses  int
		method     string // first exchange's request ("" = no request)
		url        string
		reqLine    int
		status     int
		errType    string
		body       string // substring of the body
		respLine   int
		bodyFile   string
		conn       Conn
		redacted   bool
		headerSpan bool // the x-amzn-errortype header's span slices to its line
	}
	tests := []struct {
		file string
		want want
	}{
		{"curl_v_http2.txt", want{
			format: FormatCurlVerbose, exchanges: 1, responses: 1,
			method: "GET", url: "https://a1b2c3d4e5.execute-api.ap-northeast-1.amazonaws.com/prod/orders/42", reqLine: 37,
			status: 403, errType: "MissingAuthenticationTokenException", body: `{"message":"Missing Authentication Token"}`, respLine: 43,
			conn:       Conn{Host: "a1b2c3d4e5.execute-api.ap-northeast-1.amazonaws.com", Port: 443, TLS: true},
			headerSpan: true,
		}},
		{"curl_v_proxy_connect.txt", want{
			format: FormatCurlVerbose, exchanges: 1, responses: 1,
			method: "CONNECT", url: "a1b2c3d4e5.execute-api.ap-northeast-1.amazonaws.com:443", reqLine: 7,
			status: 403, respLine: 12,
			conn: Conn{Proxy: "http://proxy.corp.example:3128", Host: "proxy.corp.example", Port: 3128, TunnelFailed: 403},
		}},
		{"curl_iv_mirrored.txt", want{
			format: FormatCurlVerbose, exchanges: 1, responses: 1,
			method: "POST", url: "https://api.example.co.jp/v1/orders", reqLine: 8,
			status: 403, errType: "ForbiddenException", body: `{"message":"Forbidden"}`, respLine: 16,
			conn:       Conn{Host: "api.example.co.jp", Port: 443, TLS: true},
			headerSpan: true,
		}},
		{"raw_crlf.txt", want{
			format: FormatHTTPText, exchanges: 1, responses: 1,
			status: 403, errType: "ForbiddenException", body: `{"message":"Forbidden"}`, respLine: 1, headerSpan: true,
		}},
		{"restclient_exchange.http", want{
			format: FormatHTTPText, exchanges: 1, responses: 1,
			method: "GET", url: "https://orders.example.com/prod/orders", reqLine: 1,
			status: 403, errType: "MissingAuthenticationTokenException", body: `"message": "Missing Authentication Token"`, respLine: 7, headerSpan: true,
		}},
		{"restclient_saved.http", want{
			format: FormatHTTPText, exchanges: 1, responses: 1,
			status: 403, errType: "ForbiddenException", body: "Invalid API Key identifier specified", respLine: 1, headerSpan: true,
		}},
		{"jetbrains_console.txt", want{
			format: FormatJetBrainsConsole, exchanges: 1, responses: 1,
			method: "GET", url: "https://a1b2c3d4e5.execute-api.ap-northeast-1.amazonaws.com/Prod/users/me", reqLine: 1,
			status: 403, errType: "ForbiddenException", body: `"message": "Forbidden"`, respLine: 3,
			bodyFile: "2025-10-14T140233.403.json", headerSpan: true, redacted: true,
		}},
		{"jetbrains_history/http-requests-log.http", want{
			format: FormatJetBrainsHistory, exchanges: 2, responses: 3,
			method: "GET", url: "https://a1b2c3d4e5.execute-api.ap-northeast-1.amazonaws.com/prod/reports/daily", reqLine: 1,
			status: 403, body: `"message": "Missing Authentication Token"`, respLine: 6,
			bodyFile: "2025-10-14T141502.403.json",
		}},
		{"jetbrains_history/2025-10-14T141450-1.403.json", want{
			format: FormatBody, exchanges: 1, responses: 1,
			status: 403, body: `"message": "Forbidden"`, respLine: 1, bodyFile: "2025-10-14T141450-1.403.json",
		}},
		{"chrome.har", want{
			format: FormatHAR, exchanges: 1, responses: 2,
			method: "GET", url: "https://a1b2c3d4e5.execute-api.ap-northeast-1.amazonaws.com/prod/orders?status=open",
			status: 403, errType: "ForbiddenException", body: `{"message":"Forbidden"}`, redacted: true,
		}},
		{"firefox_base64.har", want{
			format: FormatHAR, exchanges: 1, responses: 1,
			method: "GET", url: "https://a1b2c3d4e5.execute-api.ap-northeast-1.amazonaws.com/prod/admin/users",
			status: 403, errType: "AccessDeniedException", body: `"Message":"User: anonymous is not authorized`, redacted: true,
		}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			c := parseFile(t, tt.file)
			w := tt.want
			if c.Format != w.format {
				t.Errorf("format = %v, want %v", c.Format, w.format)
			}
			if len(c.Exchanges) != w.exchanges || c.Responses != w.responses {
				t.Fatalf("exchanges, responses = %d, %d; want %d, %d", len(c.Exchanges), c.Responses, w.exchanges, w.responses)
			}
			x := c.Exchanges[0]
			if w.method == "" {
				if x.Request != nil {
					t.Errorf("request = %+v, want none", x.Request)
				}
			} else {
				if x.Request == nil {
					t.Fatalf("request = nil, want %s %s", w.method, w.url)
				}
				if x.Request.Method != w.method || x.Request.URL != w.url || x.Request.Line != w.reqLine || x.Request.HeadersIncomplete != w.redacted {
					t.Errorf("request = %s %s line %d redacted %v, want %s %s line %d redacted %v",
						x.Request.Method, x.Request.URL, x.Request.Line, x.Request.HeadersIncomplete, w.method, w.url, w.reqLine, w.redacted)
				}
				if c.Text != nil && x.Request.Line > 0 {
					if got := c.Text.Slice(x.Request.Span); !strings.Contains(got, w.method) {
						t.Errorf("request span slices to %q, want the request line", got)
					}
				}
			}
			r := x.Response
			if r.Status != w.status || r.Line != w.respLine || r.BodyFile != w.bodyFile {
				t.Errorf("response status %d line %d file %q, want %d line %d file %q", r.Status, r.Line, r.BodyFile, w.status, w.respLine, w.bodyFile)
			}
			if got := r.Headers.Get("X-Amzn-ErrorType"); got != w.errType {
				t.Errorf("x-amzn-errortype = %q, want %q", got, w.errType)
			}
			if !strings.Contains(r.Body, w.body) {
				t.Errorf("body = %q, want it to contain %q", r.Body, w.body)
			}
			if x.Conn != w.conn {
				t.Errorf("conn = %+v, want %+v", x.Conn, w.conn)
			}
			if w.headerSpan {
				h := r.Headers.Find("x-amzn-errortype")
				got := strings.TrimLeft(c.Text.Slice(h.Span), "< ")
				if !strings.EqualFold(got, "x-amzn-errortype: "+w.errType) {
					t.Errorf("x-amzn-errortype span slices to %q", got)
				}
			}
			if c.Text != nil && r.BodySpan.Len() > 0 && !strings.Contains(c.Text.Slice(r.BodySpan), strings.SplitN(w.body, "\n", 2)[0]) {
				t.Errorf("body span slices to %q, want it to contain %q", c.Text.Slice(r.BodySpan), w.body)
			}
		})
	}
}

func TestParseHistoryKeepsOnlyAuthErrors(t *testing.T) {
	c := parseFile(t, "jetbrains_history/http-requests-log.http")
	second := c.Exchanges[1]
	if second.Response.Status != 403 || second.Request.Headers.Get("x-api-key") != "{{apiKey}}" || !strings.Contains(second.Response.Body, "Forbidden") {
		t.Errorf("second kept entry = %+v %+v, want the GET /prod/orders 403 with its body", second.Request, second.Response)
	}
}

func TestParseHistoryWithoutOpenRef(t *testing.T) {
	b, err := os.ReadFile("testdata/jetbrains_history/http-requests-log.http")
	if err != nil {
		t.Fatal(err)
	}
	c, err := Parse(bytes.NewReader(b), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Exchanges) != 2 || c.Exchanges[0].Response.Body != "" {
		t.Errorf("got %d exchanges, first body %q; want 2 without bodies", len(c.Exchanges), c.Exchanges[0].Response.Body)
	}
}

func TestParseHistoryRefIsBaseNameOnly(t *testing.T) {
	in := "GET https://x.example.com/a\n\n<> ../../etc/2025-01-01T000000.403.json\n"
	var asked []string
	_, err := Parse(strings.NewReader(in), Options{OpenRef: func(n string) (io.ReadCloser, error) {
		asked = append(asked, n)
		return nil, os.ErrNotExist
	}})
	if err != nil {
		t.Fatal(err)
	}
	if len(asked) != 1 || asked[0] != "2025-01-01T000000.403.json" {
		t.Errorf("OpenRef asked for %q, want only the base name", asked)
	}
}

func TestParseGzippedHAR(t *testing.T) {
	b, err := os.ReadFile("testdata/chrome.har")
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.Write(b)
	zw.Close()
	c, err := Parse(bytes.NewReader(buf.Bytes()), Options{Name: "export.har.gz"})
	if err != nil {
		t.Fatalf("Parse(gzipped HAR) error: %v", err)
	}
	if c.Format != FormatHAR || len(c.Exchanges) != 1 || c.Exchanges[0].Response.Status != 403 {
		t.Errorf("gzipped HAR gave %v with %d exchanges", c.Format, len(c.Exchanges))
	}
	// A gzip stream cut in half is reported as truncated.
	_, err = Parse(bytes.NewReader(buf.Bytes()[:buf.Len()/2]), Options{})
	if !errors.Is(err, ErrTruncated) {
		t.Errorf("Parse(half a gzip) error = %v, want ErrTruncated", err)
	}
}

func TestParseErrors(t *testing.T) {
	har, err := os.ReadFile("testdata/chrome.har")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		in   []byte
		want error
	}{
		{"empty", nil, ErrEmpty},
		{"blank", []byte(" \n\r\n\t"), ErrEmpty},
		{"binary", []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00"), ErrBinary},
		{"control bytes", bytes.Repeat([]byte{0x01, 0x02, 'a', 0x03}, 100), ErrBinary},
		{"garbage text", []byte("hello world\nthis is not http\n"), ErrUnrecognized},
		{"request only", []byte("> GET /prod/x HTTP/1.1\n> Host: a.example.com\n>\n"), ErrTruncated},
		{"truncated HAR", har[:len(har)/2], ErrTruncated},
		{"HAR bad JSON", []byte(`{"log": {"entries": [ {"request": } ]}}`), ErrMalformed},
		{"JSON not HAR", []byte(`{"log": {"version": "1.2"}}`), ErrUnrecognized},
		{"JSON array", []byte(`[1, 2, 3]`), ErrUnrecognized},
		{"truncated JSON body", []byte(`{"message": "Forbi`), ErrTruncated},
		{"bad gzip", []byte{0x1f, 0x8b, 0x00, 0x01}, ErrMalformed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := Parse(bytes.NewReader(tt.in), Options{})
			if !errors.Is(err, tt.want) {
				t.Fatalf("Parse error = %v (capture %+v), want %v", err, c, tt.want)
			}
			if msg := err.Error(); strings.Contains(msg, "\n") {
				t.Errorf("error %q spans lines", msg)
			}
		})
	}
}

func TestParseTooLarge(t *testing.T) {
	r := io.MultiReader(strings.NewReader("HTTP/1.1 403 Forbidden\n\n"), &repeatReader{b: []byte("aaaaaaaaaaaaaaa\n"), n: MaxTextInput/16 + 2})
	_, err := Parse(r, Options{})
	if !errors.Is(err, ErrTooLarge) {
		t.Errorf("Parse(%d MiB of text) error = %v, want ErrTooLarge", MaxTextInput>>20, err)
	}
}

type repeatReader struct {
	b []byte
	n int
}

func (r *repeatReader) Read(p []byte) (int, error) {
	if r.n == 0 {
		return 0, io.EOF
	}
	k := 0
	for r.n > 0 && len(p)-k >= len(r.b) {
		k += copy(p[k:], r.b)
		r.n--
	}
	return k, nil
}

func TestParseUTF16(t *testing.T) {
	text := "HTTP/1.1 403 Forbidden\r\nx-amzn-ErrorType: ForbiddenException\r\n\r\n{\"message\":\"Forbidden\"}\r\n"
	u := utf16.Encode([]rune(text))
	le := []byte{0xff, 0xfe}
	for _, c := range u {
		le = append(le, byte(c), byte(c>>8))
	}
	for name, in := range map[string][]byte{"with BOM": le, "without BOM": le[2:]} {
		c, err := Parse(bytes.NewReader(in), Options{})
		if err != nil {
			t.Fatalf("%s: Parse(UTF-16LE) error: %v", name, err)
		}
		if got := c.Exchanges[0].Response.Headers.Get("x-amzn-errortype"); got != "ForbiddenException" {
			t.Errorf("%s: x-amzn-errortype = %q", name, got)
		}
	}
}

func TestParseHeadersOnlyAndBrowserOrder(t *testing.T) {
	// Chrome's headers panel: response headers (no status line) above the
	// request's HTTP/2 pseudo-headers.
	in := "\ufeffcontent-length: 42\ncontent-type: application/json\nx-amzn-errortype: MissingAuthenticationTokenException\nx-amzn-requestid: 1a2b\n\n" +
		":authority: api.example.co.jp\n:method: GET\n:path: /prod/users\n:scheme: https\naccept: */*\n"
	c, err := ParseText(in, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Exchanges) != 1 {
		t.Fatalf("got %d exchanges, want 1", len(c.Exchanges))
	}
	x := c.Exchanges[0]
	if x.Response.Status != 0 || x.Response.Headers.Get("x-amzn-errortype") != "MissingAuthenticationTokenException" {
		t.Errorf("response = %+v", x.Response)
	}
	if x.Request == nil || x.Request.Method != "GET" || x.Request.URL != "https://api.example.co.jp/prod/users" {
		t.Errorf("request = %+v, want GET https://api.example.co.jp/prod/users", x.Request)
	}
	if got := c.Text.Slice(x.Response.Headers[0].Span); got != "content-length: 42" {
		t.Errorf("first header span = %q (BOM must not be part of it)", got)
	}
}

func TestParseJapaneseAndEmojiSpans(t *testing.T) {
	in := "POST https://api.example.co.jp/prod/注文 HTTP/1.1\r\nContent-Type: application/json\r\n\r\n{\"品名\": \"🍵\"}\r\n\r\nHTTP/1.1 403 Forbidden\r\nx-amzn-ErrorType: ForbiddenException\r\n\r\n{\"message\":\"Forbidden\"}\r\n"
	c, err := ParseText(in, Options{})
	if err != nil {
		t.Fatal(err)
	}
	x := c.Exchanges[0]
	if x.Request == nil || x.Request.URL != "https://api.example.co.jp/prod/注文" {
		t.Fatalf("request = %+v", x.Request)
	}
	if got := c.Text.Slice(x.Response.StatusSpan); got != "HTTP/1.1 403 Forbidden" {
		t.Errorf("status span = %q", got)
	}
	if got := c.Text.Slice(x.Response.BodySpan); got != `{"message":"Forbidden"}` {
		t.Errorf("body span = %q", got)
	}
	if x.Response.Line != 6 {
		t.Errorf("response line = %d, want 6", x.Response.Line)
	}
}

func TestRequestAccessors(t *testing.T) {
	r := &Request{URL: "https://user@API.Example.com:8443/prod/a/b?x=1&y=2#frag"}
	if r.Host() != "api.example.com" || r.Path() != "/prod/a/b" || r.Query() != "x=1&y=2" {
		t.Errorf("Host, Path, Query = %q, %q, %q", r.Host(), r.Path(), r.Query())
	}
	r = &Request{URL: "/prod/a", Headers: Headers{{Name: "host", Value: "h.example.com:443"}}}
	if r.Host() != "h.example.com" || r.Path() != "/prod/a" {
		t.Errorf("Host, Path = %q, %q", r.Host(), r.Path())
	}
	var nilReq *Request
	if nilReq.Host() != "" || nilReq.Path() != "" || nilReq.Query() != "" {
		t.Error("nil request accessors must return empty strings")
	}
}
