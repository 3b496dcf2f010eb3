package analyzer

import (
	"strings"

	"github.com/gw403/gw403-lsp/analyzer/msg"
)

// RuleMarkdown renders a rule's documentation as markdown in lang, with
// fixed sections, for `gw403-lsp rules`, hover, SARIF help and docs/rules.md.
func RuleMarkdown(r *Rule, lang string) string {
	ja := strings.HasPrefix(lang, "ja")
	var b strings.Builder
	section := func(en, jaTitle string, t msg.Text) {
		s := t.In(lang)
		if s == "" {
			return
		}
		if ja {
			b.WriteString("## " + jaTitle + "\n\n")
		} else {
			b.WriteString("## " + en + "\n\n")
		}
		b.WriteString(strings.TrimSpace(s) + "\n\n")
	}
	section("What it does", "検出する内容", r.Doc.What)
	section("Why is this a 403?", "なぜ 403 になるのか", r.Doc.Why)
	section("What API Gateway returns", "API Gateway の応答", r.Doc.Returns)
	section("Example", "例", r.Doc.Example)
	section("How to fix", "修正方法", r.Doc.Fix)
	if len(r.Doc.References) > 0 {
		if ja {
			b.WriteString("## 参考\n\n")
		} else {
			b.WriteString("## References\n\n")
		}
		for _, u := range r.Doc.References {
			b.WriteString("- " + u + "\n")
		}
	}
	return strings.TrimSpace(b.String())
}
