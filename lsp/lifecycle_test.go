package lsp_test

import (
	"encoding/json"
	"testing"
	"time"

	"go.lsp.dev/protocol"

	"github.com/gw403/gw403-lsp/lsp"
	"github.com/gw403/gw403-lsp/lsp/lsptest"
)

// The life of a document: opened, changed (a new generation each time its
// text or a file it depends on changes), checked, closed, opened again.

// checkOf returns the generation a published diagnostic's quick fix data
// names.
func checkOf(t *testing.T, d protocol.Diagnostic) uint64 {
	t.Helper()
	var data struct {
		Check uint64 `json:"check"`
	}
	if err := json.Unmarshal([]byte(mustJSON(t, d.Data)), &data); err != nil || data.Check == 0 {
		t.Fatalf("data = %v, want a check number", d.Data)
	}
	return data.Check
}

// codeActionAsync sends a code action request and returns its answer on a
// channel.
func codeActionAsync(t *testing.T, c *lsptest.Client, doc protocol.DocumentURI, r protocol.Range, diags []protocol.Diagnostic) <-chan []codeAction {
	got := make(chan []codeAction, 1)
	go func() {
		var actions []codeAction
		if err := c.Call(protocol.MethodTextDocumentCodeAction, map[string]any{
			"textDocument": map[string]any{"uri": doc}, "range": r,
			"context": map[string]any{"diagnostics": diags},
		}, &actions); err != nil {
			t.Errorf("codeAction: %v", err)
		}
		got <- actions
	}()
	return got
}

// held waits for a check the gate holds (ch: f.started) or lets pass
// (f.passed), failing the test after lsptest.Timeout.
func held(t *testing.T, ch <-chan string) {
	t.Helper()
	select {
	case <-ch:
	case <-time.After(lsptest.Timeout):
		t.Fatal("no check reached the gate")
	}
}

func templateSaved(c *lsptest.Client) {
	c.Notify(protocol.MethodWorkspaceDidChangeWatchedFiles, map[string]any{
		"changes": []map[string]any{{"uri": c.URI("template.yaml"), "type": 2}},
	})
}

// barrier returns once the server handled every message sent before.
func barrier(t *testing.T, c *lsptest.Client, doc protocol.DocumentURI) {
	t.Helper()
	var links []protocol.DocumentLink
	if err := c.Call(protocol.MethodTextDocumentDocumentLink, map[string]any{"textDocument": map[string]any{"uri": doc}}, &links); err != nil {
		t.Fatal(err)
	}
}

// TestOldGenerationNeverServed: the check of a generation that a newer
// change (here a saved template, which leaves the text alone) overtakes
// while it runs is neither published nor served: the code action waiting
// for the document's result gets the newest generation's, which is the
// one published next.
func TestOldGenerationNeverServed(t *testing.T) {
	f := newFakeFactory()
	c := lsptest.Start(t, lsptest.Config{Files: baseFiles(), Options: lsp.Options{NewWorkspace: f.new, Debounce: time.Hour}})
	c.Initialize(lsptest.InitOptions{})
	doc := c.Open("api.http", apiHTTP)
	d := byCode(c.WaitVersion(doc, 1).Diagnostics, "GW101")[0]
	first := checkOf(t, d)

	templateSaved(c) // a new generation, checked in an hour unless asked
	gate := make(chan struct{})
	f.gate.Store(&gate)
	mark := c.Mark()
	got := codeActionAsync(t, c, doc, d.Range, []protocol.Diagnostic{d})
	held(t, f.started) // the check of the second generation
	templateSaved(c)
	barrier(t, c, doc)
	f.gate.Store(nil)
	close(gate)

	actions := withoutIgnores(<-got)
	if len(actions) != 2 {
		t.Fatalf("actions = %+v, want the 2 fixes of GW101", actions)
	}
	served := checkOf(t, actions[0].Diagnostics[0])
	p := c.WaitPublish(doc, mark, nil)
	if published := checkOf(t, byCode(p.Diagnostics, "GW101")[0]); published != served || served <= first {
		t.Errorf("served check %d, published check %d after check %d: want the newest generation's, published", served, published, first)
	}
	// The held check ends; nothing of its generation follows.
	held(t, f.passed)
	barrier(t, c, doc)
	for _, h := range c.History() {
		if h.Seq > mark && h.URI == doc && checkOf(t, byCode(h.Diagnostics, "GW101")[0]) != served {
			t.Errorf("published check %d, want only %d", checkOf(t, byCode(h.Diagnostics, "GW101")[0]), served)
		}
	}
}

// TestCloseDuringCheck: a document closed while its check runs gets its
// diagnostics cleared, and nothing of that check is published afterwards,
// even when the check completes.
func TestCloseDuringCheck(t *testing.T) {
	c, f := start(t, baseFiles())
	c.Initialize(lsptest.InitOptions{})
	gate := make(chan struct{})
	f.gate.Store(&gate)
	doc := c.Open("api.http", apiHTTP)
	held(t, f.started)
	mark := c.Mark()
	c.Close(doc)
	c.WaitPublish(doc, mark, func(p lsptest.Publish) bool { return p.Version == nil && len(p.Diagnostics) == 0 })
	f.gate.Store(nil)
	close(gate)
	held(t, f.passed) // the check completed

	// Another document's check and publish come after the closed one's
	// would have.
	other := c.Open("other.http", "GET https://abc123.execute-api.ap-northeast-1.amazonaws.com/prod/items\r\n")
	c.WaitVersion(other, 1)
	for _, h := range c.History() {
		if h.Seq > mark && h.URI == doc && (h.Version != nil || len(h.Diagnostics) > 0) {
			t.Errorf("published after close: %+v", h)
		}
	}
	// A code action on the closed document has nothing to say.
	if got := codeActions(t, c, doc, rng(1, 4, 1, 10), nil); len(got) != 0 {
		t.Errorf("actions on a closed document = %+v", got)
	}
}

// TestReopenStartsFresh: a document opened again is a new one: a request
// right after the open answers from the new text, its diagnostics are the
// new text's at the version sent, and the quick fix data of the closed
// document matches nothing, though it names the same rule and index.
func TestReopenStartsFresh(t *testing.T) {
	f := newFakeFactory()
	c := lsptest.Start(t, lsptest.Config{Files: baseFiles(), Options: lsp.Options{NewWorkspace: f.new, Debounce: time.Hour}})
	c.Initialize(lsptest.InitOptions{})
	doc := c.Open("api.http", apiHTTP)
	old := byCode(c.WaitVersion(doc, 1).Diagnostics, "GW101")[0]
	mark := c.Mark()
	c.Close(doc)
	c.WaitPublish(doc, mark, func(p lsptest.Publish) bool { return p.Version == nil && len(p.Diagnostics) == 0 })

	// The same file, two lines longer: its GW101 is on line 3.
	mark = c.Mark()
	c.Open("api.http", "# 再\r\n# 再\r\n"+apiHTTP)
	actions := withoutIgnores(codeActions(t, c, doc, rng(3, 10, 3, 10), nil))
	if len(actions) != 2 || actions[0].Edit.DocumentChanges[0].Edits[0].Range != rng(5, 0, 5, 0) {
		t.Fatalf("actions = %+v, want the fixes of the new text (insert at 5:0)", actions)
	}
	if got := codeActions(t, c, doc, rng(0, 0, 0, 0), []protocol.Diagnostic{old}); len(got) != 0 {
		t.Errorf("actions for the closed document's diagnostic = %+v, want none", got)
	}
	p := c.WaitPublish(doc, mark, nil)
	ds := byCode(p.Diagnostics, "GW101")
	if p.Version == nil || *p.Version != 1 || len(ds) != 1 || ds[0].Range.Start.Line != 3 {
		t.Fatalf("after reopening: %+v, want version 1 with GW101 on line 3", p)
	}
	if checkOf(t, ds[0]) == checkOf(t, old) {
		t.Errorf("the reopened document's check number %d is the closed one's", checkOf(t, old))
	}
}

// TestCodeActionWaitEndsWithRequest: a code action waits for the check of
// the document's generation only as long as the request lives: cancelled,
// it answers RequestCancelled while the check still runs.
func TestCodeActionWaitEndsWithRequest(t *testing.T) {
	s := startRaw(t, baseFiles(), -1)
	s.read()
	s.initialize()
	slow := lsptest.FileURI(s.raw.Dir + "/slow.http")
	s.send(lsptest.Message(nil, "textDocument/didOpen", map[string]any{"textDocument": map[string]any{
		"uri": slow, "languageId": "http", "version": 1, "text": "# BLOCK\nGET https://a.execute-api.us-east-1.amazonaws.com/prod/x\n",
	}}))
	held(t, s.f.started) // the check runs until its context ends
	s.send(lsptest.Message(5, "textDocument/codeAction", map[string]any{
		"textDocument": map[string]any{"uri": slow}, "range": rng(1, 0, 1, 0), "context": map[string]any{"diagnostics": []any{}},
	}))
	s.send(lsptest.Message(nil, "$/cancelRequest", map[string]any{"id": 5}))
	if m := s.response("5"); m.Error == nil || m.Error.Code != -32800 {
		t.Errorf("cancelled code action answered %+v, want RequestCancelled", m)
	}
	s.send(lsptest.Message(6, "shutdown", nil))
	s.response("6")
	s.exit()
}
