package rules

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gw403/gw403-lsp/analyzer/workspace"
)

// TestConfigFindingsPointAtTheValue: the GW001 findings on .gw403.yaml
// values land on the value's bytes in a file with CRLF line ends and
// Japanese text before and inside the values, a comma in a plain scalar
// and a doubled quote in a single-quoted one.
func TestConfigFindingsPointAtTheValue(t *testing.T) {
	dir := t.TempDir()
	config := "# プロジェクト設定（日本語のコメント）\r\n" +
		"apis:\r\n" +
		"  注文:   # 日本語の API 名\r\n" +
		"    template: インフラ/a,b.yaml # 存在しない\r\n" +
		"  請求:\r\n" +
		"    openapi: 'api/o''k.yaml'\r\n" +
		"rules:\r\n" +
		"  disable: [GW152, 規則なし]\r\n" +
		"  severity: {GW101: 情報, GW999: off}\r\n"
	files := map[string]string{
		".gw403.yaml": config,
		"a.http":      "GET https://example.com/\r\n",
	}
	for name, text := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	res, err := workspace.New(dir, workspace.Options{}).CheckPaths(context.Background(), []string{dir})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{ // message fragment → the bytes the finding covers
		`"インフラ/a,b.yaml" does not exist`: "インフラ/a,b.yaml",
		`"api/o'k.yaml" does not exist`:  `'api/o''k.yaml'`,
		`"規則なし" names no rule`:           "規則なし",
		`"情報" is not a severity`:         "情報",
		`unknown rule "GW999"`:           "GW999",
	}
	for _, d := range res.Diagnostics {
		if filepath.Base(d.Path) != ".gw403.yaml" {
			continue
		}
		for frag, covers := range want {
			if !strings.Contains(d.Message.EN, frag) {
				continue
			}
			if got := config[d.Span.Start:d.Span.End]; got != covers {
				t.Errorf("%s: span %v covers %q, want %q", d.Message.EN, d.Span, got, covers)
			}
			delete(want, frag)
		}
	}
	for frag := range want {
		t.Errorf("no finding on .gw403.yaml saying %q", frag)
	}
}
