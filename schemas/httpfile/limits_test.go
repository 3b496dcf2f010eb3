package httpfile

import (
	"strings"
	"testing"

	"github.com/gw403/gw403-lsp/schemas/source"
)

// TestReadingLimits: a file is read up to MaxRequests requests and
// MaxLines lines outside bodies, with one problem at the first line not
// read; blank lines and body lines do not count.
func TestReadingLimits(t *testing.T) {
	for _, tc := range []struct {
		name, text string
		requests   int
		problem    string
	}{
		{"requests", strings.Repeat("GET /\n###\n", MaxRequests+5), MaxRequests, "more than 10,000 requests"},
		{"headers", "GET /\n" + strings.Repeat("A: b\n", MaxLines+5), 1, "more than 100,000 request lines"},
		{"blank and body lines", strings.Repeat("\n", MaxLines+5) + "POST /\n\n" + strings.Repeat("{}\n", MaxLines+5) + "###\nGET /x\n", 2, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := Parse(source.NewFile("a.http", tc.text))
			if len(f.Requests) != tc.requests {
				t.Errorf("%d requests, want %d", len(f.Requests), tc.requests)
			}
			var msgs []string
			for _, p := range f.Problems {
				msgs = append(msgs, p.Message)
			}
			if tc.problem == "" && len(msgs) > 0 || tc.problem != "" && (len(msgs) != 1 || !strings.Contains(msgs[0], tc.problem)) {
				t.Errorf("problems %q, want one saying %q", msgs, tc.problem)
			}
		})
	}
}

// TestQueryLinesJoined: the target is the request line's URL and its
// query lines, however many there are.
func TestQueryLinesJoined(t *testing.T) {
	text := "GET https://example.com/{{a}}\n" + strings.Repeat("  &q={{b}}\n", 1000) + "x: y\n"
	f := Parse(source.NewFile("a.http", text))
	r := f.Requests[0]
	want := "https://example.com/{{a}}" + strings.Repeat("&q={{b}}", 1000)
	if r.Target.Raw != want || len(r.QueryLines) != 1000 || len(r.Target.Refs) != 1001 || len(r.Headers) != 1 {
		t.Fatalf("target %.60q… (%d bytes), %d query lines, %d refs, %d headers", r.Target.Raw, len(r.Target.Raw), len(r.QueryLines), len(r.Target.Refs), len(r.Headers))
	}
	for _, ref := range r.Target.Refs {
		if got := text[ref.Span.Start:ref.Span.End]; got != "{{a}}" && got != "{{b}}" {
			t.Fatalf("ref span %v covers %q", ref.Span, got)
		}
	}
}
