package httpfile

import (
	"testing"

	"github.com/gw403/gw403-lsp/schemas/source"
)

func TestRequestLine(t *testing.T) {
	tests := []struct {
		in                      string
		method, target, version string
		methodText              string // source text of MethodSpan
	}{
		{"GET https://example.com/a HTTP/1.1", "GET", "https://example.com/a", "HTTP/1.1", "GET"},
		{"post https://example.com/a", "POST", "https://example.com/a", "", "post"},
		{"https://example.com/a", "GET", "https://example.com/a", "", ""},
		{"\tDELETE\t/orders/1\tHTTP/2", "DELETE", "/orders/1", "HTTP/2", "DELETE"},
		{"PATCH {{base}}/x   http/1.1  ", "PATCH", "{{base}}/x", "http/1.1", "PATCH"},
		{"GET https://example.com/a b", "GET", "https://example.com/a b", "", "GET"},
		{"OPTIONS *", "OPTIONS", "*", "", "OPTIONS"},
		{"{{baseUrl}}/health", "GET", "{{baseUrl}}/health", "", ""},
	}
	for _, tt := range tests {
		src := source.NewFile("t.http", tt.in)
		f := Parse(src)
		if len(f.Requests) != 1 {
			t.Errorf("Parse(%q): %d requests, want 1", tt.in, len(f.Requests))
			continue
		}
		r := f.Requests[0]
		if r.Method != tt.method || r.Target.Raw != tt.target || r.Version != tt.version || src.Slice(r.MethodSpan) != tt.methodText {
			t.Errorf("Parse(%q) = %q %q %q (method text %q), want %q %q %q (%q)", tt.in,
				r.Method, r.Target.Raw, r.Version, src.Slice(r.MethodSpan), tt.method, tt.target, tt.version, tt.methodText)
		}
		if src.Slice(r.TargetSpan) != tt.target {
			t.Errorf("Parse(%q): target span covers %q", tt.in, src.Slice(r.TargetSpan))
		}
	}
}

func TestHeaderInsert(t *testing.T) {
	tests := []struct {
		name     string
		in       string
		at       int
		needsEOL bool
		eol      string
	}{
		{"after headers", "GET /a\nA: 1\n\nbody", 12, false, "\n"},
		{"request line only, EOF without EOL", "GET /a", 6, true, "\n"},
		{"header at EOF without EOL", "GET /a\nA: 1", 11, true, "\n"},
		{"request line with EOL at EOF", "GET /a\n", 7, false, "\n"},
		{"CRLF", "GET /a\r\nA: 1\r\n\r\n", 14, false, "\r\n"},
		{"after query lines", "GET /a\n  ?x=1\n\n", 14, false, "\n"},
		{"lone CR", "GET /a\rA: 1\r", 12, false, "\r"},
	}
	for _, tt := range tests {
		f := Parse(source.NewFile("t.http", tt.in))
		if len(f.Requests) != 1 {
			t.Fatalf("%s: %d requests", tt.name, len(f.Requests))
		}
		r := f.Requests[0]
		if r.HeaderInsert != tt.at || r.HeaderInsertNeedsEOL != tt.needsEOL || r.EOL != tt.eol {
			t.Errorf("%s: insert = %d needsEOL=%v eol=%q, want %d %v %q", tt.name, r.HeaderInsert, r.HeaderInsertNeedsEOL, r.EOL, tt.at, tt.needsEOL, tt.eol)
		}
	}
}

func TestSplitting(t *testing.T) {
	tests := []struct {
		name           string
		in             string
		requests       int
		splitRequests  int
		suspects       int
		firstBodyLines bool
	}{
		{"one request, no separator", "GET https://a.example.com\nAccept: */*\n", 1, 1, 0, false},
		{"two requests without ### after a blank line", "GET https://a.example.com\n\nPOST https://b.example.com\n", 1, 2, 1, true},
		{"request lines in the header block", "GET https://a.example.com\nGET https://b.example.com\nGET https://c.example.com\n", 1, 3, 2, false},
		{"separated", "GET https://a.example.com\n###\nPOST https://b.example.com\n", 2, 2, 0, false},
		{"indented request-like line is text", "POST https://a.example.com\n\n  GET https://b.example.com\n", 1, 1, 0, true},
		{"lower-case method in a body is text", "POST https://a.example.com\n\nget https://b.example.com\n", 1, 1, 0, true},
		{"SQL in a body is text", "POST https://a.example.com\n\nDELETE FROM orders WHERE id = 1\n", 1, 1, 0, true},
		{"handler script holds a request-like line", "GET https://a.example.com\n\n> {%\nGET https://b.example.com\n%}\n", 1, 1, 0, false},
	}
	for _, tt := range tests {
		f := Parse(source.NewFile("t.http", tt.in))
		checkInvariants(t, f)
		if len(f.Requests) != tt.requests {
			t.Errorf("%s: %d requests, want %d", tt.name, len(f.Requests), tt.requests)
			continue
		}
		if got := len(f.Requests[0].SuspectRequestLines); got != tt.suspects {
			t.Errorf("%s: %d suspect lines, want %d", tt.name, got, tt.suspects)
		}
		if got := f.Requests[0].Body != nil; got != tt.firstBodyLines {
			t.Errorf("%s: body = %v, want %v", tt.name, got, tt.firstBodyLines)
		}
		fs := ParseWith(source.NewFile("t.http", tt.in), Options{SplitOnRequestLines: true})
		checkInvariants(t, fs)
		if len(fs.Requests) != tt.splitRequests {
			t.Errorf("%s (split): %d requests, want %d", tt.name, len(fs.Requests), tt.splitRequests)
		}
	}
}

func TestNeverPanics(t *testing.T) {
	inputs := []string{
		"", "\n", "\r", "\r\n", "###", "\uFEFF", "\uFEFF###\n", "GET", "GET ", "@", "@=", "@a=", "# @", "# @name",
		"< {%", "> {%", "{{", "}}", "/*", "GET /a\n> {%", "GET /a\n{{\n", "GET /a\n\n<", "GET /a\n\n< ", "GET /a\nAuthorization: AWS",
		"GET /a\nAuthorization: AWS a b region:", "GET /a\nAuthorization: Basic", "GET /a\nAuthorization: Basic {{a:b}}",
		"GET /a\n  ?", "GET /a\n\t/", "x\x00y", "\xff\xff\xff", "GET /a\n\n\xff", "GET /a\n###\n###\n\n", "<>", ">>", "GET /a\n<>\n>>!\n",
	}
	for _, in := range inputs {
		for _, split := range []bool{false, true} {
			f := ParseWith(source.NewFile("t.http", in), Options{SplitOnRequestLines: split})
			checkInvariants(t, f)
		}
	}
	if f := Parse(nil); f == nil || len(f.Requests) != 0 {
		t.Errorf("Parse(nil) = %+v", f)
	}
}
