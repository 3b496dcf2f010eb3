package hardening

import (
	"strings"
	"testing"

	"go.lsp.dev/protocol"

	"github.com/gw403/gw403-lsp/lsp"
	"github.com/gw403/gw403-lsp/lsp/lsptest"
)

// TestLSPVariableBombs opens a request file with a variable that reaches
// itself through `{{$dotenv %d}}` (the server died of a stack overflow)
// and one whose variables expand to 10 GB (it died of memory in 16 s):
// each gets its diagnostics, the second one GW001 naming the limit, and
// the server goes on answering and checking the good file.
func TestLSPVariableBombs(t *testing.T) {
	files := goodFiles()
	files["bomb/.env"] = "K={{$dotenv K}}\n"
	c := lsptest.Start(t, lsptest.Config{Files: files, Options: lsp.Options{Debounce: -1}})
	c.Initialize(lsptest.InitOptions{})
	cyc := c.Open("bomb/cycle.http", "@d = {{$dotenv %d}}\nGET https://example.com/{{d}}/{{$dotenv K}}\n")
	c.WaitVersion(cyc, 1)
	lol := c.Open("bomb/laughs.http", fileVars(laughs("xxxxxxxxxx", 10))+"GET https://example.com/{{a10}}\n")
	p := c.WaitVersion(lol, 1)
	n := 0
	for _, d := range p.Diagnostics {
		if d.Code == "GW001" && strings.Contains(d.Message, "a10") && strings.Contains(d.Message, "limit") {
			n++
		}
	}
	if n != 1 {
		t.Errorf("laughs.http: want one GW001 naming a10 and the limit, got %v", p.Diagnostics)
	}
	var hover any
	if err := c.Call(protocol.MethodTextDocumentHover, map[string]any{"textDocument": map[string]any{"uri": lol}, "position": protocol.Position{Line: 11, Character: 28}}, &hover); err != nil {
		t.Errorf("hover on {{a10}}: %v", err)
	}
	u := c.Open("good/api.http", files["good/api.http"])
	found := false
	for _, d := range c.WaitVersion(u, 1).Diagnostics {
		found = found || d.Code == "GW132"
	}
	if !found {
		t.Errorf("good/api.http: no GW132 after the bombs were opened")
	}
	c.Shutdown()
	if code := c.Exit(); code != 0 {
		t.Errorf("exit code %d, want 0", code)
	}
}
