package lsp_test

import (
	"strings"
	"testing"

	"go.lsp.dev/protocol"

	"github.com/gw403/gw403-lsp/lsp/lsptest"
)

// TestAnalyzerEndToEnd runs the server over the real analyzer on a fixture
// workspace: a request without the API key its SAM API requires gets
// GW101 on its URL, and the preferred quick fix removes it. What the rule
// says is tested in the analyzer; this checks the wiring.
func TestAnalyzerEndToEnd(t *testing.T) {
	c := lsptest.Start(t, lsptest.Config{From: "testdata/e2e/orders"})
	c.Initialize(lsptest.InitOptions{})
	text := c.ReadFile("api.http")
	doc := c.Open("api.http", text)
	p := c.WaitVersion(doc, 1)
	ds := byCode(p.Diagnostics, "GW101")
	if len(ds) != 1 {
		t.Fatalf("diagnostics = %+v, want one GW101", p.Diagnostics)
	}
	// The URL of line 1 ends after "日本語🎉": UTF-16 character 83 (byte 91).
	if got := ds[0].Range; got.Start.Line != 1 || got.End != pos(1, 83) {
		t.Errorf("GW101 range = %v, want on line 1 ending at 1:83", got)
	}
	if ds[0].Source != "gw403" || ds[0].CodeDescription == nil {
		t.Errorf("GW101 = %+v", ds[0])
	}
	actions := codeActions(t, c, doc, ds[0].Range, ds)
	var fix *codeAction
	for i := range actions {
		if actions[i].IsPreferred && actions[i].Kind == "quickfix" {
			fix = &actions[i]
		}
	}
	if fix == nil || len(fix.Edit.DocumentChanges) != 1 {
		t.Fatalf("actions = %+v, want a preferred quick fix", actions)
	}
	var changes []lsptest.Change
	edits := fix.Edit.DocumentChanges[0].Edits
	for i := len(edits) - 1; i >= 0; i-- { // apply from the end: earlier ranges stay valid
		e := edits[i]
		changes = append(changes, lsptest.Change{Range: &protocol.Range{Start: e.Range.Start, End: e.Range.End}, Text: e.NewText})
	}
	v := c.Change(doc, changes...)
	if p := c.WaitVersion(doc, v); len(byCode(p.Diagnostics, "GW101")) != 0 {
		t.Errorf("after %q: %+v, want no GW101", fix.Title, p.Diagnostics)
	}
	c.Shutdown()
	if code := c.Exit(); code != 0 {
		t.Errorf("exit code %d", code)
	}
}

// TestAnalyzerEndToEndCRLF checks that a quick fix keeps a CRLF file's line
// endings: the inserted header line ends in "\r\n".
func TestAnalyzerEndToEndCRLF(t *testing.T) {
	c := lsptest.Start(t, lsptest.Config{From: "testdata/e2e/orders"})
	c.Initialize(lsptest.InitOptions{})
	text := c.ReadFile("api.http")
	if !strings.Contains(text, "\r\n") {
		t.Fatal("the fixture api.http must use CRLF line endings")
	}
	doc := c.Open("api.http", text)
	p := c.WaitVersion(doc, 1)
	ds := byCode(p.Diagnostics, "GW101")
	if len(ds) != 1 {
		t.Fatalf("diagnostics = %+v, want one GW101", p.Diagnostics)
	}
	var newText string
	for _, a := range codeActions(t, c, doc, ds[0].Range, ds) {
		if a.IsPreferred && a.Kind == "quickfix" {
			newText = a.Edit.DocumentChanges[0].Edits[0].NewText
		}
	}
	if !strings.HasSuffix(newText, "\r\n") || strings.Count(newText, "\n") != strings.Count(newText, "\r\n") {
		t.Errorf("quick fix text = %q, want CRLF line endings", newText)
	}
	c.Shutdown()
	c.Exit()
}
