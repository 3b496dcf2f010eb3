package lsp_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"
	"unicode/utf16"

	"go.lsp.dev/protocol"

	"github.com/gw403/gw403-lsp/lsp"
	"github.com/gw403/gw403-lsp/lsp/lsptest"
)

// tplYAML requires an API key; line 5 is "        ApiKeyRequired: true"
// (characters 8–28) and line 10 holds "Path: /items" (characters 10–22).
const tplYAML = "Resources:\n" +
	"  OrdersApi:\n" +
	"    Type: AWS::Serverless::Api\n" +
	"    Properties:\n" +
	"      Auth:\n" +
	"        ApiKeyRequired: true\n" +
	"  GetItems:\n" +
	"    Type: AWS::Serverless::Function\n" +
	"    Events:\n" +
	"      Get:\n" +
	"          Path: /items\n"

// apiHTTP has CRLF line ends, Japanese text and emoji. Line 1 is a request
// without a key: its URL spans UTF-16 characters 4–78 (bytes 4–86). Line 6
// holds a literal key "秘密のキー🔑": characters 11–18 (bytes 11–30). A
// header inserted for line 1 goes at 3:0.
const apiHTTP = "### 東京リージョンの注文 API 🗼\r\n" +
	"GET https://abc123.execute-api.ap-northeast-1.amazonaws.com/prod/items?q=日本語🎉 HTTP/1.1\r\n" +
	"Accept: application/json\r\n" +
	"\r\n" +
	"### 鍵あり\r\n" +
	"GET https://abc123.execute-api.ap-northeast-1.amazonaws.com/prod/items\r\n" +
	"x-api-key: 秘密のキー🔑\r\n"

const envJSON = `{"dev": {"apiKey": "k1"}, "prod": {"apiKey": "k2"}}`

func baseFiles() map[string]string {
	return map[string]string{
		"template.yaml":        tplYAML,
		"api.http":             apiHTTP,
		"http-client.env.json": envJSON,
	}
}

// start runs a server over the fake analyzer without debounce.
func start(t testing.TB, files map[string]string) (*lsptest.Client, *fakeFactory) {
	t.Helper()
	f := newFakeFactory()
	c := lsptest.Start(t, lsptest.Config{Files: files, Options: lsp.Options{NewWorkspace: f.new, Debounce: -1}})
	return c, f
}

func pos(line, char uint32) protocol.Position { return protocol.Position{Line: line, Character: char} }

func rng(l1, c1, l2, c2 uint32) protocol.Range {
	return protocol.Range{Start: pos(l1, c1), End: pos(l2, c2)}
}

// byCode returns the diagnostics with a code.
func byCode(ds []protocol.Diagnostic, code string) []protocol.Diagnostic {
	var out []protocol.Diagnostic
	for _, d := range ds {
		if d.Code == code {
			out = append(out, d)
		}
	}
	return out
}

func codes(ds []protocol.Diagnostic) string {
	var out []string
	for _, d := range ds {
		out = append(out, d.Code.(string))
	}
	return strings.Join(out, ",")
}

// refLines splits text after each terminator (\r\n, \n, \r), keeping it.
func refLines(text string) []string {
	var lines []string
	start := 0
	for i := 0; i < len(text); i++ {
		switch text[i] {
		case '\n':
			lines = append(lines, text[start:i+1])
			start = i + 1
		case '\r':
			if i+1 < len(text) && text[i+1] == '\n' {
				i++
			}
			lines = append(lines, text[start:i+1])
			start = i + 1
		}
	}
	return append(lines, text[start:])
}

// refOffset converts an LSP position to a byte offset the slow, obvious
// way, independently of schemas/source: encode the line to UTF-16 (or count
// bytes) and walk it.
func refOffset(t testing.TB, text string, p protocol.Position, utf8Cols bool) int {
	t.Helper()
	lines := refLines(text)
	if int(p.Line) >= len(lines) {
		t.Fatalf("refOffset: line %d past the end", p.Line)
	}
	off := 0
	for _, l := range lines[:p.Line] {
		off += len(l)
	}
	line := strings.TrimRight(lines[p.Line], "\r\n")
	if utf8Cols {
		if int(p.Character) > len(line) {
			return off + len(line)
		}
		return off + int(p.Character)
	}
	units := 0
	for i, r := range line {
		if units >= int(p.Character) {
			return off + i
		}
		units += len(utf16.Encode([]rune{r}))
	}
	return off + len(line)
}

// refApply applies a change the way the client sees it.
func refApply(t testing.TB, text string, c lsptest.Change, utf8Cols bool) string {
	t.Helper()
	if c.Range == nil {
		return c.Text
	}
	a := refOffset(t, text, c.Range.Start, utf8Cols)
	b := refOffset(t, text, c.Range.End, utf8Cols)
	return text[:a] + c.Text + text[b:]
}

// applyEdits applies non-overlapping LSP text edits (UTF-16) to text.
func applyEdits(t testing.TB, text string, edits []protocol.TextEdit) string {
	t.Helper()
	type span struct {
		a, b int
		s    string
	}
	var spans []span
	for _, e := range edits {
		spans = append(spans, span{refOffset(t, text, e.Range.Start, false), refOffset(t, text, e.Range.End, false), e.NewText})
	}
	for i := len(spans) - 1; i >= 0; i-- { // edits come sorted by position
		s := spans[i]
		text = text[:s.a] + s.s + text[s.b:]
	}
	return text
}

func mustJSON(t testing.TB, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// optsWith returns server options over f with a debounce (0: the default).
func optsWith(f *fakeFactory, debounce time.Duration) lsp.Options {
	return lsp.Options{NewWorkspace: f.new, Debounce: debounce}
}
