package lsp_test

import (
	"strings"
	"testing"
	"time"

	"go.lsp.dev/protocol"

	"github.com/gw403/gw403-lsp/lsp"
	"github.com/gw403/gw403-lsp/lsp/lsptest"
)

// codeAction is the part of a CodeAction the tests read.
type codeAction struct {
	Title       string                `json:"title"`
	Kind        string                `json:"kind"`
	IsPreferred bool                  `json:"isPreferred"`
	Diagnostics []protocol.Diagnostic `json:"diagnostics"`
	Edit        *struct {
		Changes         map[protocol.DocumentURI][]protocol.TextEdit `json:"changes"`
		DocumentChanges []struct {
			TextDocument struct {
				URI     protocol.DocumentURI `json:"uri"`
				Version *int32               `json:"version"`
			} `json:"textDocument"`
			Edits []protocol.TextEdit `json:"edits"`
		} `json:"documentChanges"`
	} `json:"edit"`
}

func codeActions(t *testing.T, c *lsptest.Client, doc protocol.DocumentURI, r protocol.Range, diags []protocol.Diagnostic, only ...string) []codeAction {
	t.Helper()
	if diags == nil {
		diags = []protocol.Diagnostic{}
	}
	ctx := map[string]any{"diagnostics": diags}
	if only != nil {
		ctx["only"] = only
	}
	var actions []codeAction
	if err := c.Call(protocol.MethodTextDocumentCodeAction, map[string]any{
		"textDocument": map[string]any{"uri": doc}, "range": r, "context": ctx,
	}, &actions); err != nil {
		t.Fatalf("codeAction: %v", err)
	}
	return actions
}

// withoutIgnores drops the "Ignore …" actions every finding has.
func withoutIgnores(actions []codeAction) []codeAction {
	var out []codeAction
	for _, a := range actions {
		if !strings.HasPrefix(a.Title, "Ignore GW") {
			out = append(out, a)
		}
	}
	return out
}

func TestQuickFixes(t *testing.T) {
	c, _ := start(t, baseFiles())
	c.Initialize(lsptest.InitOptions{})
	doc := c.Open("api.http", apiHTTP)
	p := c.WaitVersion(doc, 1)
	d := byCode(p.Diagnostics, "GW101")[0]
	actions := withoutIgnores(codeActions(t, c, doc, d.Range, []protocol.Diagnostic{d}))
	if len(actions) != 2 {
		t.Fatalf("actions = %+v, want 2 fixes of GW101", actions)
	}
	add, tpl := actions[0], actions[1]
	if add.Title != "Add x-api-key header" || add.Kind != "quickfix" || !add.IsPreferred {
		t.Errorf("first action = %+v, want the preferred quick fix adding the header", add)
	}
	if len(add.Diagnostics) != 1 || add.Diagnostics[0].Range != d.Range || add.Diagnostics[0].Code != "GW101" {
		t.Errorf("action diagnostics = %+v, want the GW101", add.Diagnostics)
	}
	dc := add.Edit.DocumentChanges
	if len(dc) != 1 || dc[0].TextDocument.URI != doc || dc[0].TextDocument.Version == nil || *dc[0].TextDocument.Version != 1 {
		t.Fatalf("documentChanges = %+v, want api.http at version 1", dc)
	}
	if want := (protocol.TextEdit{Range: rng(3, 0, 3, 0), NewText: "x-api-key: {{apiKey}}\r\n"}); len(dc[0].Edits) != 1 || dc[0].Edits[0] != want {
		t.Errorf("edits = %+v, want %+v", dc[0].Edits, want)
	}
	// The other fix edits the template, which is not open: version null.
	if tpl.IsPreferred || tpl.Title != "Stop requiring an API key (unsafe)" || len(tpl.Edit.DocumentChanges) != 1 {
		t.Fatalf("second action = %+v", tpl)
	}
	tdc := tpl.Edit.DocumentChanges[0]
	if tdc.TextDocument.URI != c.URI("template.yaml") || tdc.TextDocument.Version != nil || tdc.Edits[0] != (protocol.TextEdit{Range: rng(5, 24, 5, 28), NewText: "false"}) {
		t.Errorf("template edit = %+v, want 5:24-5:28 → false with a null version", tdc)
	}
	// With the template open, its edit carries the buffer's version.
	tplDoc := c.Open("template.yaml", tplYAML)
	c.ChangeVersion(tplDoc, 7, lsptest.Edit(0, 0, 0, 0, "# テンプレート\n"))
	c.WaitVersion(tplDoc, 7)
	p = c.WaitPublish(doc, 0, func(p lsptest.Publish) bool {
		ds := byCode(p.Diagnostics, "GW101")
		return len(ds) == 1 && ds[0].RelatedInformation[0].Location.Range.Start.Line == 6
	})
	d = byCode(p.Diagnostics, "GW101")[0]
	actions = withoutIgnores(codeActions(t, c, doc, d.Range, []protocol.Diagnostic{d}))
	if len(actions) != 2 {
		t.Fatalf("actions = %+v", actions)
	}
	tdc = actions[1].Edit.DocumentChanges[0]
	if tdc.TextDocument.Version == nil || *tdc.TextDocument.Version != 7 || tdc.Edits[0].Range != rng(6, 24, 6, 28) {
		t.Errorf("template edit = %+v, want version 7 at 6:24-6:28", tdc)
	}
	// Applying the preferred fix clears the diagnostic.
	v := c.Change(doc, lsptest.Change{Range: &dc[0].Edits[0].Range, Text: dc[0].Edits[0].NewText})
	if p := c.WaitVersion(doc, v); len(byCode(p.Diagnostics, "GW101")) != 0 {
		t.Errorf("after the fix: %+v", p.Diagnostics)
	}
}

// TestQuickFixFromData asks at a position outside the diagnostic, as
// Neovim does (cursor at the start of the line), with the diagnostic sent
// back: the data finds it.
func TestQuickFixFromData(t *testing.T) {
	c, _ := start(t, baseFiles())
	c.Initialize(lsptest.InitOptions{})
	doc := c.Open("api.http", apiHTTP)
	d := byCode(c.WaitVersion(doc, 1).Diagnostics, "GW101")[0]
	if got := codeActions(t, c, doc, rng(1, 0, 1, 0), nil); len(got) != 0 {
		t.Errorf("at 1:0 without diagnostics: %+v, want none", got)
	}
	// Neovim 0.7 sends back byte columns: the range differs, the data not.
	d.Range = rng(1, 4, 1, 86)
	got := withoutIgnores(codeActions(t, c, doc, rng(1, 0, 1, 0), []protocol.Diagnostic{d}))
	if len(got) != 2 || got[0].Title != "Add x-api-key header" {
		t.Errorf("with the diagnostic's data: %+v, want its 2 fixes", got)
	}
}

func TestQuickFixWithChanges(t *testing.T) {
	c, _ := start(t, baseFiles())
	c.Initialize(lsptest.InitOptions{Capabilities: map[string]any{}})
	doc := c.Open("api.http", apiHTTP)
	d := byCode(c.WaitVersion(doc, 1).Diagnostics, "GW502")[0]
	actions := withoutIgnores(codeActions(t, c, doc, d.Range, []protocol.Diagnostic{d}))
	if len(actions) != 1 || actions[0].Edit.DocumentChanges != nil {
		t.Fatalf("actions = %+v, want one with changes", actions)
	}
	edits := actions[0].Edit.Changes[doc]
	if want := (protocol.TextEdit{Range: rng(6, 11, 6, 18), NewText: "{{apiKey}}"}); len(edits) != 1 || edits[0] != want {
		t.Errorf("changes = %+v, want %+v", actions[0].Edit.Changes, want)
	}
}

func TestStaleDiagnosticGetsNoEdits(t *testing.T) {
	c, _ := start(t, baseFiles())
	c.Initialize(lsptest.InitOptions{})
	doc := c.Open("api.http", apiHTTP)
	old := byCode(c.WaitVersion(doc, 1).Diagnostics, "GW101")[0]
	v := c.Change(doc, lsptest.Edit(0, 0, 0, 0, "# 追加\r\n"))
	c.WaitVersion(doc, v)
	// The old diagnostic's range now covers the title, its data an old check.
	if got := codeActions(t, c, doc, old.Range, []protocol.Diagnostic{old}); len(got) != 0 {
		t.Errorf("actions for a stale diagnostic = %+v, want none", got)
	}
}

// TestCodeActionBeforeCheck asks for fixes right after an edit, before the
// debounced check ran: the server checks the current text at once.
func TestCodeActionBeforeCheck(t *testing.T) {
	f := newFakeFactory()
	c := lsptest.Start(t, lsptest.Config{Files: baseFiles(), Options: lsp.Options{NewWorkspace: f.new, Debounce: time.Hour}})
	c.Initialize(lsptest.InitOptions{})
	doc := c.Open("api.http", apiHTTP) // opening is checked at once
	c.WaitVersion(doc, 1)
	v := c.Change(doc, lsptest.Edit(0, 0, 0, 0, "# 追加\r\n"))
	actions := withoutIgnores(codeActions(t, c, doc, rng(2, 10, 2, 10), nil))
	if len(actions) != 2 || actions[0].Edit.DocumentChanges[0].Edits[0].Range != rng(4, 0, 4, 0) {
		t.Fatalf("actions = %+v, want the fixes of version %d (insert at 4:0)", actions, v)
	}
	if *actions[0].Edit.DocumentChanges[0].TextDocument.Version != v {
		t.Errorf("version = %d, want %d", *actions[0].Edit.DocumentChanges[0].TextDocument.Version, v)
	}
	// The check it ran is published too.
	c.WaitVersion(doc, v)
}

func TestFixAll(t *testing.T) {
	c, _ := start(t, baseFiles())
	c.Initialize(lsptest.InitOptions{})
	doc := c.Open("api.http", apiHTTP)
	c.WaitVersion(doc, 1)
	for _, only := range [][]string{{"quickfix"}, {"refactor"}} {
		for _, a := range codeActions(t, c, doc, rng(0, 0, 0, 0), nil, only...) {
			if a.Kind == string(lsp.FixAllKind) {
				t.Errorf("only %v: got %s", only, a.Kind)
			}
		}
	}
	for _, only := range []string{"source", "source.fixAll", "source.fixAll.gw403"} {
		actions := codeActions(t, c, doc, rng(0, 0, 0, 0), nil, only)
		if len(actions) != 1 || actions[0].Kind != "source.fixAll.gw403" {
			t.Fatalf("only %s: %+v, want one source.fixAll.gw403", only, actions)
		}
		a := actions[0]
		if a.Title != "Fix all gw403 problems" || len(a.Edit.DocumentChanges) != 1 {
			t.Fatalf("fix all = %+v, want edits of api.http only (the template fix is unsafe)", a)
		}
		edits := a.Edit.DocumentChanges[0].Edits
		want := []protocol.TextEdit{
			{Range: rng(3, 0, 3, 0), NewText: "x-api-key: {{apiKey}}\r\n"},
			{Range: rng(6, 11, 6, 18), NewText: "{{apiKey}}"},
		}
		if mustJSON(t, edits) != mustJSON(t, want) {
			t.Errorf("only %s: edits = %+v, want %+v", only, edits, want)
		}
	}
	a := codeActions(t, c, doc, rng(0, 0, 0, 0), nil, "source.fixAll")[0]
	fixed := applyEdits(t, apiHTTP, a.Edit.DocumentChanges[0].Edits)
	if !strings.Contains(fixed, "\r\nx-api-key: {{apiKey}}\r\n\r\n") || !strings.Contains(fixed, "x-api-key: {{apiKey}}\r\n") {
		t.Errorf("fixed text = %q", fixed)
	}
	v := c.Change(doc, lsptest.Full(fixed))
	if p := c.WaitVersion(doc, v); len(p.Diagnostics) != 0 {
		t.Errorf("after fix all: %+v, want none", p.Diagnostics)
	}
	if got := codeActions(t, c, doc, rng(0, 0, 0, 0), nil, "source.fixAll"); len(got) != 0 {
		t.Errorf("fix all with nothing to fix: %+v, want none", got)
	}
}

// TestCodeActionDuringRecheck asks for fixes while a saved template makes
// the request's own check stale before it finishes (as switching the
// environment does, when it writes .vscode/settings.json): the text has
// not changed, so the answer still holds the fixes, from the newer check.
func TestCodeActionDuringRecheck(t *testing.T) {
	f := newFakeFactory()
	c := lsptest.Start(t, lsptest.Config{Files: baseFiles(), Options: lsp.Options{NewWorkspace: f.new, Debounce: time.Hour}})
	c.Initialize(lsptest.InitOptions{})
	doc := c.Open("api.http", apiHTTP)
	d := byCode(c.WaitVersion(doc, 1).Diagnostics, "GW101")[0]
	templateSaved := func() {
		c.Notify(protocol.MethodWorkspaceDidChangeWatchedFiles, map[string]any{
			"changes": []map[string]any{{"uri": c.URI("template.yaml"), "type": 2}},
		})
	}
	templateSaved() // the next check is an hour away: the request runs one

	gate := make(chan struct{})
	f.gate.Store(&gate)
	got := make(chan []codeAction, 1)
	go func() {
		var actions []codeAction
		if err := c.Call(protocol.MethodTextDocumentCodeAction, map[string]any{
			"textDocument": map[string]any{"uri": doc}, "range": d.Range,
			"context": map[string]any{"diagnostics": []protocol.Diagnostic{d}},
		}, &actions); err != nil {
			t.Errorf("codeAction: %v", err)
		}
		got <- actions
	}()
	<-f.started
	templateSaved()
	var links []protocol.DocumentLink // a request answered after the notification was handled
	if err := c.Call(protocol.MethodTextDocumentDocumentLink, map[string]any{"textDocument": map[string]any{"uri": doc}}, &links); err != nil {
		t.Fatal(err)
	}
	f.gate.Store(nil)
	close(gate)

	actions := withoutIgnores(<-got)
	if len(actions) != 2 || !strings.Contains(actions[0].Title, "x-api-key") {
		t.Fatalf("actions = %+v, want the 2 fixes of GW101", actions)
	}
	if v := actions[0].Edit.DocumentChanges[0].TextDocument.Version; v == nil || *v != 1 {
		t.Errorf("edit version = %v, want 1", v)
	}
}

// TestIgnoreQuickFix: every finding offers "Ignore CODE for this request"
// and "… in this file" after its fixes, never preferred; applying either
// silences that finding alone. source.fixAll never applies them.
func TestIgnoreQuickFix(t *testing.T) {
	c := lsptest.Start(t, lsptest.Config{From: "../analyzer/rules/testdata/GW101/fail-openapi-security"})
	c.Initialize(lsptest.InitOptions{})
	text := strings.ReplaceAll(c.ReadFile("catalog.http"), "\n", "\r\n") + "\r\n###\r\nGET {{base}}/products\r\nx-api-key: Zk3uT9qLm2Xr7Vb4Np8Wc1Hs6Jd0Fg5Ay\r\n"
	doc := c.Open("catalog.http", text)
	first := c.WaitVersion(doc, 1).Diagnostics
	if len(byCode(first, "GW502")) != 1 {
		t.Fatalf("diagnostics = %+v, want a GW502 besides the GW101", first)
	}
	d := byCode(first, "GW101")[0]
	actions := codeActions(t, c, doc, d.Range, []protocol.Diagnostic{d})
	n := len(actions)
	if n < 3 || actions[n-2].Title != "Ignore GW101 for this request" || actions[n-1].Title != "Ignore GW101 in this file" {
		t.Fatalf("actions = %+v, want a fix, then the two ignore actions", actions)
	}
	for _, a := range actions[n-2:] {
		if a.IsPreferred || a.Kind != "quickfix" {
			t.Errorf("%s: preferred %v, kind %s", a.Title, a.IsPreferred, a.Kind)
		}
		fixed := applyEdits(t, text, a.Edit.DocumentChanges[0].Edits)
		if !strings.Contains(fixed, " GW101 <reason>\r\n") {
			t.Errorf("%s: %q, want the comment with a CRLF", a.Title, fixed)
		}
		v := c.Change(doc, lsptest.Full(fixed))
		p := c.WaitVersion(doc, v)
		if len(byCode(p.Diagnostics, "GW101")) != 0 || len(byCode(p.Diagnostics, "GW502")) != len(byCode(first, "GW502")) {
			t.Errorf("%s: after applying: %+v, want GW101 gone and GW502 kept", a.Title, p.Diagnostics)
		}
		v = c.Change(doc, lsptest.Full(text))
		c.WaitVersion(doc, v)
	}
	all := codeActions(t, c, doc, rng(0, 0, 0, 0), nil, "source.fixAll")
	if len(all) != 1 || strings.Contains(mustJSON(t, all[0].Edit), "gw403-ignore") {
		t.Errorf("fixAll = %+v, want no ignore comment", all)
	}
}

// TestQuickFixSharedVariable: the file, five requests using
// {{host}}/v1/items and one {{host}}/items. The editor's preferred quick
// fix edits only that request's line; the edit of @host is offered,
// titled unsafe with the five requests it would change, and fixAll leaves
// @host alone.
func TestQuickFixSharedVariable(t *testing.T) {
	tmpl := "AWSTemplateFormatVersion: \"2010-09-09\"\nTransform: AWS::Serverless-2016-10-31\nResources:\n  ItemsApi:\n    Type: AWS::Serverless::Api\n    Properties:\n      StageName: v1\n      OpenApiVersion: \"3.0.1\"\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n      Runtime: nodejs20.x\n      Handler: index.handler\n      CodeUri: src/\n      Events:\n        List:\n          Type: Api\n          Properties:\n            RestApiId: !Ref ItemsApi\n            Path: /items\n            Method: get\n"
	text := "@host = https://abc123defg.execute-api.us-east-1.amazonaws.com\n\n" +
		strings.Repeat("###\nGET {{host}}/v1/items\n\n", 5) + "### 壊れた\nGET {{host}}/items\n"
	c := lsptest.Start(t, lsptest.Config{Files: map[string]string{"template.yaml": tmpl}})
	c.Initialize(lsptest.InitOptions{})
	doc := c.Open("items.http", text)
	p := c.WaitVersion(doc, 1)
	ds := byCode(p.Diagnostics, "GW131")
	if len(ds) != 1 || len(p.Diagnostics) != 1 {
		t.Fatalf("diagnostics = %+v, want one GW131", p.Diagnostics)
	}
	actions := withoutIgnores(codeActions(t, c, doc, ds[0].Range, ds))
	if len(actions) != 2 {
		t.Fatalf("actions = %+v", actions)
	}
	own, shared := actions[0], actions[1]
	if !own.IsPreferred || own.Title != "Insert stage v1 in this request" {
		t.Errorf("first action = %q (preferred %v)", own.Title, own.IsPreferred)
	}
	if shared.IsPreferred || shared.Title != "Insert stage v1 (unsafe: also changes 5 other requests)" {
		t.Errorf("second action = %q (preferred %v)", shared.Title, shared.IsPreferred)
	}
	fixed := applyEdits(t, text, own.Edit.DocumentChanges[0].Edits)
	if want := strings.Replace(text, "GET {{host}}/items", "GET {{host}}/v1/items", 1); fixed != want {
		t.Errorf("own fix:\n%s", fixed)
	}
	all := codeActions(t, c, doc, rng(0, 0, 0, 0), nil, "source.fixAll")
	if len(all) != 1 || applyEdits(t, text, all[0].Edit.DocumentChanges[0].Edits) != fixed {
		t.Errorf("fixAll = %+v, want the own fix", all)
	}
}
