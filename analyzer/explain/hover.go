package explain

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/gw403/gw403-lsp/analyzer/msg"
	"github.com/gw403/gw403-lsp/schemas/capture"
	"github.com/gw403/gw403-lsp/schemas/source"
)

var reMessageField = regexp.MustCompile(`"(?:message|Message)"\s*:\s*"(?:[^"\\\n]|\\.)*"`)

// Hover returns the diagnosis of the response under byte offset off of
// text — a saved response file (REST Client's Response-….http, the
// JetBrains response pane, curl output) or a response block pasted into a
// request file — when off is on an x-amzn-errortype header line or on the
// response's "message" field, with ok; ok is false elsewhere. The span is
// the header line or the message field; the markdown is in both languages.
func Hover(text string, off int) (span source.Span, markdown msg.Text, ok bool) {
	if off < 0 || off > len(text) || !mayHover(text, off) {
		return span, markdown, false
	}
	c, err := capture.ParseText(text, capture.Options{})
	if err != nil {
		return span, markdown, false
	}
	for _, x := range c.Exchanges {
		r := x.Response
		var span source.Span
		if h := r.Headers.Find("x-amzn-errortype"); h != nil && containsOff(h.Span, off) {
			span = h.Span
		} else if sp, ok := messageSpan(text, r.BodySpan); ok && containsOff(sp, off) {
			span = sp
		} else {
			continue
		}
		if x.Response.Status != 0 && x.Response.Status != 403 && x.Response.Status != 401 {
			return span, markdown, false
		}
		return span, Markdown(Diagnose(x)), true
	}
	return span, markdown, false
}

// mayHover is a cheap test that the line under off mentions an error type
// or a message, so that hovers elsewhere do not parse the file.
func mayHover(text string, off int) bool {
	start := strings.LastIndexByte(text[:off], '\n') + 1
	end := strings.IndexByte(text[off:], '\n')
	if end < 0 {
		end = len(text)
	} else {
		end += off
	}
	l := strings.ToLower(text[start:end])
	return strings.Contains(l, "x-amzn-errortype") || strings.Contains(l, `"message"`)
}

// containsOff is Span.Contains that also accepts the end offset (a cursor
// just after the last character).
func containsOff(s source.Span, off int) bool { return off >= s.Start && off <= s.End }

// messageSpan finds the "message": "…" field inside a body span.
func messageSpan(text string, body source.Span) (source.Span, bool) {
	if body.IsEmpty() || body.End > len(text) {
		return source.Span{}, false
	}
	loc := reMessageField.FindStringIndex(text[body.Start:body.End])
	if loc == nil {
		return source.Span{}, false
	}
	return source.Span{Start: body.Start + loc[0], End: body.Start + loc[1]}, true
}

// Markdown renders a diagnosis for an editor hover, in both languages.
func Markdown(d *Diagnosis) msg.Text {
	return msg.Text{EN: markdown(d, "en"), JA: markdown(d, "ja")}
}

func markdown(d *Diagnosis, lang string) string {
	ja := lang == "ja"
	in := func(x msg.Text) string { return x.In(lang) }
	var b strings.Builder
	head := d.StatusText()
	if d.ErrorType != "" {
		head += " — " + d.ErrorType
	}
	if ja {
		fmt.Fprintf(&b, "**%s**（%s）\n\n", head, in(d.OriginText()))
		b.WriteString("考えられる原因（可能性の高い順）:\n\n")
	} else {
		fmt.Fprintf(&b, "**%s** (%s)\n\n", head, in(d.OriginText()))
		b.WriteString("Likely causes, most likely first:\n\n")
	}
	label := func(en, jaS string) string {
		if ja {
			return jaS
		}
		return en
	}
	for i, c := range d.Causes {
		if i == 5 {
			fmt.Fprintf(&b, "%s\n", label("… (more with `gw403-lsp explain`)", "…（続きは `gw403-lsp explain`）"))
			break
		}
		code := ""
		if c.Code != "" {
			code = "`" + c.Code + "`, "
		}
		fmt.Fprintf(&b, "%d. **%s** (%s%s)", i+1, in(c.Title), code, label(in(c.Confidence.Text()), "確度 "+in(c.Confidence.Text())))
		if len(c.Evidence) > 0 {
			fmt.Fprintf(&b, "  \n   %s %s", label("Why:", "根拠:"), mdEscape(in(c.Evidence[0])))
		}
		if len(c.NextSteps) > 0 {
			fmt.Fprintf(&b, "  \n   %s %s", label("Next:", "対処:"), mdEscape(in(c.NextSteps[0])))
		}
		b.WriteString("\n")
	}
	if len(d.NextSteps) > 0 {
		fmt.Fprintf(&b, "\n%s %s\n", label("Check next:", "次に確認すること:"), mdEscape(in(d.NextSteps[0])))
	}
	return b.String()
}

// mdEscape keeps markdown from reading <placeholders> as HTML and * as
// emphasis.
func mdEscape(s string) string {
	return strings.NewReplacer("<", "&lt;", ">", "&gt;", "*", "\\*", "_", "\\_").Replace(s)
}
