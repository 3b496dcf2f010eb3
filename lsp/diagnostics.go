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
// check number Check.
type diagData struct {
	Code  string `json:"code"`
	Index int    `json:"index"`
	Check uint64 `json:"check"`
}

// checkResult is one check of a document.
type checkResult struct {
	seq     uint64 // the document's check number
	gen     uint64 // the text generation checked
	version int32
	file    *source.File // the text checked
	diags   []analyzer.Diagnostic
	// conv[i] is diags[i] as published; nil when its severity is Off.
	conv      []*protocol.Diagnostic
	published []protocol.Diagnostic
}

// snapshot is what a check or a request needs of a document, taken under
// s.mu in message order.
type snapshot struct {
	doc     *document
	seq     uint64
	gen     uint64
	version int32
	file    *source.File
	path    string
	uri     protocol.DocumentURI
	ws      Workspace
	enc     source.Encoding
	locale  string
	caps    clientCaps
}

// snapshotOf returns the snapshot of an open document; false when the
// document is not open.
func (s *server) snapshotOf(uri protocol.DocumentURI) (snapshot, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	d := s.docLocked(string(uri))
	if d == nil {
		return snapshot{}, false
	}
	return s.snapshotLocked(d), true
}

func (s *server) snapshotLocked(d *document) snapshot {
	f := d.bg
	if f == nil {
		f = s.folderForLocked(d.path)
	}
	return snapshot{
		doc: d, seq: d.seq, gen: d.gen, version: d.version, file: d.file,
		path: d.path, uri: d.uri, ws: f.ws,
		enc: s.enc, locale: s.locale, caps: s.caps,
	}
}

// scheduleLocked asks for a check of d after delay, replacing any check
// asked for before (the one in flight is cancelled).
func (s *server) scheduleLocked(d *document, delay time.Duration) {
	if s.stopping || s.state != stateRunning || d.closed {
		return
	}
	d.seq++
	d.stopCheckLocked()
	seq := d.seq
	d.timer = time.AfterFunc(delay, func() { s.runCheck(d, seq) })
}

// stopCheckLocked cancels d's pending and running checks.
func (d *document) stopCheckLocked() {
	if d.timer != nil {
		d.timer.Stop()
		d.timer = nil
	}
	if d.cancel != nil {
		d.cancel()
		d.cancel = nil
	}
}

func (s *server) cancelChecksLocked() {
	for _, d := range s.docs {
		d.stopCheckLocked()
	}
	for _, d := range s.background {
		d.stopCheckLocked()
	}
	for _, t := range s.depTimers {
		t.Stop()
	}
	if s.refresh != nil {
		s.refresh.Stop()
	}
}

// runCheck checks d for check number seq, unless a later one was asked
// for, and publishes the result.
func (s *server) runCheck(d *document, seq uint64) {
	if d.bg != nil && !s.loadBackground(d) {
		return
	}
	s.mu.Lock()
	if s.stopping || s.state != stateRunning || d.closed || d.seq != seq || (d.checked != nil && d.checked.seq == seq) {
		s.mu.Unlock()
		return
	}
	ctx, cancel := context.WithCancel(s.ctx)
	d.cancel = cancel
	snap := s.snapshotLocked(d)
	s.wg.Add(1)
	s.mu.Unlock()
	defer s.wg.Done()
	defer cancel()

	select {
	case <-s.ready:
	case <-ctx.Done():
		return
	}
	select {
	case s.workers <- struct{}{}:
	case <-ctx.Done():
		return
	}
	res, err := s.check(ctx, snap)
	<-s.workers
	if err != nil {
		if ctx.Err() == nil {
			s.warnf("checking %s: %v", snap.path, err)
		}
		return
	}
	s.store(res, snap)
}

// store keeps res as the document's result and queues it for publishing,
// unless the document moved on. It reports whether res is current.
func (s *server) store(res *checkResult, snap snapshot) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	d := snap.doc
	if s.stopping || s.state != stateRunning || d.closed || d.seq != res.seq {
		return false
	}
	if d.checked != nil && d.checked.seq == res.seq {
		return true // the same check, done twice (a code action raced the timer)
	}
	d.checked = res
	if d.bg != nil {
		// A background document: no version; nothing to say when it never
		// had a finding.
		if len(res.published) == 0 && !d.shown {
			return true
		}
		d.shown = len(res.published) > 0
		s.pub.put(pubEntry{doc: d, seq: res.seq, params: publishParams{URI: d.uri, Diagnostics: res.published}})
		return true
	}
	s.pub.enqueue(d, res)
	s.scheduleRefreshLocked()
	return true
}

// currentResult returns the result of the latest check of snap's
// document, running it now if it has not finished, with the snapshot it
// was made for; nil when the text changed meanwhile. A re-check that
// starts while this one runs (a template or env file saved, the
// environment switched) makes it stale without changing the text: the
// newer check is then awaited, a few times at most.
func (s *server) currentResult(ctx context.Context, snap snapshot) (*checkResult, snapshot, error) {
	const attempts = 5
	for range attempts {
		s.mu.Lock()
		d := snap.doc
		if d.checked != nil && d.checked.seq == snap.seq {
			res := d.checked
			s.mu.Unlock()
			return res, snap, nil
		}
		s.mu.Unlock()
		// No wait for the initial configuration here: its answer is read by
		// the loop this request may be holding up.
		res, err := s.check(ctx, snap)
		if err != nil {
			return nil, snap, err
		}
		if s.store(res, snap) {
			return res, snap, nil
		}
		next, ok := s.snapshotOf(snap.uri)
		if !ok || next.doc != snap.doc || next.version != snap.version {
			return nil, snap, nil
		}
		snap = next
	}
	return nil, snap, nil
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
	res := &checkResult{seq: snap.seq, gen: snap.gen, version: snap.version, file: snap.file}
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
		pd.Data = diagData{Code: d.Code, Index: index, Check: snap.seq}
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
	seq    uint64
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
	p.put(pubEntry{doc: d, seq: res.seq, params: publishParams{URI: d.uri, Version: &v, Diagnostics: res.published}})
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
	return !e.doc.closed && e.doc.seq == e.seq
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
