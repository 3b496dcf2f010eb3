package explain

import (
	"regexp"
	"strings"

	"github.com/gw403/gw403-lsp/analyzer/workspace"
	"github.com/gw403/gw403-lsp/schemas/capture"
	"github.com/gw403/gw403-lsp/schemas/source"
)

var reMessageField = regexp.MustCompile(`"(?:message|Message)"\s*:\s*"(?:[^"\\\n]|\\.)*"`)

// Hover returns the diagnosis of the response under byte offset off of
// text — a saved response file (REST Client's Response-….http, the
// JetBrains response pane, curl output) or a response block pasted into a
// request file — when off is on an x-amzn-errortype header line or on the
// response's "message" field. It returns nil elsewhere. The span is the
// header line or the message field; the markdown is in both languages.
func Hover(text string, off int) *workspace.Hover {
	if off < 0 || off > len(text) || !mayHover(text, off) {
		return nil
	}
	c, err := capture.ParseText(text, capture.Options{})
	if err != nil {
		return nil
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
			return nil
		}
		return &workspace.Hover{Span: span, Markdown: Markdown(Diagnose(x))}
	}
	return nil
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
