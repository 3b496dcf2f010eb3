package lsp_test

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"

	"github.com/gw403/gw403-lsp/lsp"
	"github.com/gw403/gw403-lsp/lsp/lsptest"
)

func TestInitializeCapabilities(t *testing.T) {
	c, _ := start(t, baseFiles())
	res := c.Initialize(lsptest.InitOptions{})
	var caps struct {
		PositionEncoding string `json:"positionEncoding"`
		TextDocumentSync struct {
			OpenClose bool `json:"openClose"`
			Change    int  `json:"change"`
			Save      any  `json:"save"`
		} `json:"textDocumentSync"`
		HoverProvider      bool `json:"hoverProvider"`
		CompletionProvider struct {
			TriggerCharacters []string `json:"triggerCharacters"`
		} `json:"completionProvider"`
		CodeActionProvider struct {
			CodeActionKinds []string `json:"codeActionKinds"`
		} `json:"codeActionProvider"`
		DocumentLinkProvider   any `json:"documentLinkProvider"`
		ExecuteCommandProvider struct {
			Commands []string `json:"commands"`
		} `json:"executeCommandProvider"`
		Workspace struct {
			WorkspaceFolders struct {
				Supported           bool `json:"supported"`
				ChangeNotifications bool `json:"changeNotifications"`
			} `json:"workspaceFolders"`
		} `json:"workspace"`
		DefinitionProvider any `json:"definitionProvider"`
	}
	var raw struct {
		Capabilities json.RawMessage `json:"capabilities"`
	}
	if err := json.Unmarshal(res.Raw, &raw); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(raw.Capabilities, &caps); err != nil {
		t.Fatal(err)
	}
	if caps.PositionEncoding != "utf-16" {
		t.Errorf("positionEncoding = %q, want utf-16", caps.PositionEncoding)
	}
	if !caps.TextDocumentSync.OpenClose || caps.TextDocumentSync.Change != 2 || caps.TextDocumentSync.Save == nil {
		t.Errorf("textDocumentSync = %+v, want openClose, incremental change, save", caps.TextDocumentSync)
	}
	if !caps.HoverProvider || caps.DocumentLinkProvider == nil {
		t.Errorf("hover = %v, documentLink = %v, want both", caps.HoverProvider, caps.DocumentLinkProvider)
	}
	if got, want := caps.CodeActionProvider.CodeActionKinds, []string{"quickfix", "source.fixAll.gw403"}; !reflect.DeepEqual(got, want) {
		t.Errorf("codeActionKinds = %v, want %v", got, want)
	}
	if got, want := caps.ExecuteCommandProvider.Commands, []string{lsp.CommandListEnvironments, lsp.CommandSetEnvironment, lsp.CommandLinkCounts}; !reflect.DeepEqual(got, want) {
		t.Errorf("commands = %v, want %v", got, want)
	}
	if len(caps.CompletionProvider.TriggerCharacters) == 0 {
		t.Errorf("no completion trigger characters")
	}
	if !caps.Workspace.WorkspaceFolders.Supported || !caps.Workspace.WorkspaceFolders.ChangeNotifications {
		t.Errorf("workspaceFolders = %+v, want supported with notifications", caps.Workspace.WorkspaceFolders)
	}
	if caps.DefinitionProvider != true {
		t.Errorf("definitionProvider = %v, want true", caps.DefinitionProvider)
	}
	if res.ServerInfo == nil || res.ServerInfo.Name != "gw403-lsp" {
		t.Errorf("serverInfo = %+v", res.ServerInfo)
	}
}

func TestPositionEncodingNegotiation(t *testing.T) {
	tests := []struct {
		offered []string
		want    string
	}{
		{nil, "utf-16"},
		{[]string{"utf-16"}, "utf-16"},
		{[]string{"utf-32", "utf-16"}, "utf-16"},
		{[]string{"utf-8"}, "utf-8"},
		{[]string{"utf-16", "utf-8"}, "utf-8"},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.offered, "+"), func(t *testing.T) {
			c, _ := start(t, nil)
			res := c.Initialize(lsptest.InitOptions{PositionEncodings: tt.offered})
			if got := res.Capabilities.PositionEncoding; got != tt.want {
				t.Errorf("positionEncoding offered %v = %q, want %q", tt.offered, got, tt.want)
			}
		})
	}
}

func TestLifecycle(t *testing.T) {
	c, _ := start(t, baseFiles())
	// Before initialize: requests fail, notifications are dropped.
	err := c.Call(protocol.MethodTextDocumentHover, map[string]any{}, nil)
	if got := lsptest.ErrorCode(err); got != jsonrpc2.ServerNotInitialized {
		t.Errorf("hover before initialize: code %d (%v), want %d", got, err, jsonrpc2.ServerNotInitialized)
	}
	c.Initialize(lsptest.InitOptions{})
	if err := c.Call(protocol.MethodInitialize, map[string]any{"capabilities": map[string]any{}}, nil); lsptest.ErrorCode(err) != jsonrpc2.InvalidRequest {
		t.Errorf("second initialize: %v, want InvalidRequest", err)
	}
	doc := c.Open("api.http", apiHTTP)
	c.WaitVersion(doc, 1)
	c.Shutdown()
	err = c.Call(protocol.MethodTextDocumentHover, map[string]any{"textDocument": map[string]any{"uri": doc}, "position": pos(1, 0)}, nil)
	if got := lsptest.ErrorCode(err); got != jsonrpc2.InvalidRequest {
		t.Errorf("hover after shutdown: code %d (%v), want %d", got, err, jsonrpc2.InvalidRequest)
	}
	if code := c.Exit(); code != 0 {
		t.Errorf("exit after shutdown = %d, want 0", code)
	}
}

func TestExitWithoutShutdown(t *testing.T) {
	c, _ := start(t, nil)
	c.Initialize(lsptest.InitOptions{})
	if code := c.Exit(); code != 1 {
		t.Errorf("exit without shutdown = %d, want 1", code)
	}
}

func TestExitBeforeInitialize(t *testing.T) {
	c, _ := start(t, nil)
	if code := c.Exit(); code != 1 {
		t.Errorf("exit before initialize = %d, want 1", code)
	}
}

func TestStreamClosedWithoutExit(t *testing.T) {
	c, _ := start(t, nil)
	c.Initialize(lsptest.InitOptions{})
	c.Conn.Close()
	if code := c.WaitExit(); code != 1 {
		t.Errorf("exit code when the client disappears = %d, want 1", code)
	}
}

func TestUnknownMethodsAndInvalidParams(t *testing.T) {
	c, _ := start(t, baseFiles())
	c.Initialize(lsptest.InitOptions{})
	tests := []struct {
		method string
		params any
		want   jsonrpc2.Code
	}{
		{"textDocument/typeDefinition", map[string]any{}, jsonrpc2.MethodNotFound},
		{protocol.MethodTextDocumentDefinition, "not an object", jsonrpc2.InvalidParams},
		{"textDocument/inlayHint", nil, jsonrpc2.InvalidParams},
		{"gw403/nonsense", nil, jsonrpc2.MethodNotFound},
		{"$/unknownRequest", map[string]any{}, jsonrpc2.MethodNotFound},
		{protocol.MethodTextDocumentHover, "not an object", jsonrpc2.InvalidParams},
		{protocol.MethodTextDocumentHover, nil, jsonrpc2.InvalidParams},
		{protocol.MethodTextDocumentCodeAction, map[string]any{"range": "nope"}, jsonrpc2.InvalidParams},
		{protocol.MethodTextDocumentCompletion, map[string]any{"position": map[string]any{"line": -1}}, jsonrpc2.InvalidParams},
		{protocol.MethodWorkspaceExecuteCommand, map[string]any{"command": "gw403.nonsense"}, jsonrpc2.InvalidParams},
	}
	for _, tt := range tests {
		err := c.Call(tt.method, tt.params, nil)
		if got := lsptest.ErrorCode(err); got != tt.want {
			t.Errorf("%s(%v): code %d (%v), want %d", tt.method, tt.params, got, err, tt.want)
		}
	}
	// Unknown and malformed notifications are dropped; the server goes on.
	c.Notify("$/unknownNotification", map[string]any{"x": 1})
	c.Notify(protocol.MethodTextDocumentDidOpen, "garbage")
	c.Notify(protocol.MethodTextDocumentDidChange, map[string]any{"textDocument": 5})
	doc := c.Open("api.http", apiHTTP)
	if p := c.WaitVersion(doc, 1); len(p.Diagnostics) == 0 {
		t.Errorf("no diagnostics after malformed notifications")
	}
	// A document that is not open has no hover, links or actions.
	other := c.URI("other.http")
	for _, m := range []string{protocol.MethodTextDocumentHover, protocol.MethodTextDocumentCompletion} {
		var res any
		if err := c.Call(m, map[string]any{"textDocument": map[string]any{"uri": other}, "position": pos(0, 0)}, &res); err != nil || res != nil {
			t.Errorf("%s on a closed document = %v, %v; want null", m, res, err)
		}
	}
}

func TestStreamClosedAfterShutdown(t *testing.T) {
	c, _ := start(t, nil)
	c.Initialize(lsptest.InitOptions{})
	c.Shutdown()
	c.Conn.Close()
	if code := c.WaitExit(); code != 0 {
		t.Errorf("exit code when the client leaves after shutdown = %d, want 0", code)
	}
}

func TestDefaultLocale(t *testing.T) {
	f := newFakeFactory()
	c := lsptest.Start(t, lsptest.Config{Files: baseFiles(), Options: lsp.Options{NewWorkspace: f.new, Debounce: -1, Locale: "ja_JP"}})
	c.Initialize(lsptest.InitOptions{})
	doc := c.Open("api.http", apiHTTP)
	if d := byCode(c.WaitVersion(doc, 1).Diagnostics, "GW502")[0]; d.Message != "x-api-key ヘッダーに API キーが直接書かれています" {
		t.Errorf("message = %q, want Japanese (the server's default locale)", d.Message)
	}
	c2, _ := start(t, baseFiles())
	c2.Initialize(lsptest.InitOptions{Locale: "en"})
	doc = c2.Open("api.http", apiHTTP)
	if d := byCode(c2.WaitVersion(doc, 1).Diagnostics, "GW502")[0]; d.Message != "the x-api-key header holds a literal key" {
		t.Errorf("message = %q, want English (the client's locale)", d.Message)
	}
}
