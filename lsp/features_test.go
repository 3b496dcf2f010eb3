package lsp_test

import (
	"fmt"
	"strings"
	"testing"

	"go.lsp.dev/protocol"

	"github.com/gw403/gw403-lsp/analyzer"
	"github.com/gw403/gw403-lsp/analyzer/workspace"
	"github.com/gw403/gw403-lsp/lsp"
	"github.com/gw403/gw403-lsp/lsp/lsptest"
)

func TestHover(t *testing.T) {
	c, _ := start(t, baseFiles())
	c.Initialize(lsptest.InitOptions{})
	doc := c.Open("api.http", apiHTTP)
	c.WaitVersion(doc, 1)
	var h protocol.Hover
	if err := c.Call(protocol.MethodTextDocumentHover, map[string]any{
		"textDocument": map[string]any{"uri": doc}, "position": pos(1, 77), // on 🎉
	}, &h); err != nil {
		t.Fatal(err)
	}
	if h.Contents.Kind != protocol.Markdown {
		t.Errorf("kind = %s, want markdown", h.Contents.Kind)
	}
	if want := "**OrdersApi** `GET https://abc123.execute-api.ap-northeast-1.amazonaws.com/prod/items?q=日本語🎉` (linked: the only API)"; h.Contents.Value != want {
		t.Errorf("hover = %q, want %q", h.Contents.Value, want)
	}
	if h.Range == nil || *h.Range != rng(1, 0, 1, 87) {
		t.Errorf("range = %v, want 1:0-1:87 (the request line in UTF-16)", h.Range)
	}
	// Off a request line and off a diagnostic: nothing.
	var none *protocol.Hover
	if err := c.Call(protocol.MethodTextDocumentHover, map[string]any{
		"textDocument": map[string]any{"uri": doc}, "position": pos(2, 3),
	}, &none); err != nil || none != nil {
		t.Errorf("hover on a header = %+v, %v; want null", none, err)
	}
}

func TestHoverJapanesePlaintext(t *testing.T) {
	c, _ := start(t, baseFiles())
	caps := lsptest.DefaultCapabilities()
	caps["textDocument"] = map[string]any{"hover": map[string]any{"contentFormat": []string{"plaintext"}}}
	c.Initialize(lsptest.InitOptions{Locale: "ja", Capabilities: caps})
	doc := c.Open("api.http", apiHTTP)
	c.WaitVersion(doc, 1)
	var h protocol.Hover
	if err := c.Call(protocol.MethodTextDocumentHover, map[string]any{
		"textDocument": map[string]any{"uri": doc}, "position": pos(5, 0),
	}, &h); err != nil {
		t.Fatal(err)
	}
	want := "**OrdersApi** `GET https://abc123.execute-api.ap-northeast-1.amazonaws.com/prod/items`（リンク: 唯一の API）"
	if h.Contents.Kind != protocol.PlainText || h.Contents.Value != want {
		t.Errorf("hover = %+v, want %q as plaintext", h.Contents, want)
	}
	if h.Range == nil || *h.Range != rng(5, 0, 5, 70) {
		t.Errorf("range = %v, want 5:0-5:70", h.Range)
	}
}

func TestCompletion(t *testing.T) {
	text := "GET https://abc123.execute-api.ap-northeast-1.amazonaws.com/prod/items\r\n日本語 x-ap"
	for _, snippets := range []bool{true, false} {
		t.Run(fmt.Sprintf("snippets=%v", snippets), func(t *testing.T) {
			c, _ := start(t, baseFiles())
			caps := lsptest.DefaultCapabilities()
			if !snippets {
				caps["textDocument"] = map[string]any{}
			}
			c.Initialize(lsptest.InitOptions{Capabilities: caps})
			doc := c.Open("new.http", text)
			c.WaitVersion(doc, 1)
			var list protocol.CompletionList
			if err := c.Call(protocol.MethodTextDocumentCompletion, map[string]any{
				"textDocument": map[string]any{"uri": doc}, "position": pos(1, 8),
			}, &list); err != nil {
				t.Fatal(err)
			}
			byLabel := map[string]protocol.CompletionItem{}
			for _, it := range list.Items {
				byLabel[it.Label] = it
			}
			key, ok := byLabel["x-api-key"]
			if !ok || key.Kind != protocol.CompletionItemKindField || key.TextEdit == nil {
				t.Fatalf("items = %+v, want x-api-key", list.Items)
			}
			if want := (protocol.TextEdit{Range: rng(1, 4, 1, 8), NewText: "x-api-key: "}); *key.TextEdit != want {
				t.Errorf("x-api-key edit = %+v, want %+v (replacing x-ap after 日本語)", *key.TextEdit, want)
			}
			if key.Detail != "API key header" {
				t.Errorf("detail = %q", key.Detail)
			}
			sn, ok := byLabel["Authorization: AWS"]
			if ok != snippets {
				t.Errorf("snippet item present = %v, want %v", ok, snippets)
			}
			if ok && sn.InsertTextFormat != protocol.InsertTextFormatSnippet {
				t.Errorf("snippet format = %v", sn.InsertTextFormat)
			}
			if v := byLabel["apiKey"]; v.Kind != protocol.CompletionItemKindVariable || v.TextEdit.Range != rng(1, 8, 1, 8) || v.TextEdit.NewText != "apiKey" {
				t.Errorf("variable item = %+v, want an insertion of apiKey at the cursor", v)
			}
		})
	}
}

func TestDocumentLinks(t *testing.T) {
	c, _ := start(t, baseFiles())
	c.Initialize(lsptest.InitOptions{})
	doc := c.Open("api.http", apiHTTP)
	c.WaitVersion(doc, 1)
	var links []protocol.DocumentLink
	if err := c.Call(protocol.MethodTextDocumentDocumentLink, map[string]any{"textDocument": map[string]any{"uri": doc}}, &links); err != nil {
		t.Fatal(err)
	}
	if len(links) != 2 {
		t.Fatalf("links = %+v, want 2", links)
	}
	want := string(c.URI("template.yaml")) + "#L11,11"
	if links[0].Range != rng(1, 4, 1, 78) || string(links[0].Target) != want || links[0].Tooltip != "OrdersApi GET /items" {
		t.Errorf("link = %+v, want 1:4-1:78 → %s", links[0], want)
	}
}

func TestEnvironmentCommands(t *testing.T) {
	c, f := start(t, baseFiles())
	c.Initialize(lsptest.InitOptions{Capabilities: map[string]any{}, InitializationOptions: map[string]any{"environment": "dev"}})
	doc := c.Open("api.http", apiHTTP)
	p := c.WaitVersion(doc, 1)
	if !strings.HasSuffix(byCode(p.Diagnostics, "GW101")[0].Message, "[dev] (403 ForbiddenException)") {
		t.Errorf("message = %q, want the dev environment", byCode(p.Diagnostics, "GW101")[0].Message)
	}
	list := func(args ...any) (res struct {
		Environments []string `json:"environments"`
		Current      string   `json:"current"`
		Root         string   `json:"root"`
	}) {
		t.Helper()
		if err := c.Call(protocol.MethodWorkspaceExecuteCommand, map[string]any{"command": lsp.CommandListEnvironments, "arguments": args}, &res); err != nil {
			t.Fatal(err)
		}
		return res
	}
	if got := list(); strings.Join(got.Environments, ",") != "dev,prod" || got.Current != "dev" {
		t.Errorf("listEnvironments = %+v, want dev,prod current dev", got)
	}
	if got := list(string(doc)); strings.Join(got.Environments, ",") != "dev,prod" || got.Root != c.Dir {
		t.Errorf("listEnvironments(uri) = %+v, want dev,prod in root %s", got, c.Dir)
	}
	mark := c.Mark()
	if err := c.Call(protocol.MethodWorkspaceExecuteCommand, map[string]any{"command": lsp.CommandSetEnvironment, "arguments": []any{"prod"}}, nil); err != nil {
		t.Fatal(err)
	}
	c.WaitPublish(doc, mark, func(p lsptest.Publish) bool {
		ds := byCode(p.Diagnostics, "GW101")
		return len(ds) == 1 && strings.Contains(ds[0].Message, "[prod]")
	})
	if got := f.get(c.Dir).Options().Env; got != "prod" {
		t.Errorf("workspace environment = %q, want prod", got)
	}
	if got := list(); got.Current != "prod" {
		t.Errorf("current = %q, want prod", got.Current)
	}
	if err := c.Call(protocol.MethodWorkspaceExecuteCommand, map[string]any{"command": lsp.CommandSetEnvironment, "arguments": []any{nil}}, nil); err != nil {
		t.Fatal(err)
	}
	if got := list(); got.Current != "dev" {
		t.Errorf("after reset: current = %q, want the configured dev", got.Current)
	}
	err := c.Call(protocol.MethodWorkspaceExecuteCommand, map[string]any{"command": lsp.CommandSetEnvironment, "arguments": []any{42}}, nil)
	if lsptest.ErrorCode(err) != -32602 {
		t.Errorf("setEnvironment 42: %v, want InvalidParams", err)
	}
}

func TestConfiguration(t *testing.T) {
	t.Run("initializationOptions", func(t *testing.T) {
		c, f := start(t, baseFiles())
		c.Initialize(lsptest.InitOptions{Capabilities: map[string]any{}, InitializationOptions: map[string]any{
			"gw403": map[string]any{"environment": "dev", "configPath": "ops/gw403.yaml", "severity": map[string]any{"GW101": "warning", "GW999": "loud"}},
		}})
		c.WaitLog("gw403.severity.GW999")
		// Workspaces are made for the files opened (rooted by the root rule).
		c.WaitVersion(c.Open("api.http", apiHTTP), 1)
		o := f.get(c.Dir).Options()
		want := workspace.Options{Env: "dev", ConfigPath: c.Path("ops/gw403.yaml"), Severity: map[string]analyzer.Severity{"GW101": analyzer.Warning}, Recheck: true}
		if mustJSON(t, o) != mustJSON(t, want) {
			t.Errorf("options = %+v, want %+v", o, want)
		}
	})
	t.Run("workspace/configuration", func(t *testing.T) {
		c, f := start(t, baseFiles())
		severity := "warning"
		c.SetConfiguration(func(it protocol.ConfigurationItem) any {
			if it.ScopeURI == "" {
				return map[string]any{"environment": "staging", "severity": map[string]any{"GW101": severity}}
			}
			return map[string]any{"severity": map[string]any{"GW502": "off"}}
		})
		c.Initialize(lsptest.InitOptions{Folders: []string{"."}})
		doc := c.Open("api.http", apiHTTP)
		p := c.WaitVersion(doc, 1)
		if len(p.Diagnostics) != 1 || p.Diagnostics[0].Severity != protocol.DiagnosticSeverityWarning {
			t.Errorf("diagnostics = %+v, want only GW101 as a warning", p.Diagnostics)
		}
		items := c.ConfigItems()
		if len(items) != 2 || items[0].Section != "gw403" || string(items[1].ScopeURI) != string(c.URI(".")) {
			t.Errorf("configuration items = %+v, want global and folder gw403", items)
		}
		if o := f.get(c.Dir).Options(); o.Env != "staging" || o.Severity["GW502"] != analyzer.Off {
			t.Errorf("options = %+v", o)
		}
		c.SetConfiguration(func(it protocol.ConfigurationItem) any {
			return map[string]any{"severity": map[string]any{"GW101": "info"}}
		})
		mark := c.Mark()
		c.Notify(protocol.MethodWorkspaceDidChangeConfiguration, map[string]any{"settings": nil})
		// GW101 becomes information; GW502 is on again (no folder setting).
		c.WaitPublish(doc, mark, func(p lsptest.Publish) bool {
			ds := byCode(p.Diagnostics, "GW101")
			return len(ds) == 1 && ds[0].Severity == protocol.DiagnosticSeverityInformation && len(p.Diagnostics) == 2
		})
	})
	t.Run("pushed settings", func(t *testing.T) {
		c, _ := start(t, baseFiles())
		c.Initialize(lsptest.InitOptions{Capabilities: map[string]any{}})
		doc := c.Open("api.http", apiHTTP)
		c.WaitVersion(doc, 1)
		mark := c.Mark()
		c.Notify(protocol.MethodWorkspaceDidChangeConfiguration, map[string]any{
			"settings": map[string]any{"gw403": map[string]any{"severity": map[string]any{"GW101": "off", "GW502": "error"}}},
		})
		c.WaitPublish(doc, mark, func(p lsptest.Publish) bool {
			return codes(p.Diagnostics) == "GW502" && p.Diagnostics[0].Severity == protocol.DiagnosticSeverityError
		})
	})
}

// TestHoverSavedResponse: on the x-amzn-errortype header of a saved 403
// response, the hover is explain's diagnosis.
func TestHoverSavedResponse(t *testing.T) {
	c, _ := start(t, baseFiles())
	c.Initialize(lsptest.InitOptions{})
	resp := "HTTP/1.1 403 Forbidden\r\nContent-Type: application/json\r\nx-amzn-RequestId: 1b2c3d4e-0000-4000-8000-000000000000\r\nx-amzn-ErrorType: MissingAuthenticationTokenException\r\n\r\n{\"message\":\"Missing Authentication Token\"}\r\n"
	doc := c.Open("Response-403.http", resp)
	c.WaitVersion(doc, 1)
	var h protocol.Hover
	if err := c.Call(protocol.MethodTextDocumentHover, map[string]any{
		"textDocument": map[string]any{"uri": doc}, "position": pos(3, 5),
	}, &h); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(h.Contents.Value, "GW1") || h.Range == nil || h.Range.Start.Line != 3 {
		t.Errorf("hover = %+v, want the diagnosis on line 3 naming a rule", h)
	}
}
