package capture

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gw403/gw403-lsp/schemas/source"
)

// addSeeds adds every fixture under testdata as a fuzz seed.
func addSeeds(f *testing.F) {
	f.Helper()
	paths, _ := filepath.Glob("testdata/*")
	more, _ := filepath.Glob("testdata/*/*")
	for _, p := range append(paths, more...) {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(b)
		}
	}
	f.Add([]byte("< HTTP/2 403\n< x-amzn-errortype: ForbiddenException\n<\n"))
	f.Add([]byte("HTTP/1.1 403\r\n\r\n"))
	f.Add([]byte(":method: GET\n:path: /\n"))
}

// checkSpans fails when a span of c lies outside its text or is inverted.
func checkSpans(t *testing.T, c *Capture) {
	t.Helper()
	if c == nil || c.Text == nil {
		return
	}
	n := len(c.Text.Text)
	ok := func(s source.Span) bool { return 0 <= s.Start && s.Start <= s.End && s.End <= n }
	for _, x := range c.Exchanges {
		r := x.Response
		for _, s := range []source.Span{r.Span, r.StatusSpan, r.BodySpan} {
			if !ok(s) {
				t.Fatalf("response span %v outside text of %d bytes", s, n)
			}
		}
		for _, h := range r.Headers {
			if !ok(h.Span) {
				t.Fatalf("header span %v outside text of %d bytes", h.Span, n)
			}
		}
		if x.Request != nil {
			if !ok(x.Request.Span) {
				t.Fatalf("request span %v outside text of %d bytes", x.Request.Span, n)
			}
			for _, h := range x.Request.Headers {
				if !ok(h.Span) {
					t.Fatalf("request header span %v outside text of %d bytes", h.Span, n)
				}
			}
		}
		if len(r.Body) > MaxBody || len(r.Headers) > MaxHeaders {
			t.Fatalf("limits exceeded: body %d, headers %d", len(r.Body), len(r.Headers))
		}
	}
}

// FuzzParse runs the sniffer and every parser on arbitrary input. Parse
// turns panics into errors, so the text parsers are also called directly.
func FuzzParse(f *testing.F) {
	addSeeds(f)
	f.Fuzz(func(t *testing.T, in []byte) {
		c, err := Parse(bytes.NewReader(in), Options{Name: "x.403.json"})
		if err != nil {
			if strings.Contains(err.Error(), "internal error") {
				t.Fatalf("parser panicked: %v", err)
			}
			return
		}
		checkSpans(t, c)
	})
}

func FuzzTextParsers(f *testing.F) {
	addSeeds(f)
	f.Fuzz(func(t *testing.T, in []byte) {
		text := string(in)
		sf := source.NewFile("in", text)
		ls := splitLines(sf)
		checkSpans(t, parseCurl(sf, ls))
		checkSpans(t, parseHTTPText(sf, ls))
		checkSpans(t, parseHistory(sf, ls, &Options{}))
		if strings.TrimSpace(text) != "" {
			c, _ := parseBody(sf, &Options{})
			checkSpans(t, c)
		}
	})
}

func FuzzHAR(f *testing.F) {
	for _, p := range []string{"testdata/chrome.har", "testdata/firefox_base64.har"} {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(b)
		}
	}
	f.Add([]byte(`{"log":{"entries":[{"response":{"status":403,"content":{"text":"e30=","encoding":"base64"}}}]}}`))
	f.Add([]byte(`{"log":{"entries":[{"request":[],"response":{"status":"403","headers":{}}}]}}`))
	f.Fuzz(func(t *testing.T, in []byte) {
		c, err := parseHAR(bytes.NewReader(in), &Options{})
		if err == nil && c == nil {
			t.Fatal("parseHAR returned neither capture nor error")
		}
	})
}
