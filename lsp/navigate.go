package lsp

import (
	"context"
	"encoding/json"
	"time"

	"github.com/gw403/gw403-lsp/analyzer/msg"
	"github.com/gw403/gw403-lsp/analyzer/workspace"
	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"
)

// Requests and routes know each other: go to definition from a request's
// URL to the route that serves it; find references from a route, API,
// stage or custom domain of a template to every request calling it; a code
// lens above each route ("3 requests"); an inlay hint at the end of each
// request line saying what it calls.

// CommandShowReferences is the command of the route code lenses:
// arguments [uri, position, locations]. Editor extensions map it to their
// references view (VS Code: editor.action.showReferences); sent to the
// server, it answers the locations.
const CommandShowReferences = "gw403.showReferences"

// InlayHint is LSP 3.17's InlayHint (protocol v0.12.0 is 3.16), with the
// members the server sends.
type InlayHint struct {
	Position     protocol.Position `json:"position"`
	Label        string            `json:"label"`
	Tooltip      string            `json:"tooltip,omitempty"`
	PaddingLeft  bool              `json:"paddingLeft,omitempty"`
	PaddingRight bool              `json:"paddingRight,omitempty"`
}

// inlayHintParams is LSP 3.17's InlayHintParams.
type inlayHintParams struct {
	TextDocument protocol.TextDocumentIdentifier `json:"textDocument"`
	Range        protocol.Range                  `json:"range"`
}

const methodInlayHint = "textDocument/inlayHint"

// locations converts analyzer locations to protocol ones (reading the
// files they point into).
func (s *server) locations(snap snapshot, locs []workspace.Location) []protocol.Location {
	files := s.newFileCache()
	files.files[snap.path] = snap.file
	out := []protocol.Location{}
	for _, l := range locs {
		f := files.get(l.Path)
		if f == nil {
			continue
		}
		out = append(out, protocol.Location{URI: files.uri(l.Path), Range: mapper{f, snap.enc}.rng(l.Span)})
	}
	return out
}

// positionRequest is the common shape of the position requests: decode, take
// the document's snapshot and the offset of the position.
func (s *server) positionRequest(params json.RawMessage, p any, pos func() (protocol.DocumentURI, protocol.Position)) (snapshot, int, bool, error) {
	if err := decodeParams(params, p); err != nil {
		return snapshot{}, 0, false, err
	}
	u, at := pos()
	snap, ok := s.snapshotOf(u)
	if !ok {
		return snapshot{}, 0, false, nil
	}
	off, _ := mapper{snap.file, snap.enc}.offset(at)
	return snap, off, true, nil
}

func none(context.Context) (any, error) { return nil, nil }

// definition: from a request's URL to the route's declaration.
func (s *server) definition(params json.RawMessage) (func(context.Context) (any, error), error) {
	var p protocol.DefinitionParams
	snap, off, ok, err := s.positionRequest(params, &p, func() (protocol.DocumentURI, protocol.Position) { return p.TextDocument.URI, p.Position })
	if err != nil || !ok {
		return none, err
	}
	return func(ctx context.Context) (any, error) {
		locs, err := safely(func() ([]workspace.Location, error) { return snap.ws.Definition(ctx, snap.path, off) })
		if err != nil {
			return nil, s.requestFailed(ctx, "definition", snap, err)
		}
		if s.changedSince(snap) {
			return nil, errContentModified
		}
		return s.locations(snap, locs), nil
	}, nil
}

// references: from a route, API, stage or custom domain to the requests.
func (s *server) references(params json.RawMessage) (func(context.Context) (any, error), error) {
	var p protocol.ReferenceParams
	snap, off, ok, err := s.positionRequest(params, &p, func() (protocol.DocumentURI, protocol.Position) { return p.TextDocument.URI, p.Position })
	if err != nil || !ok {
		return none, err
	}
	return func(ctx context.Context) (any, error) {
		locs, err := safely(func() ([]workspace.Location, error) {
			return snap.ws.References(ctx, snap.path, off, p.Context.IncludeDeclaration)
		})
		if err != nil {
			return nil, s.requestFailed(ctx, "references", snap, err)
		}
		if s.changedSince(snap) {
			return nil, errContentModified
		}
		return s.locations(snap, locs), nil
	}, nil
}

// requestFailed logs an analyzer failure; a cancelled request stays
// cancelled.
func (s *server) requestFailed(ctx context.Context, what string, snap snapshot, err error) error {
	if ctx.Err() != nil {
		return ctx.Err()
	}
	s.logf("%s %s: %v", what, snap.path, err)
	return nil
}

// requestsTitle is a code lens title: "no requests", "1 request", "3 requests".
func requestsTitle(n int, locale string) string {
	var t msg.Text
	switch n {
	case 0:
		t = msg.T("no requests", "リクエストなし")
	case 1:
		t = msg.T("1 request", "リクエスト 1 件")
	default:
		t = msg.T("%d requests", "リクエスト %d 件", n)
	}
	return t.In(locale)
}

// codeLens puts above each route of a template or OpenAPI document the
// number of requests that call it; the command shows them.
func (s *server) codeLens(params json.RawMessage) (func(context.Context) (any, error), error) {
	var p protocol.CodeLensParams
	if err := decodeParams(params, &p); err != nil {
		return nil, err
	}
	snap, ok := s.snapshotOf(p.TextDocument.URI)
	if !ok {
		return none, nil
	}
	return func(ctx context.Context) (any, error) {
		usages, err := safely(func() ([]workspace.RouteUsage, error) { return snap.ws.RouteUsages(ctx, snap.path) })
		if err != nil {
			return nil, s.requestFailed(ctx, "codeLens", snap, err)
		}
		if s.changedSince(snap) {
			return nil, errContentModified
		}
		m := mapper{snap.file, snap.enc}
		out := []protocol.CodeLens{}
		for _, u := range usages {
			r := m.rng(u.Span)
			out = append(out, protocol.CodeLens{
				Range: r,
				Command: &protocol.Command{
					Title:     requestsTitle(len(u.Requests), snap.locale),
					Command:   CommandShowReferences,
					Arguments: []any{snap.uri, r.Start, s.locations(snap, u.Requests)},
				},
			})
		}
		return out, nil
	}, nil
}

// inlayHint ends each request line with what it calls:
// "→ OrdersApi · prod · GET /orders/{id} · API key", "→ not linked (localhost)".
func (s *server) inlayHint(params json.RawMessage) (func(context.Context) (any, error), error) {
	var p inlayHintParams
	if err := decodeParams(params, &p); err != nil {
		return nil, err
	}
	snap, ok := s.snapshotOf(p.TextDocument.URI)
	if !ok {
		return none, nil
	}
	m := mapper{snap.file, snap.enc}
	within, _ := m.span(p.Range)
	return func(ctx context.Context) (any, error) {
		links, err := safely(func() ([]workspace.RequestLink, error) { return snap.ws.RequestLinks(ctx, snap.path) })
		if err != nil {
			return nil, s.requestFailed(ctx, "inlayHint", snap, err)
		}
		if s.changedSince(snap) {
			return nil, errContentModified
		}
		out := []InlayHint{}
		for _, l := range links {
			if l.Line.End < within.Start || l.Line.End > within.End {
				continue
			}
			h := InlayHint{Position: m.position(l.Line.End), Label: "→ " + l.Label(snap.locale), PaddingLeft: true}
			if l.Env != "" {
				h.Tooltip = msg.T("gw403: environment %s", "gw403: 環境 %s", l.Env).In(snap.locale)
			}
			out = append(out, h)
		}
		return out, nil
	}, nil
}

// showReferences answers CommandShowReferences sent to the server (a
// client without its own references view): the locations it carries.
func showReferences(args []json.RawMessage) (func(context.Context) (any, error), error) {
	var locs []protocol.Location
	if len(args) >= 3 {
		_ = json.Unmarshal(args[2], &locs)
	}
	return func(context.Context) (any, error) { return locs, nil }, nil
}

// refreshDelay batches the refreshes of code lenses and inlay hints.
const refreshDelay = 300 * time.Millisecond

// scheduleRefreshLocked asks the client, shortly, to ask again for code
// lenses and inlay hints (LSP 3.16/3.17 refresh requests, when it supports
// them): a request file's edit changes the counts above a template's
// routes, a template's edit the hints of request files.
func (s *server) scheduleRefreshLocked() {
	if !s.caps.Workspace.CodeLens.RefreshSupport && !s.caps.Workspace.InlayHint.RefreshSupport {
		return
	}
	if s.refresh != nil {
		s.refresh.Stop()
	}
	s.refresh = time.AfterFunc(refreshDelay, func() {
		s.mu.Lock()
		if s.stopping || s.state != stateRunning {
			s.mu.Unlock()
			return
		}
		caps := s.caps
		s.mu.Unlock()
		s.spawn(func() {
			ctx, cancel := context.WithTimeout(s.ctx, 10*time.Second)
			defer cancel()
			if caps.Workspace.CodeLens.RefreshSupport {
				if _, err := s.conn.Call(ctx, "workspace/codeLens/refresh", nil, nil); err != nil && s.ctx.Err() == nil {
					s.logf("workspace/codeLens/refresh: %v", err)
				}
			}
			if caps.Workspace.InlayHint.RefreshSupport {
				if _, err := s.conn.Call(ctx, "workspace/inlayHint/refresh", nil, nil); err != nil && s.ctx.Err() == nil {
					s.logf("workspace/inlayHint/refresh: %v", err)
				}
			}
		})
	})
}

// linkCountsResult is the answer of gw403.linkCounts.
type linkCountsResult struct {
	Linked   int `json:"linked"`
	Unlinked int `json:"unlinked"`
}

func (s *server) linkCounts(args []json.RawMessage) (func(context.Context) (any, error), error) {
	var target string
	if len(args) == 0 || json.Unmarshal(args[0], &target) != nil || target == "" {
		return nil, jsonrpc2.Errorf(jsonrpc2.InvalidParams, "%s: the argument is a document URI", CommandLinkCounts)
	}
	path, ok := uriToPath(target)
	if !ok {
		return nil, jsonrpc2.Errorf(jsonrpc2.InvalidParams, "%s: not a file URI: %q", CommandLinkCounts, target)
	}
	s.mu.Lock()
	ws := s.folderForLocked(path).ws
	s.mu.Unlock()
	return func(ctx context.Context) (any, error) {
		var res linkCountsResult
		_, err := safely(func() (struct{}, error) {
			var err error
			res.Linked, res.Unlinked, err = ws.LinkCounts(ctx, path)
			return struct{}{}, err
		})
		if err != nil {
			return nil, s.requestFailed(ctx, CommandLinkCounts, snapshot{path: path}, err)
		}
		return res, nil
	}, nil
}
