package lsp_test

import (
	"encoding/json"
	"strings"
	"testing"

	"go.lsp.dev/protocol"

	"github.com/gw403/gw403-lsp/lsp/lsptest"
)

func TestPublishDiagnosticsUTF16(t *testing.T) {
	c, _ := start(t, baseFiles())
	c.Initialize(lsptest.InitOptions{})
	doc := c.Open("api.http", apiHTTP)
	p := c.WaitVersion(doc, 1)
	if got := codes(p.Diagnostics); got != "GW502,GW101" && got != "GW101,GW502" {
		t.Fatalf("codes = %s, want GW101 and GW502", got)
	}
	d := byCode(p.Diagnostics, "GW101")[0]
	if want := rng(1, 4, 1, 78); d.Range != want {
		t.Errorf("GW101 range = %v, want %v (UTF-16 after 日本語🎉)", d.Range, want)
	}
	if d.Severity != protocol.DiagnosticSeverityError || d.Source != "gw403" {
		t.Errorf("severity %v source %q, want Error gw403", d.Severity, d.Source)
	}
	wantMsg := "GET https://abc123.execute-api.ap-northeast-1.amazonaws.com/prod/items?q=日本語🎉 requires an API key but sends no x-api-key header (403 ForbiddenException)"
	if d.Message != wantMsg {
		t.Errorf("message = %q, want %q", d.Message, wantMsg)
	}
	if d.CodeDescription == nil || d.CodeDescription.Href != "https://github.com/gw403/gw403-lsp/blob/main/docs/rules.md#gw101" {
		t.Errorf("codeDescription = %+v", d.CodeDescription)
	}
	if len(d.RelatedInformation) != 1 {
		t.Fatalf("relatedInformation = %+v, want 1", d.RelatedInformation)
	}
	ri := d.RelatedInformation[0]
	if ri.Location.URI != c.URI("template.yaml") || ri.Location.Range != rng(5, 8, 5, 28) || ri.Message != "the method requires an API key here" {
		t.Errorf("related = %+v, want template.yaml 5:8-5:28", ri)
	}
	var data map[string]any
	if err := json.Unmarshal([]byte(mustJSON(t, d.Data)), &data); err != nil || data["code"] != "GW101" {
		t.Errorf("data = %v, want code GW101", d.Data)
	}
	k := byCode(p.Diagnostics, "GW502")[0]
	if want := rng(6, 11, 6, 18); k.Range != want {
		t.Errorf("GW502 range = %v, want %v (秘密のキー🔑)", k.Range, want)
	}
	if k.Severity != protocol.DiagnosticSeverityWarning || strings.Contains(k.Message, "(") {
		t.Errorf("GW502 = %+v, want a warning without predicted answer", k)
	}
}

func TestPublishDiagnosticsUTF8(t *testing.T) {
	c, _ := start(t, baseFiles())
	c.Initialize(lsptest.InitOptions{PositionEncodings: []string{"utf-8", "utf-16"}})
	doc := c.Open("api.http", apiHTTP)
	p := c.WaitVersion(doc, 1)
	if got, want := byCode(p.Diagnostics, "GW101")[0].Range, rng(1, 4, 1, 86); got != want {
		t.Errorf("GW101 range = %v, want %v (bytes)", got, want)
	}
	if got, want := byCode(p.Diagnostics, "GW502")[0].Range, rng(6, 11, 6, 30); got != want {
		t.Errorf("GW502 range = %v, want %v (bytes)", got, want)
	}
	// An incremental edit in UTF-8 columns: delete "🔑" (bytes 26–30).
	v := c.Change(doc, lsptest.Edit(6, 26, 6, 30, ""))
	p = c.WaitVersion(doc, v)
	if got, want := byCode(p.Diagnostics, "GW502")[0].Range, rng(6, 11, 6, 26); got != want {
		t.Errorf("after the edit: GW502 range = %v, want %v", got, want)
	}
}

func TestJapaneseLocale(t *testing.T) {
	c, _ := start(t, baseFiles())
	c.Initialize(lsptest.InitOptions{Locale: "ja-JP"})
	doc := c.Open("api.http", apiHTTP)
	p := c.WaitVersion(doc, 1)
	d := byCode(p.Diagnostics, "GW101")[0]
	if !strings.Contains(d.Message, "には API キーが必要ですが x-api-key ヘッダーがありません (403 ForbiddenException)") {
		t.Errorf("message = %q, want Japanese with the predicted answer", d.Message)
	}
	if d.RelatedInformation[0].Message != "ここで API キーが必須になっています" {
		t.Errorf("related message = %q, want Japanese", d.RelatedInformation[0].Message)
	}
}

func TestSeverityMapping(t *testing.T) {
	c, _ := start(t, baseFiles())
	c.Initialize(lsptest.InitOptions{InitializationOptions: map[string]any{
		"severity": map[string]any{"GW101": "info", "gw502": "off", "GW201": "error"},
	}})
	doc := c.Open("api.http", apiHTTP)
	p := c.WaitVersion(doc, 1)
	if got := codes(p.Diagnostics); got != "GW101" {
		t.Fatalf("codes = %s, want GW101 only (GW502 off)", got)
	}
	if got := p.Diagnostics[0].Severity; got != protocol.DiagnosticSeverityInformation {
		t.Errorf("GW101 severity = %v, want Information", got)
	}
	tpl := c.Open("template.yaml", tplYAML)
	p = c.WaitVersion(tpl, 1)
	if len(p.Diagnostics) != 1 || p.Diagnostics[0].Severity != protocol.DiagnosticSeverityError || p.Diagnostics[0].Range != rng(5, 8, 5, 22) {
		t.Errorf("template diagnostics = %+v, want one GW201 error at 5:8-5:22", p.Diagnostics)
	}
}

func TestCloseClearsDiagnostics(t *testing.T) {
	c, _ := start(t, baseFiles())
	c.Initialize(lsptest.InitOptions{})
	doc := c.Open("api.http", apiHTTP)
	c.WaitVersion(doc, 1)
	mark := c.Mark()
	c.Close(doc)
	p := c.WaitPublish(doc, mark, func(p lsptest.Publish) bool { return p.Version == nil })
	if len(p.Diagnostics) != 0 {
		t.Errorf("after close: %+v, want an empty list", p)
	}
}

func TestDiagnosticsMatchLatestVersion(t *testing.T) {
	// With the default debounce, a burst of edits ends in diagnostics of the
	// last version, and never in an older version after a newer one.
	f := newFakeFactory()
	c := lsptest.Start(t, lsptest.Config{Files: baseFiles(), Options: optsWith(f, 0)})
	c.Initialize(lsptest.InitOptions{})
	doc := c.Open("api.http", apiHTTP)
	text := apiHTTP
	var last int32
	for i := 0; i < 31; i++ {
		ch := lsptest.Edit(2, 0, 2, 0, "X-Trace: 追跡\r\n")
		if i%2 == 1 {
			ch = lsptest.Edit(2, 0, 3, 0, "")
		}
		text = refApply(t, text, ch, false)
		last = c.Change(doc, ch)
	}
	p := c.WaitVersion(doc, last)
	if got := byCode(p.Diagnostics, "GW502")[0].Range; got != rng(7, 11, 7, 18) {
		t.Errorf("GW502 at %v, want 7:11-7:18 in the last version", got)
	}
	var prev int32
	for _, h := range c.History() {
		if h.URI != doc || h.Version == nil {
			continue
		}
		if *h.Version < prev {
			t.Errorf("version %d published after %d", *h.Version, prev)
		}
		prev = *h.Version
	}
	if text != mustOverlay(t, f, c, "api.http") {
		t.Errorf("the server's text differs from the client's")
	}
}

func mustOverlay(t *testing.T, f *fakeFactory, c *lsptest.Client, rel string) string {
	t.Helper()
	w := f.get(c.Dir)
	if w == nil {
		t.Fatalf("no workspace at %s (have %v)", c.Dir, f.roots())
	}
	text, ok := w.Overlay(c.Path(rel))
	if !ok {
		t.Fatalf("no overlay for %s", rel)
	}
	return text
}
