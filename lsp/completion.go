package lsp

import (
	"context"
	"encoding/json"

	"go.lsp.dev/protocol"

	"github.com/gw403/gw403-lsp/analyzer/workspace"
	"github.com/gw403/gw403-lsp/schemas/source"
)

// completion answers with the analyzer's items at the position: header
// names (x-api-key, x-apigw-api-id, the dialect's Authorization: AWS line),
// stages and resource paths of the linked API, variables of the env files.
func (s *server) completion(params json.RawMessage) (func(context.Context) (any, error), error) {
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
		items, err := safely(func() ([]workspace.Completion, error) { return snap.ws.Complete(ctx, snap.path, off) })
		if err != nil {
			if ctx.Err() != nil {
				return nil, ctx.Err()
			}
			s.logf("completion %s: %v", snap.path, err)
		}
		list := protocol.CompletionList{Items: []protocol.CompletionItem{}}
		for _, c := range items {
			snippet := c.Kind == workspace.CompleteSnippet
			if snippet && !snap.caps.TextDocument.Completion.CompletionItem.SnippetSupport {
				continue
			}
			text := c.InsertText
			if text == "" {
				text = c.Label
			}
			replace := c.Replace
			if replace.IsEmpty() {
				replace = source.Span{Start: off, End: off}
			}
			item := protocol.CompletionItem{
				Label:    c.Label,
				Kind:     completionKind(c.Kind),
				Detail:   c.Detail.In(snap.locale),
				TextEdit: &protocol.TextEdit{Range: m.rng(replace), NewText: text},
			}
			if snippet {
				item.InsertTextFormat = protocol.InsertTextFormatSnippet
			}
			if doc := c.Doc.In(snap.locale); doc != "" {
				item.Documentation = protocol.MarkupContent{Kind: protocol.Markdown, Value: doc}
			}
			list.Items = append(list.Items, item)
		}
		if s.changedSince(snap) {
			list.IsIncomplete = true // computed for an older text: ask again
		}
		return list, nil
	}, nil
}

func completionKind(k workspace.CompletionKind) protocol.CompletionItemKind {
	switch k {
	case workspace.CompleteHeader:
		return protocol.CompletionItemKindField
	case workspace.CompleteVariable:
		return protocol.CompletionItemKindVariable
	case workspace.CompleteStage:
		return protocol.CompletionItemKindEnumMember
	case workspace.CompletePath:
		return protocol.CompletionItemKindReference
	case workspace.CompleteSnippet:
		return protocol.CompletionItemKindSnippet
	}
	return protocol.CompletionItemKindText
}
