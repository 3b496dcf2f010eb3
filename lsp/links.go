package lsp

import (
	"context"
	"encoding/json"
	"fmt"

	"go.lsp.dev/protocol"

	"github.com/gw403/gw403-lsp/analyzer/workspace"
	"github.com/gw403/gw403-lsp/schemas/source"
)

// documentLink links each request to the template route that serves it.
// The target carries the line and column as a "#L<line>,<col>" fragment
// (1-based), which VS Code and others open at that place.
func (s *server) documentLink(params json.RawMessage) (func(context.Context) (any, error), error) {
	var p protocol.DocumentLinkParams
	if err := decodeParams(params, &p); err != nil {
		return nil, err
	}
	snap, ok := s.snapshotOf(p.TextDocument.URI)
	if !ok {
		return func(context.Context) (any, error) { return nil, nil }, nil
	}

	return func(ctx context.Context) (any, error) {
		links, err := safely(func() ([]workspace.DocLink, error) { return snap.ws.Links(ctx, snap.path) })
		if err != nil {
			if ctx.Err() != nil {
				return nil, ctx.Err()
			}
			s.logf("documentLink %s: %v", snap.path, err)
		}
		if s.changedSince(snap) {
			return nil, errContentModified
		}
		m := mapper{snap.file, snap.enc}
		files := s.newFileCache()
		files.files[snap.path] = snap.file
		out := []protocol.DocumentLink{}
		for _, l := range links {
			target := string(files.uri(l.Target))
			if f := files.get(l.Target); f != nil {
				line, col := f.LineCol(l.TargetSpan.Start, source.Runes)
				target += fmt.Sprintf("#L%d,%d", line, col)
			}
			out = append(out, protocol.DocumentLink{
				Range:   m.rng(l.Span),
				Target:  protocol.DocumentURI(target),
				Tooltip: l.Tooltip.In(snap.locale),
			})
		}
		return out, nil
	}, nil
}
