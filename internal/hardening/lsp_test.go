package hardening

import (
	"runtime"
	"strings"
	"testing"

	"go.lsp.dev/protocol"

	"github.com/gw403/gw403-lsp/lsp"
	"github.com/gw403/gw403-lsp/lsp/lsptest"
)

// TestLSPBadDocuments opens documents that exist only in the editor (no
// file on disk) with bad content of every kind: the server publishes
// diagnostics for each, keeps answering, and still checks the good file.
func TestLSPBadDocuments(t *testing.T) {
	files := goodFiles()
	c := lsptest.Start(t, lsptest.Config{Files: files, Options: lsp.Options{Debounce: -1}})
	c.Initialize(lsptest.InitOptions{})
	const samHead = "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  B:\n    Type: AWS::S3::Bucket\nMetadata:\n"
	bad := map[string]string{
		"bad/bomb.yaml":            aliasBomb(samHead, "  "),
		"bad/deep.yaml":            samHead + "  D: " + deep(10000, "[", "]") + "\n",
		"bad/deep.json":            `{"openapi": "3.0.1", "paths": ` + deep(10000, "{\"a\":", "}") + `}`,
		"bad/binary.http":          "\x00\x01\x02GET\x00\xff\xfe" + strings.Repeat("\x00", 1000),
		"bad/sjis.http":            "### \x92\x8d\x95\xb6\nGET https://a1b2c3d4e5.execute-api.ap-northeast-1.amazonaws.com/Prod/orders\n",
		"bad/huge.http":            strings.Repeat("### r\nGET https://example.com/{{x}}\nx-api-key: {{k}}\n\n", (40<<20)/48), // over analyzer.MaxFileSize,
		"bad/unterminated.http":    "GET https://example.com/\n\n> {%\n" + strings.Repeat("client.log('x');\n", 1000),
		"bad/http-client.env.json": `{"dev": ` + deep(10000, "[", "]") + `}`,
	}
	var uris []protocol.DocumentURI
	for name, text := range bad {
		uris = append(uris, c.Open(name, text))
	}
	for _, u := range uris {
		p := c.WaitVersion(u, 1)
		if strings.HasSuffix(string(u), "huge.http") {
			tooLarge := false
			for _, d := range p.Diagnostics {
				tooLarge = tooLarge || d.Code == "GW001" && strings.Contains(d.Message, "too large")
			}
			if !tooLarge {
				t.Errorf("huge.http (40 MB): diagnostics %v, want GW001 \"too large\"", p.Diagnostics)
			}
		}
	}
	// The good file is still checked, and the server answers requests.
	u := c.Open("good/api.http", files["good/api.http"])
	p := c.WaitVersion(u, 1)
	found := false
	for _, d := range p.Diagnostics {
		found = found || d.Code == "GW132"
	}
	if !found {
		t.Errorf("good/api.http: no GW132 after the bad documents were opened: %v", p.Diagnostics)
	}
	var hover any
	if err := c.Call(protocol.MethodTextDocumentHover, map[string]any{"textDocument": map[string]any{"uri": u}, "position": protocol.Position{Line: 1, Character: 10}}, &hover); err != nil {
		t.Errorf("hover after the bad documents: %v", err)
	}
	// Edit the bad documents into good ones and back: no crash.
	for _, bu := range uris {
		v := c.Change(bu, lsptest.Full("GET https://example.com/\n"))
		c.WaitVersion(bu, v)
	}
	c.Shutdown()
	if code := c.Exit(); code != 0 {
		t.Errorf("exit code %d, want 0", code)
	}
}

// TestLSPMemoryFlatOverEdits types and erases a character 10,000 times in
// a linked request file (as fast as a client can send, waiting for the
// diagnostics every 100 edits) and compares the live heap and goroutines
// after 1,000 and after 10,000 edits.
func TestLSPMemoryFlatOverEdits(t *testing.T) {
	files := goodFiles()
	var text strings.Builder
	for i := 0; i < 20; i++ {
		text.WriteString(goodRequests + "\n")
	}
	files["good/api.http"] = text.String()
	// History 1: the client keeps (and decodes) only the latest publish, so
	// its own memory stays flat too.
	c := lsptest.Start(t, lsptest.Config{Files: files, Options: lsp.Options{Debounce: -1}, History: 1})
	c.Initialize(lsptest.InitOptions{})
	u := c.Open("good/api.http", files["good/api.http"])
	c.WaitVersion(u, 1)
	const line, col = 0, 4 // inside "### 注文一覧" (ASCII before it)
	edits := 10000
	if testing.Short() {
		edits = 2000
	}
	var heap1k uint64
	var g1k int
	for i := 0; i < edits; i++ {
		var v int32
		if i%2 == 0 {
			v = c.Change(u, lsptest.Edit(line, col, line, col, "x"))
		} else {
			v = c.Change(u, lsptest.Edit(line, col, line, col+1, ""))
		}
		if i%100 == 99 {
			p := c.WaitVersion(u, v)
			if len(p.Diagnostics) == 0 {
				t.Fatalf("edit %d: no diagnostics (want GW132 on every request)", i)
			}
		}
		if i == 999 {
			heap1k, g1k = heapInUse(), runtime.NumGoroutine()
		}
	}
	heapEnd, gEnd := heapInUse(), runtime.NumGoroutine()
	t.Logf("live heap after 1,000 edits: %.1f MB; after %d: %.1f MB; goroutines %d → %d",
		float64(heap1k)/(1<<20), edits, float64(heapEnd)/(1<<20), g1k, gEnd)
	if heapEnd > heap1k+8<<20 && float64(heapEnd) > 1.5*float64(heap1k) {
		t.Errorf("live heap grew from %.1f MB after 1,000 edits to %.1f MB after %d: memory is not flat",
			float64(heap1k)/(1<<20), float64(heapEnd)/(1<<20), edits)
	}
	if gEnd > g1k+10 {
		t.Errorf("goroutines grew from %d after 1,000 edits to %d after %d", g1k, gEnd, edits)
	}
	c.Shutdown()
	c.Exit()
}

// heapInUse returns the live heap after full collections, in bytes.
func heapInUse() uint64 {
	runtime.GC()
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}
