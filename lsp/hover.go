package lsp

import (
	"context"
	"encoding/json"

	"go.lsp.dev/protocol"

	"github.com/gw403/gw403-lsp/analyzer/explain"
	"github.com/gw403/gw403-lsp/analyzer/workspace"
)

// hover answers with what the analyzer knows at the position: on a request
// line the API, stage, route and auth it resolves to, how it was linked and
// the URL per environment; on a diagnostic its message, the predicted
// answer and a "rule docs" link; on the x-amzn-errortype header or message of a saved
// 403 response, the diagnosis `gw403-lsp explain` would give.
func (s *server) hover(params json.RawMessage) (func(context.Context) (any, error), error) {
	var p protocol.TextDocumentPositionParams
	if err := decodeParams(params, &p); err != nil {
		return nil, err
	}
	snap, ok := s.snapshotOf(p.TextDocument.URI)
	if !ok {
		return func(context.Context) (any, error) { return nil, nil }, nil
	}
	m := mapper{snap.file, snap.enc}
	off, _ := m.offset(p.Position)

	return func(ctx context.Context) (any, error) {
		h, err := safely(func() (*workspace.Hover, error) { return snap.ws.Hover(ctx, snap.path, off) })
		if err != nil {
			if ctx.Err() != nil {
				return nil, ctx.Err()
			}
			s.logf("hover %s: %v", snap.path, err)
			return nil, nil
		}
		if s.changedSince(snap) {
			return nil, errContentModified
		}
		if h == nil {
			// A saved or pasted 403 response: the diagnosis of `explain`.
			if sp, md, ok := explain.Hover(snap.file.Text, off); ok {
				h = &workspace.Hover{Span: sp, Markdown: md}
			}
		}
		if h == nil {
			return nil, nil
		}
		md := h.Markdown.In(snap.locale)
		if md == "" {
			return nil, nil
		}
		kind := protocol.Markdown
		if f := snap.caps.TextDocument.Hover.ContentFormat; len(f) > 0 && f[0] == string(protocol.PlainText) {
			kind = protocol.PlainText
		}
		r := m.rng(h.Span)
		return &protocol.Hover{Contents: protocol.MarkupContent{Kind: kind, Value: md}, Range: &r}, nil
	}, nil
}
