package lsp_test

import (
	"encoding/json"
	"strings"
	"testing"

	"go.lsp.dev/protocol"

	"github.com/gw403/gw403-lsp/lsp"
	"github.com/gw403/gw403-lsp/lsp/lsptest"
)

const navTemplate = `AWSTemplateFormatVersion: "2010-09-09"
Transform: AWS::Serverless-2016-10-31
Resources:
  OrdersApi:
    Type: AWS::Serverless::Api
    Properties:
      StageName: prod
      Auth:
        ApiKeyRequired: true
  ListOrders:
    Type: AWS::Serverless::Function
    Properties:
      Handler: index.handler
      Runtime: nodejs20.x
      InlineCode: "x"
      Events:
        List:
          Type: Api
          Properties:
            RestApiId: !Ref OrdersApi
            Path: /orders
            Method: get
  GetOrder:
    Type: AWS::Serverless::Function
    Properties:
      Handler: index.handler
      Runtime: nodejs20.x
      InlineCode: "x"
      Events:
        Get:
          Type: Api
          Properties:
            RestApiId: !Ref OrdersApi
            Path: /orders/{id}
            Method: get
`

// navRequests uses CRLF and Japanese text: positions are UTF-16 at the edge.
const navRequests = "### 注文\r\n" +
	"GET {{host}}/prod/orders/ord-1?note=日本語\r\n" +
	"x-api-key: k\r\n" +
	"\r\n" +
	"### もう 1 件\r\n" +
	"GET {{host}}/prod/orders/ord-2\r\n" +
	"x-api-key: k\r\n" +
	"\r\n" +
	"### ローカル\r\n" +
	"GET http://localhost:3000/orders\r\n"

func startNav(t *testing.T) (*lsptest.Client, protocol.DocumentURI) {
	t.Helper()
	c := lsptest.Start(t, lsptest.Config{Files: map[string]string{
		"svc/template.yaml":                 navTemplate,
		"svc/requests/orders.http":          navRequests,
		"svc/requests/http-client.env.json": `{"prod": {"host": "https://a1b2c3d4e5.execute-api.us-east-1.amazonaws.com"}}`,
	}})
	res := c.Initialize(lsptest.InitOptions{})
	var caps map[string]any
	if err := json.Unmarshal(res.Raw, &struct {
		Capabilities *map[string]any `json:"capabilities"`
	}{&caps}); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"definitionProvider", "referencesProvider", "codeLensProvider", "inlayHintProvider"} {
		if caps[k] == nil || caps[k] == false {
			t.Errorf("capability %s not advertised: %v", k, caps[k])
		}
	}
	doc := c.Open("svc/requests/orders.http", navRequests)
	c.WaitVersion(doc, 1)
	return c, doc
}

// lineOf returns the 0-based line of the first line of text starting with prefix.
func lineOf(t *testing.T, text, prefix string) uint32 {
	t.Helper()
	for i, l := range strings.Split(text, "\n") {
		if strings.HasPrefix(l, prefix) {
			return uint32(i)
		}
	}
	t.Fatalf("no line starting with %q", prefix)
	return 0
}

func TestDefinitionRequestToRoute(t *testing.T) {
	c, doc := startNav(t)
	var locs []protocol.Location
	line := lineOf(t, navRequests, "GET {{host}}/prod/orders/ord-2")
	if err := c.Call(protocol.MethodTextDocumentDefinition, map[string]any{
		"textDocument": map[string]any{"uri": doc}, "position": pos(line, 22),
	}, &locs); err != nil {
		t.Fatal(err)
	}
	pathLine := lineOf(t, navTemplate, "            Path: /orders/{id}")
	want := protocol.Location{URI: c.URI("svc/template.yaml"), Range: rng(pathLine, 18, pathLine, 30)}
	if len(locs) != 1 || locs[0] != want {
		t.Errorf("definition = %+v, want %+v", locs, want)
	}
	// The localhost request calls nothing here.
	locs = nil
	line = lineOf(t, navRequests, "GET http://localhost")
	if err := c.Call(protocol.MethodTextDocumentDefinition, map[string]any{
		"textDocument": map[string]any{"uri": doc}, "position": pos(line, 10),
	}, &locs); err != nil {
		t.Fatal(err)
	}
	if len(locs) != 0 {
		t.Errorf("definition on localhost = %+v, want none", locs)
	}
}

func TestReferencesRouteToRequests(t *testing.T) {
	c, _ := startNav(t)
	tpl := c.Open("svc/template.yaml", navTemplate)
	c.WaitVersion(tpl, 1)
	pathLine := lineOf(t, navTemplate, "            Path: /orders/{id}")
	var locs []protocol.Location
	if err := c.Call(protocol.MethodTextDocumentReferences, map[string]any{
		"textDocument": map[string]any{"uri": tpl}, "position": pos(pathLine, 22),
		"context": map[string]any{"includeDeclaration": false},
	}, &locs); err != nil {
		t.Fatal(err)
	}
	l1, l2 := lineOf(t, navRequests, "GET {{host}}/prod/orders/ord-1"), lineOf(t, navRequests, "GET {{host}}/prod/orders/ord-2")
	// "GET " is 4 units; 日本語 counts 3 UTF-16 units.
	want := []protocol.Location{
		{URI: c.URI("svc/requests/orders.http"), Range: rng(l1, 4, l1, uint32(4+len("{{host}}/prod/orders/ord-1?note=")+3))},
		{URI: c.URI("svc/requests/orders.http"), Range: rng(l2, 4, l2, uint32(4+len("{{host}}/prod/orders/ord-2")))},
	}
	if len(locs) != 2 || locs[0] != want[0] || locs[1] != want[1] {
		t.Errorf("references = %+v, want %+v", locs, want)
	}
}

func TestCodeLensRequestCounts(t *testing.T) {
	c, _ := startNav(t)
	tpl := c.Open("svc/template.yaml", navTemplate)
	c.WaitVersion(tpl, 1)
	var lenses []protocol.CodeLens
	if err := c.Call(protocol.MethodTextDocumentCodeLens, map[string]any{"textDocument": map[string]any{"uri": tpl}}, &lenses); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, l := range lenses {
		if l.Command == nil || l.Command.Command != lsp.CommandShowReferences || len(l.Command.Arguments) != 3 {
			t.Fatalf("lens %+v lacks the %s command", l, lsp.CommandShowReferences)
		}
		got = append(got, l.Command.Title)
	}
	if strings.Join(got, ",") != "no requests,2 requests" {
		t.Errorf("code lens titles = %v, want no requests (GET /orders), 2 requests (GET /orders/{id})", got)
	}
	if len(lenses) == 2 && lenses[1].Range.Start.Line != lineOf(t, navTemplate, "            Path: /orders/{id}") {
		t.Errorf("second lens at %v, want on the /orders/{id} event", lenses[1].Range)
	}
	// The command carries the locations; sent to the server it answers them.
	var locs []protocol.Location
	if err := c.Call(protocol.MethodWorkspaceExecuteCommand, map[string]any{
		"command": lsp.CommandShowReferences, "arguments": lenses[1].Command.Arguments,
	}, &locs); err != nil {
		t.Fatal(err)
	}
	if len(locs) != 2 {
		t.Errorf("%s answered %+v, want 2 locations", lsp.CommandShowReferences, locs)
	}
	// A request file has no lenses.
	lenses = nil
	if err := c.Call(protocol.MethodTextDocumentCodeLens, map[string]any{"textDocument": map[string]any{"uri": c.URI("svc/requests/orders.http")}}, &lenses); err != nil {
		t.Fatal(err)
	}
	if len(lenses) != 0 {
		t.Errorf("lenses on a request file: %+v", lenses)
	}
}

func TestInlayHintsOnRequestLines(t *testing.T) {
	c, doc := startNav(t)
	var hints []lsp.InlayHint
	if err := c.Call("textDocument/inlayHint", map[string]any{
		"textDocument": map[string]any{"uri": doc}, "range": rng(0, 0, 20, 0),
	}, &hints); err != nil {
		t.Fatal(err)
	}
	l1 := lineOf(t, navRequests, "GET {{host}}/prod/orders/ord-1")
	want := []lsp.InlayHint{
		{Position: pos(l1, uint32(len("GET {{host}}/prod/orders/ord-1?note=")+3)), Label: "→ OrdersApi · prod · GET /orders/{id} · API key", Tooltip: "gw403: environment prod", PaddingLeft: true},
		{Position: pos(lineOf(t, navRequests, "GET {{host}}/prod/orders/ord-2"), uint32(len("GET {{host}}/prod/orders/ord-2"))), Label: "→ OrdersApi · prod · GET /orders/{id} · API key", Tooltip: "gw403: environment prod", PaddingLeft: true},
		{Position: pos(lineOf(t, navRequests, "GET http://localhost"), uint32(len("GET http://localhost:3000/orders"))), Label: "→ not linked (localhost)", Tooltip: "gw403: environment prod", PaddingLeft: true},
	}
	if mustJSON(t, hints) != mustJSON(t, want) {
		t.Errorf("inlay hints:\n%s\nwant:\n%s", mustJSON(t, hints), mustJSON(t, want))
	}
	// Only the hints of the range asked for.
	hints = nil
	if err := c.Call("textDocument/inlayHint", map[string]any{
		"textDocument": map[string]any{"uri": doc}, "range": rng(4, 0, 6, 0),
	}, &hints); err != nil {
		t.Fatal(err)
	}
	if len(hints) != 1 || hints[0].Position.Line != lineOf(t, navRequests, "GET {{host}}/prod/orders/ord-2") {
		t.Errorf("hints in lines 4-6: %+v, want the second request's", hints)
	}
}

// TestCodeLensRefresh: a client that supports the refresh requests is
// asked to fetch code lenses and inlay hints again after a request file
// changes (the counts above the template's routes move); one that does not
// is never asked.
func TestCodeLensRefresh(t *testing.T) {
	files := map[string]string{
		"svc/template.yaml":                 navTemplate,
		"svc/requests/orders.http":          navRequests,
		"svc/requests/http-client.env.json": `{"prod": {"host": "https://a1b2c3d4e5.execute-api.us-east-1.amazonaws.com"}}`,
	}
	c := lsptest.Start(t, lsptest.Config{Files: files})
	caps := lsptest.DefaultCapabilities()
	ws := caps["workspace"].(map[string]any)
	ws["codeLens"] = map[string]any{"refreshSupport": true}
	ws["inlayHint"] = map[string]any{"refreshSupport": true}
	c.Initialize(lsptest.InitOptions{Capabilities: caps})
	doc := c.Open("svc/requests/orders.http", navRequests)
	c.WaitVersion(doc, 1)
	n := c.WaitRefresh("workspace/codeLens/refresh", 0)
	c.WaitRefresh("workspace/inlayHint/refresh", 0)
	v := c.Change(doc, lsptest.Full(navRequests+"\r\nGET {{host}}/prod/orders\r\nx-api-key: k\r\n"))
	c.WaitVersion(doc, v)
	c.WaitRefresh("workspace/codeLens/refresh", n)

	plain, _ := startNav(t)
	if got := plain.Refreshes("workspace/codeLens/refresh"); got != 0 {
		t.Errorf("a client without refreshSupport got %d refresh requests", got)
	}
}

// TestHoverShort: the hover on a finding is short (message, predicted
// answer, a link to the rule's docs), not the rule's whole document.
func TestHoverShort(t *testing.T) {
	c, doc := startNav(t)
	v := c.Change(doc, lsptest.Full("GET {{host}}/prod/orders/ord-1\r\n"))
	p := c.WaitVersion(doc, v)
	if len(byCode(p.Diagnostics, "GW101")) != 1 {
		t.Fatalf("diagnostics = %s, want GW101", codes(p.Diagnostics))
	}
	var h protocol.Hover
	if err := c.Call(protocol.MethodTextDocumentHover, map[string]any{
		"textDocument": map[string]any{"uri": doc}, "position": pos(0, 10),
	}, &h); err != nil {
		t.Fatal(err)
	}
	md := h.Contents.Value
	for _, want := range []string{"GW101 missing-api-key", "x-api-key", "`403 ForbiddenException`", "[rule docs: GW101 missing-api-key](" + lsp.RuleDocURL("GW101") + ")"} {
		if !strings.Contains(md, want) {
			t.Errorf("hover lacks %q:\n%s", want, md)
		}
	}
	for _, long := range []string{"## What it does", "## Why is this a 403?", "```http"} {
		if strings.Contains(md, long) {
			t.Errorf("hover holds the rule document (%q):\n%s", long, md)
		}
	}
}

// TestEnvironmentURLsAndLinkCounts: the environment list carries each
// environment's base URL; gw403.linkCounts counts linked and unlinked
// requests (for a status bar item).
func TestEnvironmentURLsAndLinkCounts(t *testing.T) {
	c, doc := startNav(t)
	var envs struct {
		Environments []string          `json:"environments"`
		URLs         map[string]string `json:"urls"`
	}
	if err := c.Call(protocol.MethodWorkspaceExecuteCommand, map[string]any{
		"command": lsp.CommandListEnvironments, "arguments": []any{doc},
	}, &envs); err != nil {
		t.Fatal(err)
	}
	if envs.URLs["prod"] != "https://a1b2c3d4e5.execute-api.us-east-1.amazonaws.com/prod" {
		t.Errorf("listEnvironments = %+v, want the prod base URL", envs)
	}
	var counts struct{ Linked, Unlinked int }
	if err := c.Call(protocol.MethodWorkspaceExecuteCommand, map[string]any{
		"command": lsp.CommandLinkCounts, "arguments": []any{doc},
	}, &counts); err != nil {
		t.Fatal(err)
	}
	if counts.Linked != 2 || counts.Unlinked != 1 {
		t.Errorf("linkCounts = %+v, want 2 linked, 1 unlinked", counts)
	}
	err := c.Call(protocol.MethodWorkspaceExecuteCommand, map[string]any{"command": lsp.CommandLinkCounts}, nil)
	if lsptest.ErrorCode(err) != -32602 {
		t.Errorf("linkCounts without a URI: %v, want InvalidParams", err)
	}
}

// TestInlayHintsJapanese: a client that asks for Japanese gets the hints
// in Japanese.
func TestInlayHintsJapanese(t *testing.T) {
	c := lsptest.Start(t, lsptest.Config{Files: map[string]string{
		"svc/template.yaml":        navTemplate,
		"svc/requests/orders.http": navRequests,
	}})
	c.Initialize(lsptest.InitOptions{Locale: "ja"})
	doc := c.Open("svc/requests/orders.http", navRequests)
	c.WaitVersion(doc, 1)
	var hints []lsp.InlayHint
	if err := c.Call("textDocument/inlayHint", map[string]any{
		"textDocument": map[string]any{"uri": doc}, "range": rng(0, 0, 20, 0),
	}, &hints); err != nil {
		t.Fatal(err)
	}
	if len(hints) != 3 || hints[2].Label != "→ リンクなし（localhost）" {
		t.Errorf("hints = %+v, want the localhost one in Japanese", hints)
	}
}
