package bench

import (
	"fmt"
	"sort"
	"strings"
	"testing"
	"time"

	"go.lsp.dev/protocol"

	"github.com/gw403/gw403-lsp/bench/benchgen"
	"github.com/gw403/gw403-lsp/lsp"
	"github.com/gw403/gw403-lsp/lsp/lsptest"
)

// startLSP starts the real server (no debounce: every edit is checked at
// once, so what is timed is the server's own work) on files, initializes
// it and opens the named documents, waiting for their first diagnostics.
func startLSP(tb testing.TB, files benchgen.Files, open ...string) (*lsptest.Client, []protocol.DocumentURI) {
	tb.Helper()
	c := lsptest.Start(tb, lsptest.Config{Files: files, Options: lsp.Options{Debounce: -1}, History: -1})
	c.Initialize(lsptest.InitOptions{})
	var uris []protocol.DocumentURI
	for _, rel := range open {
		u := c.Open(rel, files[rel])
		c.WaitVersion(u, 1)
		uris = append(uris, u)
	}
	return c, uris
}

// keystrokeLine returns the 0-based line of the first comment-free
// separator line at or after line n of text (a "### …" title, where typing
// changes nothing but the text), and that line's length in UTF-16 units.
func keystrokeLine(text string, n int) (line, chars uint32) {
	for i, l := range strings.Split(text, "\n") {
		if i >= n && strings.HasPrefix(l, "### ") && !strings.ContainsAny(l, "\r") {
			return uint32(i), uint32(len([]rune(l))) // ASCII and BMP only in generated titles
		}
	}
	panic("no separator line")
}

// typeAndErase sends edit number i: odd edits delete the character the
// even edit before typed, so the document returns to its first text.
func typeAndErase(c *lsptest.Client, u protocol.DocumentURI, line, end uint32, i int) int32 {
	if i%2 == 0 {
		return c.Change(u, lsptest.Edit(line, end, line, end, "x"))
	}
	return c.Change(u, lsptest.Edit(line, end, line, end+1, ""))
}

func percentile(ds []time.Duration, p float64) time.Duration {
	s := append([]time.Duration(nil), ds...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	k := int(float64(len(s)-1) * p)
	return s[k]
}

// BenchmarkLSPKeystroke types one character at a time into a request file
// of 1,000 requests (linked to a template, in two environments) and times
// each didChange until the diagnostics of that version are published
// (target: p99 < 30 ms).
func BenchmarkLSPKeystroke(b *testing.B) {
	files := benchgen.LSP(1000, 0)
	c, uris := startLSP(b, files, "requests.http")
	u := uris[0]
	line, end := keystrokeLine(files["requests.http"], 2500)
	var lat []time.Duration
	b.ReportAllocs()
	p := startPeak()
	i := 0
	for b.Loop() {
		start := time.Now()
		v := typeAndErase(c, u, line, end, i)
		c.WaitPublish(u, 0, func(p lsptest.Publish) bool { return p.Version != nil && *p.Version == v })
		lat = append(lat, time.Since(start))
		i++
	}
	p.report(b)
	b.ReportMetric(float64(percentile(lat, 0.50).Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(percentile(lat, 0.99).Microseconds())/1000, "p99-ms")
}

// BenchmarkLSPTemplateEdit edits the template that 20 open request files
// (50 requests each) call, and times until every one of them has been
// re-checked and its diagnostics published.
func BenchmarkLSPTemplateEdit(b *testing.B) {
	files := benchgen.LSP(50, 20)
	open := []string{"template.yaml"}
	for j := 0; j < 20; j++ {
		open = append(open, fmt.Sprintf("open/%02d.http", j))
	}
	c, uris := startLSP(b, files, open...)
	tmpl := uris[0]
	// Toggle a route's method: the requests' findings depend on it.
	lines := strings.Split(files["template.yaml"], "\n")
	line := -1
	for i, l := range lines {
		if strings.TrimSpace(l) == "Method: put" {
			line = i
			break
		}
	}
	if line < 0 {
		b.Fatal("no 'Method: put' line in the template")
	}
	col := uint32(strings.Index(lines[line], "put"))
	b.ReportAllocs()
	p := startPeak()
	i := 0
	for b.Loop() {
		mark := c.Mark()
		to := "get"
		if i%2 == 1 {
			to = "put"
		}
		c.Change(tmpl, lsptest.Edit(uint32(line), col, uint32(line), col+3, to))
		for _, u := range uris[1:] {
			c.WaitPublish(u, mark, nil)
		}
		i++
	}
	p.report(b)
}
