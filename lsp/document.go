package lsp

import (
	"context"
	"time"

	"go.lsp.dev/protocol"

	"github.com/gw403/gw403-lsp/schemas/source"
)

// document is a file the server checks: an open editor buffer (server.docs)
// or a request file that is not open (server.background,
// workspace_diags.go). Its fields are guarded by server.mu. The handlers
// of documents.go set its text and version; its checks and its result
// change only in this file, in this order:
//
//   - didOpen makes it, checkDependents makes a background one;
//   - every change of what its findings depend on (its text, a file it
//     depends on, the options, a save) starts a new generation
//     (scheduleLocked): the check of the old one is cancelled, its result
//     goes stale, and the check of the new one runs after the debounce,
//     or at once when a request needs the result (resultOf);
//   - a check keeps its result, tagged with the generation it ran on, only
//     while it is still the document's check in flight: a newer
//     generation, close or shutdown cancels it;
//   - didClose (or the file's deletion, for a background document) closes
//     it: no check runs, no result is kept and nothing of it is published
//     afterwards. Opening the file again makes a new document.
type document struct {
	uri     protocol.DocumentURI // as the client spelled it
	path    string
	version int32
	file    *source.File // the text; replaced on every change, never mutated
	closed  bool

	// gen is the generation: numbered from the server's count, so a
	// number never comes back, even for a file closed and opened again.
	gen    uint64
	timer  *time.Timer   // the debounce before the check of gen
	check  *check        // the check in flight, of generation check.gen
	result *checkResult  // the latest result kept; current when result.gen == gen
	wake   chan struct{} // closed at the next change of gen, result or closed; made by a waiter

	// A background document is a request file that is not open, checked
	// because a file it depends on changed (workspace_diags.go): bg is the
	// workspace that asked, shown whether it has published findings. bg is
	// set once, before the first check, which reads it without the lock.
	bg    *folder
	shown bool
}

// check is a check in flight.
type check struct {
	gen    uint64
	cancel context.CancelFunc
	queued bool // waiting for the initial configuration or a worker
}

// snapshot is what a check or a request needs of a document, taken under
// s.mu in message order.
type snapshot struct {
	doc     *document
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
		doc: d, gen: d.gen, version: d.version, file: d.file,
		path: d.path, uri: d.uri, ws: f.ws,
		enc: s.enc, locale: s.locale, caps: s.caps,
	}
}

// changedSince reports whether the document's text changed after snap.
func (s *server) changedSince(snap snapshot) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return snap.doc.file != snap.file
}

func (d *document) setText(text string) { d.file = source.NewFile(d.path, text) }

// scheduleLocked starts a new generation of d and schedules its check
// after delay; the check of the old generation, pending or running, is
// cancelled.
func (s *server) scheduleLocked(d *document, delay time.Duration) {
	if s.stopping || s.state != stateRunning || d.closed {
		return
	}
	s.gens++
	d.gen = s.gens
	d.stopCheckLocked()
	d.wakeLocked()
	gen := d.gen
	d.timer = time.AfterFunc(delay, func() {
		s.mu.Lock()
		defer s.mu.Unlock()
		if d.gen == gen && d.check == nil && !d.currentLocked() {
			d.timer = nil
			s.startCheckLocked(d, false)
		}
	})
}

// currentLocked reports whether d's result is of its latest generation.
func (d *document) currentLocked() bool { return d.result != nil && d.result.gen == d.gen }

// stopCheckLocked stops d's debounce timer and cancels its check in flight.
func (d *document) stopCheckLocked() {
	if d.timer != nil {
		d.timer.Stop()
		d.timer = nil
	}
	if d.check != nil {
		d.check.cancel()
		d.check = nil
	}
}

// wakeLocked wakes the requests waiting for d's result (resultOf).
func (d *document) wakeLocked() {
	if d.wake != nil {
		close(d.wake)
		d.wake = nil
	}
}

// closeLocked ends d: nothing of it is checked, kept or published after.
func (d *document) closeLocked() {
	d.closed = true
	d.stopCheckLocked()
	d.wakeLocked()
}

// cancelChecksLocked stops every check; the session is ending.
func (s *server) cancelChecksLocked() {
	for _, docs := range []map[string]*document{s.docs, s.background} {
		for _, d := range docs {
			d.stopCheckLocked()
			d.wakeLocked()
		}
	}
	for _, t := range s.depTimers {
		t.Stop()
	}
	if s.refresh != nil {
		s.refresh.Stop()
	}
}

// startCheckLocked starts the check of d's generation, cancelling the one
// in flight. A scheduled check waits for the initial configuration and for
// a free worker; one a request waits for (urgent) does not: the request
// may hold up the loop that reads the answer to workspace/configuration.
func (s *server) startCheckLocked(d *document, urgent bool) {
	d.stopCheckLocked()
	ctx, cancel := context.WithCancel(s.ctx)
	c := &check{gen: d.gen, cancel: cancel, queued: !urgent}
	d.check = c
	if !s.spawnLocked(func() { s.runCheck(ctx, d, c, urgent) }) {
		d.check = nil
		cancel()
	}
}

// runCheck runs check c of d and keeps its result, unless c is no longer
// d's check in flight.
func (s *server) runCheck(ctx context.Context, d *document, c *check, urgent bool) {
	defer c.cancel()
	if !urgent {
		select {
		case <-s.ready:
		case <-ctx.Done():
			return
		}
		select {
		case s.workers <- struct{}{}:
			defer func() { <-s.workers }()
		case <-ctx.Done():
			return
		}
	}
	if d.bg != nil && !s.loadBackground(d) {
		return
	}
	s.mu.Lock()
	if d.check != c {
		s.mu.Unlock()
		return
	}
	c.queued = false
	snap := s.snapshotLocked(d)
	s.mu.Unlock()
	res, err := s.check(ctx, snap)

	s.mu.Lock()
	defer s.mu.Unlock()
	if d.check != c {
		return
	}
	d.check = nil
	if ctx.Err() != nil || s.stopping || s.state != stateRunning {
		return // the session is ending
	}
	if err != nil {
		s.warnf("checking %s: %v", snap.path, err)
		res = &checkResult{gen: c.gen, err: err}
	}
	d.result = res
	d.wakeLocked()
	if err == nil {
		s.publishLocked(d, res)
	}
}

// publishLocked queues d's result for the client.
func (s *server) publishLocked(d *document, res *checkResult) {
	if d.bg != nil {
		// A background document: no version; nothing to say when it never
		// had a finding.
		if len(res.published) == 0 && !d.shown {
			return
		}
		d.shown = len(res.published) > 0
		s.pub.put(pubEntry{doc: d, gen: res.gen, params: publishParams{URI: d.uri, Diagnostics: res.published}})
		return
	}
	s.pub.enqueue(d, res)
	s.scheduleRefreshLocked()
}

// checkNowLocked makes sure the check of d's generation runs: one only
// scheduled, or still queued, starts again at once, urgent.
func (s *server) checkNowLocked(d *document) {
	if d.check == nil || d.check.queued {
		s.startCheckLocked(d, true)
	}
}

// resultOf returns the result of the latest generation of snap's document,
// starting its check at once if it is only scheduled and waiting for it,
// whatever generations come meanwhile, until ctx ends; nil when the text
// is no longer snap's (or the document closed, or the session ended).
func (s *server) resultOf(ctx context.Context, snap snapshot) (*checkResult, error) {
	d := snap.doc
	s.mu.Lock()
	defer s.mu.Unlock()
	for {
		if s.stopping || s.state != stateRunning || d.closed || d.file != snap.file {
			return nil, nil
		}
		if d.currentLocked() {
			return d.result, d.result.err
		}
		s.checkNowLocked(d)
		if d.wake == nil {
			d.wake = make(chan struct{})
		}
		wake := d.wake
		s.mu.Unlock()
		select {
		case <-wake:
		case <-ctx.Done():
		}
		s.mu.Lock()
		if err := ctx.Err(); err != nil {
			return nil, err
		}
	}
}
