package lsp

import (
	"context"
	"fmt"
	"runtime/debug"
	"strings"
	"sync"
	"time"

	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"

	"github.com/gw403/gw403-lsp/analyzer"
	"github.com/gw403/gw403-lsp/schemas/source"
)

// RuleDocURL returns the address of a rule's documentation.
func RuleDocURL(code string) string {
	return "https://github.com/gw403/gw403-lsp/blob/main/docs/rules.md#" + strings.ToLower(code)
}

// diagSource is the source of every diagnostic.
const diagSource = "gw403"

// diagData rides in Diagnostic.Data so that a code action request can find
// the diagnostic it is about: the rule code, its index in the result of
// the document's generation Check.
type diagData struct {
	Code  string `json:"code"`
	Index int    `json:"index"`
	Check uint64 `json:"check"`
}

// checkResult is one check of a document.
type checkResult struct {
	gen     uint64 // the document's generation checked
	err     error  // why the check failed; nothing else is set then
	version int32
	file    *source.File // the text checked
	diags   []analyzer.Diagnostic
	// conv[i] is diags[i] as published; nil when its severity is Off.
	conv      []*protocol.Diagnostic
	published []protocol.Diagnostic
}

// check runs the analyzer on one document and converts its findings.
func (s *server) check(ctx context.Context, snap snapshot) (*checkResult, error) {
	start := time.Now()
	diags, err := safely(func() ([]analyzer.Diagnostic, error) { return snap.ws.Check(ctx, snap.path) })
	if err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	res := &checkResult{gen: snap.gen, version: snap.version, file: snap.file}
	for _, d := range diags {
		if d.Path == "" || d.Path == snap.path {
			res.diags = append(res.diags, d)
		}
	}
	files := s.newFileCache()
	files.files[snap.path] = snap.file
	m := mapper{snap.file, snap.enc}
	res.conv = make([]*protocol.Diagnostic, len(res.diags))
	res.published = make([]protocol.Diagnostic, 0, len(res.diags))
	for i, d := range res.diags {
		pd := toProtocol(d, i, snap, m, files)
		if pd == nil {
			continue
		}
		res.conv[i] = pd
		res.published = append(res.published, *pd)
	}
	s.tracef("checked %s (version %d): %d diagnostics in %v", snap.path, snap.version, len(res.published), time.Since(start).Round(time.Microsecond))
	return res, nil
}

// safely calls an analyzer method, turning a panic into an error (with
// the stack, for the log) so that one bad file never takes the server
// down.
func safely[T any](f func() (T, error)) (v T, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("analyzer panic: %v\n%s", p, debug.Stack())
		}
	}()
	return f()
}

// severity maps an analyzer severity to LSP's; 0 for Off.
func severity(s analyzer.Severity) protocol.DiagnosticSeverity {
	switch s {
	case analyzer.Error:
		return protocol.DiagnosticSeverityError
	case analyzer.Warning:
		return protocol.DiagnosticSeverityWarning
	case analyzer.Info:
		return protocol.DiagnosticSeverityInformation
	}
	return 0
}

// message is the diagnostic text in the client's language, with the answer
// API Gateway is predicted to give.
func message(d analyzer.Diagnostic, locale string) string {
	msg := d.Message.In(locale)
	switch {
	case d.ErrorType != "" && d.Status != 0:
		msg += fmt.Sprintf(" (%d %s)", d.Status, d.ErrorType)
	case d.ErrorType != "":
		msg += " (" + d.ErrorType + ")"
	}
	return msg
}

// toProtocol converts diagnostic number index of a check; nil when it is
// switched off.
func toProtocol(d analyzer.Diagnostic, index int, snap snapshot, m mapper, files *fileCache) *protocol.Diagnostic {
	sev := severity(d.Severity)
	if sev == 0 {
		return nil
	}
	pd := &protocol.Diagnostic{
		Range:    m.rng(d.Span),
		Severity: sev,
		Source:   diagSource,
		Message:  message(d, snap.locale),
	}
	if d.Code != "" {
		pd.Code = d.Code
		pd.CodeDescription = &protocol.CodeDescription{Href: uri.URI(RuleDocURL(d.Code))}
	}
	for _, r := range d.Related {
		path := r.Path
		if path == "" {
			path = snap.path
		}
		f := files.get(path)
		if f == nil {
			continue
		}
		pd.RelatedInformation = append(pd.RelatedInformation, protocol.DiagnosticRelatedInformation{
			Location: protocol.Location{URI: files.uri(path), Range: mapper{f, snap.enc}.rng(r.Span)},
			Message:  r.Message.In(snap.locale),
		})
	}
	if len(d.Fixes) > 0 {
		pd.Data = diagData{Code: d.Code, Index: index, Check: snap.gen}
	}
	return pd
}

// publishParams is PublishDiagnosticsParams with a signed, optional version
// (protocol v0.12.0 has an unsigned one that omits 0).
type publishParams struct {
	URI         protocol.DocumentURI  `json:"uri"`
	Version     *int32                `json:"version,omitempty"`
	Diagnostics []protocol.Diagnostic `json:"diagnostics"`
}

// publisher sends diagnostics and log messages to the client from one
// goroutine. Diagnostics are coalesced per URI, latest wins, so a client
// that does not read costs one pending entry per document, not one per edit.
type publisher struct {
	s       *server
	mu      sync.Mutex // guards pending, order, logs, dropped
	pending map[protocol.DocumentURI]pubEntry
	order   []protocol.DocumentURI // URIs of pending, oldest first
	logs    []protocol.LogMessageParams
	dropped int // log messages dropped since the last one sent
	wake    chan struct{}
}

// maxLogs bounds the queue of log messages.
const maxLogs = 64

type pubEntry struct {
	doc    *document // nil: clear the URI's diagnostics
	gen    uint64
	params publishParams
}

func newPublisher(s *server) *publisher {
	return &publisher{s: s, pending: map[protocol.DocumentURI]pubEntry{}, wake: make(chan struct{}, 1)}
}

func (p *publisher) put(e pubEntry) {
	p.mu.Lock()
	if _, ok := p.pending[e.params.URI]; !ok {
		p.order = append(p.order, e.params.URI)
	}
	p.pending[e.params.URI] = e
	p.mu.Unlock()
	p.poke()
}

func (p *publisher) poke() {
	select {
	case p.wake <- struct{}{}:
	default:
	}
}

// enqueue queues a check result of d (caller holds s.mu).
func (p *publisher) enqueue(d *document, res *checkResult) {
	v := res.version
	p.put(pubEntry{doc: d, gen: res.gen, params: publishParams{URI: d.uri, Version: &v, Diagnostics: res.published}})
}

// clear queues an empty list for u.
func (p *publisher) clear(u protocol.DocumentURI) {
	p.put(pubEntry{params: publishParams{URI: u, Diagnostics: []protocol.Diagnostic{}}})
}

// log queues a window/logMessage; beyond maxLogs pending ones, messages are
// dropped (and counted).
func (p *publisher) log(typ protocol.MessageType, msg string) {
	p.mu.Lock()
	if len(p.logs) >= maxLogs {
		p.dropped++
		p.mu.Unlock()
		return
	}
	p.logs = append(p.logs, protocol.LogMessageParams{Type: typ, Message: msg})
	p.mu.Unlock()
	p.poke()
}

// next pops the next message to send.
func (p *publisher) next() (method string, params any, entry *pubEntry) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if len(p.logs) > 0 {
		l := p.logs[0]
		p.logs = p.logs[1:]
		if len(p.logs) == 0 {
			p.logs = nil
		}
		if p.dropped > 0 {
			l.Message += fmt.Sprintf(" (%d more messages dropped)", p.dropped)
			p.dropped = 0
		}
		return protocol.MethodWindowLogMessage, l, nil
	}
	if len(p.order) == 0 {
		return "", nil, nil
	}
	u := p.order[0]
	p.order = p.order[1:]
	if len(p.order) == 0 {
		p.order = nil
	}
	e := p.pending[u]
	delete(p.pending, u)
	return protocol.MethodTextDocumentPublishDiagnostics, e.params, &e
}

// current reports whether a queued entry still describes the document.
func (p *publisher) current(e *pubEntry) bool {
	s := p.s
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.stopping || s.state != stateRunning {
		return false
	}
	if e.doc == nil {
		return true
	}
	return !e.doc.closed && e.doc.gen == e.gen
}

func (p *publisher) run(ctx context.Context) {
	for {
		select {
		case <-ctx.Done():
			return
		case <-p.wake:
		}
		for ctx.Err() == nil {
			method, params, entry := p.next()
			if method == "" {
				break
			}
			if entry != nil && !p.current(entry) {
				continue
			}
			if err := p.s.stream.notify(method, params); err != nil {
				if ctx.Err() == nil {
					p.s.logf("sending %s: %v", method, err)
				}
			}
		}
	}
}
