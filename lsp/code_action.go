package lsp

import (
	"context"
	"encoding/json"
	"sort"
	"strings"

	"go.lsp.dev/protocol"

	"github.com/gw403/gw403-lsp/analyzer"
	"github.com/gw403/gw403-lsp/analyzer/msg"
	"github.com/gw403/gw403-lsp/analyzer/workspace"
)

// codeActionParams are the members of CodeActionParams the server reads;
// the client's diagnostics are only searched for their data.
type codeActionParams struct {
	TextDocument protocol.TextDocumentIdentifier `json:"textDocument"`
	Range        protocol.Range                  `json:"range"`
	Context      struct {
		Diagnostics []struct {
			Data json.RawMessage `json:"data"`
		} `json:"diagnostics"`
		Only []string `json:"only"`
	} `json:"context"`
}

var fixAllTitle = msg.Text{EN: "Fix all gw403 problems", JA: "gw403 の問題をすべて修正"}

// codeAction answers with a quick fix per fix of each diagnostic the
// request is about (those the client sends back with our data, and those
// overlapping the range), and with source.fixAll.gw403 when asked for.
// Only the result of the document's latest check is used: the edits are
// always for the current version.
func (s *server) codeAction(params json.RawMessage) (func(context.Context) (any, error), error) {
	var p codeActionParams
	if err := decodeParams(params, &p); err != nil {
		return nil, err
	}
	snap, ok := s.snapshotOf(p.TextDocument.URI)
	if !ok {
		return func(context.Context) (any, error) { return nil, nil }, nil
	}

	wantQuickFix, wantFixAll := len(p.Context.Only) == 0, false
	for _, k := range p.Context.Only {
		if kindMatches(protocol.QuickFix, k) {
			wantQuickFix = true
		}
		if kindMatches(FixAllKind, k) {
			wantFixAll = true
		}
	}

	return func(ctx context.Context) (any, error) {
		actions := []protocol.CodeAction{}
		if !wantQuickFix && !wantFixAll {
			return actions, nil
		}
		res, snap, err := s.currentResult(ctx, snap)
		if err != nil || res == nil {
			return actions, err // res == nil: the text changed meanwhile
		}
		files := s.newFileCache()
		files.files[snap.path] = res.file
		if wantQuickFix {
			actions = append(actions, s.quickFixes(p, res, snap, files)...)
		}
		if wantFixAll {
			if a := s.fixAll(res, snap, files); a != nil {
				actions = append(actions, *a)
			}
		}
		return actions, nil
	}, nil
}

// kindMatches reports whether kind is asked for by only (LSP kinds are
// hierarchical: "source" asks for "source.fixAll.gw403").
func kindMatches(kind protocol.CodeActionKind, only string) bool {
	k := string(kind)
	return only == k || strings.HasPrefix(k, only+".")
}

func (s *server) quickFixes(p codeActionParams, res *checkResult, snap snapshot, files *fileCache) []protocol.CodeAction {
	selected := map[int]bool{}
	for _, cd := range p.Context.Diagnostics {
		var data diagData
		if len(cd.Data) == 0 || json.Unmarshal(cd.Data, &data) != nil {
			continue
		}
		if data.Check == res.seq && data.Index >= 0 && data.Index < len(res.diags) && res.diags[data.Index].Code == data.Code {
			selected[data.Index] = true
		}
	}
	want, _ := mapper{res.file, snap.enc}.span(p.Range)
	for i, d := range res.diags {
		if d.Span.Start <= want.End && want.Start <= d.Span.End {
			selected[i] = true
		}
	}
	idx := make([]int, 0, len(selected))
	for i := range selected {
		if res.conv[i] != nil {
			idx = append(idx, i)
		}
	}
	sort.Ints(idx)

	var actions, ignores []protocol.CodeAction
	for _, i := range idx {
		for _, fix := range res.diags[i].Fixes {
			edit := s.workspaceEdit(fix.Edits, snap, files)
			if edit == nil {
				continue
			}
			actions = append(actions, protocol.CodeAction{
				Title:       fix.UnsafeTitle().In(snap.locale),
				Kind:        protocol.QuickFix,
				Diagnostics: []protocol.Diagnostic{*res.conv[i]},
				IsPreferred: fix.Preferred && fix.Safe,
				Edit:        edit,
			})
		}
		// "Ignore this finding" comes after the real fixes.
		for _, fix := range workspace.IgnoreFixes(res.file, res.diags[i]) {
			if edit := s.workspaceEdit(fix.Edits, snap, files); edit != nil {
				ignores = append(ignores, protocol.CodeAction{
					Title:       fix.Title.In(snap.locale),
					Kind:        protocol.QuickFix,
					Diagnostics: []protocol.Diagnostic{*res.conv[i]},
					Edit:        edit,
				})
			}
		}
	}
	return append(actions, ignores...)
}

// fixAll applies, in one edit, the fixes analyzer.ChooseFixes picks for
// the document's findings: the same policy as `check --fix`, safe fixes
// only.
func (s *server) fixAll(res *checkResult, snap snapshot, files *fileCache) *protocol.CodeAction {
	var diags []analyzer.Diagnostic
	var conv []protocol.Diagnostic
	for i, d := range res.diags {
		if res.conv[i] != nil {
			diags = append(diags, d)
			conv = append(conv, *res.conv[i])
		}
	}
	plan := analyzer.ChooseFixes(diags, false)
	if plan.Fixes == 0 {
		return nil
	}
	var edits []analyzer.Edit
	var fixed []protocol.Diagnostic
	for k, f := range plan.Chosen {
		edits = append(edits, f.Edits...)
		fixed = append(fixed, conv[plan.Diags[k]])
	}
	sort.SliceStable(edits, func(a, b int) bool {
		pa, pb := editPath(edits[a], snap.path), editPath(edits[b], snap.path)
		if pa != pb {
			return pa < pb
		}
		return edits[a].Span.Start < edits[b].Span.Start
	})
	edit := s.workspaceEdit(edits, snap, files)
	if edit == nil {
		return nil
	}
	return &protocol.CodeAction{
		Title:       fixAllTitle.In(snap.locale),
		Kind:        FixAllKind,
		Diagnostics: fixed,
		Edit:        edit,
	}
}

func editPath(e analyzer.Edit, def string) string {
	if e.Path == "" {
		return def
	}
	return e.Path
}

// workspaceEdit converts edits, which may touch files other than the
// document (a template), to a WorkspaceEdit: documentChanges with the open
// buffer's version (null for a file that is not open) when the client
// supports them, else changes. Nil when a file cannot be read.
func (s *server) workspaceEdit(edits []analyzer.Edit, snap snapshot, files *fileCache) *protocol.WorkspaceEdit {
	type fileEdits struct {
		uri     protocol.DocumentURI
		version *int32
		edits   []protocol.TextEdit
	}
	var order []string
	byPath := map[string]*fileEdits{}
	for _, e := range edits {
		path := editPath(e, snap.path)
		fe := byPath[path]
		if fe == nil {
			fe = &fileEdits{}
			s.mu.Lock()
			if d := s.docs[path]; d != nil {
				v := d.version
				if path == snap.path {
					v = snap.version
				}
				fe.uri, fe.version = d.uri, &v
			} else {
				fe.uri = pathToURI(path)
			}
			s.mu.Unlock()
			byPath[path] = fe
			order = append(order, path)
		}
		f := files.get(path)
		if f == nil {
			return nil
		}
		fe.edits = append(fe.edits, protocol.TextEdit{Range: mapper{f, snap.enc}.rng(e.Span), NewText: e.TextFor(f.Text)})
	}
	we := &protocol.WorkspaceEdit{}
	for _, path := range order {
		fe := byPath[path]
		if snap.caps.Workspace.WorkspaceEdit.DocumentChanges {
			we.DocumentChanges = append(we.DocumentChanges, protocol.TextDocumentEdit{
				TextDocument: protocol.OptionalVersionedTextDocumentIdentifier{
					TextDocumentIdentifier: protocol.TextDocumentIdentifier{URI: fe.uri},
					Version:                fe.version,
				},
				Edits: fe.edits,
			})
		} else {
			if we.Changes == nil {
				we.Changes = map[protocol.DocumentURI][]protocol.TextEdit{}
			}
			we.Changes[fe.uri] = fe.edits
		}
	}
	return we
}
