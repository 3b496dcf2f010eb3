package lsp

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"go.lsp.dev/protocol"

	"github.com/gw403/gw403-lsp/analyzer"
)

// hover answers with what the analyzer knows at the position (on a request
// line: the API, stage, route and auth it resolves to, how it was linked,
// the URL per environment) and, for each diagnostic there, its code, the
// predicted answer and a link to the rule's documentation.
func (s *Server) hover(params json.RawMessage) (func(context.Context) (any, error), error) {
	var p protocol.TextDocumentPositionParams
	if err := decodeParams(params, &p); err != nil {
		return nil, err
	}
	s.mu.Lock()
	d := s.docLocked(string(p.TextDocument.URI))
	if d == nil {
		s.mu.Unlock()
		return func(context.Context) (any, error) { return nil, nil }, nil
	}
	snap := s.snapshotLocked(d)
	var checked *checkResult
	if d.checked != nil && d.checked.gen == d.gen {
		checked = d.checked
	}
	s.mu.Unlock()
	m := mapper{snap.file, snap.enc}
	off, _ := m.offset(p.Position)

	return func(ctx context.Context) (any, error) {
		h, err := safeHover(ctx, snap.ws, snap.path, off)
		if err != nil {
			if ctx.Err() != nil {
				return nil, ctx.Err()
			}
			s.logf("hover %s: %v", snap.path, err)
			h = nil
		}
		var parts []string
		var rng *protocol.Range
		if h != nil {
			if md := h.Markdown.In(snap.locale); md != "" {
				parts = append(parts, md)
				r := m.rng(h.Span)
				rng = &r
			}
		}
		if checked != nil {
			for i, d := range checked.diags {
				if checked.conv[i] != nil && d.Span.Start <= off && off <= d.Span.End {
					parts = append(parts, diagnosticHover(d, snap.locale))
				}
			}
		}
		if s.changedSince(snap) {
			return nil, errContentModified
		}
		if len(parts) == 0 {
			return nil, nil
		}
		kind := protocol.Markdown
		if f := snap.caps.TextDocument.Hover.ContentFormat; len(f) > 0 && f[0] == string(protocol.PlainText) {
			kind = protocol.PlainText
		}
		return &protocol.Hover{
			Contents: protocol.MarkupContent{Kind: kind, Value: strings.Join(parts, "\n\n---\n\n")},
			Range:    rng,
		}, nil
	}, nil
}

// changedSince reports whether the document's text changed after snap.
func (s *Server) changedSince(snap snapshot) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return snap.doc.gen != snap.gen
}

func safeHover(ctx context.Context, ws Workspace, path string, off int) (h *analyzer.Hover, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("analyzer panic: %v", p)
		}
	}()
	return ws.Hover(ctx, path, off)
}

var (
	predictedLabel = analyzer.Text{EN: "Predicted answer", JA: "予測される応答"}
	ruleDocLabel   = analyzer.Text{EN: "Rule documentation", JA: "ルールの説明"}
)

// diagnosticHover describes one diagnostic in markdown.
func diagnosticHover(d analyzer.Diagnostic, locale string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "**%s**", d.Code)
	if d.Slug != "" {
		fmt.Fprintf(&b, " `%s`", d.Slug)
	}
	fmt.Fprintf(&b, ": %s", d.Message.In(locale))
	if d.ErrorType != "" {
		answer := d.ErrorType
		if d.Status != 0 {
			answer = fmt.Sprintf("%d %s", d.Status, d.ErrorType)
		}
		fmt.Fprintf(&b, "\n\n%s: `%s`", predictedLabel.In(locale), answer)
	}
	if d.Code != "" {
		fmt.Fprintf(&b, "\n\n[%s](%s)", ruleDocLabel.In(locale), RuleDocURL(d.Code))
	}
	return b.String()
}
