package workspace

import (
	"context"
	"path/filepath"
	"runtime"
	"sync"
	"sync/atomic"

	"github.com/gw403/gw403-lsp/analyzer"
	"github.com/gw403/gw403-lsp/analyzer/link"
	"github.com/gw403/gw403-lsp/analyzer/msg"
	"github.com/gw403/gw403-lsp/schemas/env"
	"github.com/gw403/gw403-lsp/schemas/httpfile"
	"github.com/gw403/gw403-lsp/schemas/source"
)

// httpData returns the parsed request file at path with the environments
// that apply to it, from the cache when the text is unchanged.
func (w *Workspace) httpData(snap *link.Snapshot, path string, src *source.File) *link.FileData {
	w.mu.Lock()
	if fd := w.httpCache[path]; fd != nil && fd.Src.Text == src.Text {
		w.mu.Unlock()
		return fd
	}
	w.mu.Unlock()
	fd := link.NewRequestFile(path, src)
	fd.HTTP = httpfile.Parse(src)
	for _, p := range fd.HTTP.Problems {
		fd.Problems = append(fd.Problems, link.Problem{Span: p.Span, Message: p.Message})
	}
	var extra []string
	if snap.Config != nil && snap.Config.Environment != "" {
		extra = append(extra, snap.Config.Environment)
	}
	if e := w.Options().Env; e != "" {
		extra = append(extra, e)
	}
	set, _ := env.BuildSet(path, w.root, w.lookupSource, extra...)
	fd.EnvSet = set
	fd.EnvNames = set.Names()
	w.mu.Lock()
	if w.snap == snap { // not from a snapshot invalidated meanwhile
		w.httpCache[path] = fd
	}
	w.mu.Unlock()
	return fd
}

// lookupSource reads a file for the env package (nil when absent).
func (w *Workspace) lookupSource(path string) *source.File {
	path = filepath.FromSlash(path)
	w.mu.Lock()
	defer w.mu.Unlock()
	text, err := w.readLocked(path)
	if err != nil {
		return nil
	}
	return source.NewFile(path, text)
}

// RequestFile returns the request file src parsed with its environments
// in snap, and the environments its requests are checked in; nil when src
// is not a request file.
func (w *Workspace) RequestFile(snap *link.Snapshot, src *source.File) (fd *link.FileData, envs []string) {
	if kind, _ := classifyName(src.Path); kind != link.KindHTTP {
		return nil, nil
	}
	fd = w.httpData(snap, src.Path, src)
	return fd, w.envsFor(snap, fd)
}

// envsFor returns the environments request rules evaluate a file in.
func (w *Workspace) envsFor(snap *link.Snapshot, fd *link.FileData) []string {
	if e := w.Options().Env; e != "" {
		return []string{e}
	}
	if snap.Config != nil && snap.Config.Environment != "" {
		return []string{snap.Config.Environment}
	}
	if len(fd.EnvNames) == 0 {
		return []string{""}
	}
	return fd.EnvNames
}

// checkHTTP runs the request and file rules on a request file.
func (w *Workspace) checkHTTP(ctx context.Context, snap *link.Snapshot, path string, src *source.File) ([]analyzer.Diagnostic, link.LinkCounts) {
	fd := w.httpData(snap, path, src)
	if fd.HTTP.Binary {
		return w.runFileRules(ctx, snap, fd), link.LinkCounts{}
	}
	var diags []analyzer.Diagnostic
	rules := w.activeRules(snap, analyzer.RequestScope)
	envs := w.envsFor(snap, fd)
	reqs := fd.HTTP.Requests
	var reuse *reqReuse // nil unless the file will be checked again
	if w.Options().Recheck {
		reuse = w.openReqCache(snap, fd, envs)
	}
	perReq := make([][]analyzer.Diagnostic, len(reqs))
	links := make([]link.State, len(reqs))
	checkOne := func(i int) {
		if reuse != nil && reuse.lookup(i, perReq, links) {
			return
		}
		perReq[i], links[i] = w.checkRequest(snap, fd, reqs[i], envs, rules)
		if reuse != nil {
			reuse.keep(i, perReq[i], links[i])
		}
	}
	// Three independent pieces of work on the parsed file run side by
	// side: the requests (on every core they get), the file rules, and
	// the suppression comments that finish applies.
	var sups []suppression
	jobs := []func(){
		func() { parallel(ctx, len(reqs), parallelChunk, checkOne) },
		func() { diags = w.runFileRules(ctx, snap, fd) },
		func() { sups = suppressions(src) },
	}
	parallel(ctx, len(jobs), 1, func(i int) { jobs[i]() })
	if ctx.Err() != nil {
		return nil, link.LinkCounts{}
	}
	fd.Memo(supsKey{}, func() any { return sups })
	var counts link.LinkCounts
	for _, l := range links {
		counts.Count(l)
	}
	// A GW001 of the requests (a variable past a limit of expansion, a
	// rule that failed) is said once per file, at its first place: 10,000
	// requests that use one hostile variable get one finding.
	var said map[findingKey]bool
	for _, ds := range perReq {
		for _, d := range ds {
			if d.Code == analyzer.ParseError.Code {
				if said == nil {
					said = map[findingKey]bool{}
				}
				k := keyOf(d)
				k.span = source.Span{}
				if said[k] {
					continue
				}
				said[k] = true
			}
			diags = append(diags, d)
		}
	}
	if reuse != nil {
		w.closeReqCache(snap, reuse)
	}
	return diags, counts
}

// parallelChunk is how many requests a worker takes at a time when a
// request file is checked in parallel.
const parallelChunk = 32

// parallel calls f(i) for i in [0, n), on up to GOMAXPROCS goroutines
// that take chunk items at a time; with fewer than two chunks of work it
// runs on the caller's goroutine. It returns when every call has returned,
// and stops handing out work once ctx is done. A panic in f is re-raised
// on the caller's goroutine (where the language server's recovery is),
// after the other workers stopped.
func parallel(ctx context.Context, n, chunk int, f func(i int)) {
	workers := min(runtime.GOMAXPROCS(0), n/chunk)
	if workers <= 1 {
		for i := 0; i < n && ctx.Err() == nil; i++ {
			f(i)
		}
		return
	}
	var (
		next     atomic.Int64
		wg       sync.WaitGroup
		panicked atomic.Value
	)
	for k := 0; k < workers; k++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() {
				if p := recover(); p != nil {
					panicked.CompareAndSwap(nil, panicValue{p})
				}
			}()
			for panicked.Load() == nil && ctx.Err() == nil {
				start := int(next.Add(int64(chunk))) - chunk
				if start >= n {
					return
				}
				for i := start; i < min(start+chunk, n); i++ {
					f(i)
				}
			}
		}()
	}
	wg.Wait()
	if p, ok := panicked.Load().(panicValue); ok {
		panic(p.v)
	}
}

// panicValue wraps a recovered value for atomic.Value (which needs one
// concrete type).
type panicValue struct{ v any }

// activeRules returns the rules of a scope that the options and the
// configuration leave enabled.
func (w *Workspace) activeRules(snap *link.Snapshot, scope analyzer.Scope) []*analyzer.Rule {
	opts := w.Options()
	var out []*analyzer.Rule
	for _, r := range analyzer.Rules() {
		if r.Scope == scope && r.Run != nil && w.enabled(snap, opts, r) {
			if sev, ok := w.severity(snap, opts, r.Code); ok && sev == analyzer.Off {
				continue
			}
			out = append(out, r)
		}
	}
	return out
}

// checkRequest evaluates one request in each environment and merges the
// findings: one finding per distinct outcome, naming the environments it
// was seen in when the request depends on them.
func (w *Workspace) checkRequest(snap *link.Snapshot, fd *link.FileData, req *httpfile.Request, envs []string, rules []*analyzer.Rule) ([]analyzer.Diagnostic, link.State) {
	// One pass for the request, handed to each rule in turn and pointed
	// at each environment's context: a rule does not keep its pass after
	// Run returns.
	st := &found{}
	st.pass = analyzer.Pass{Snap: snap, Emit: st.add}
	pass := &st.pass
	dependent := false
	state := link.StateUnset
	for i, e := range envs {
		rc := link.BuildRequestContext(snap, fd, req, e)
		state = state.With(rc)
		if i == 0 {
			dependent = rc.EnvDependent
		}
		st.env, pass.Request = e, rc
		for _, r := range rules {
			if !r.Standalone && rc.Link == nil {
				continue
			}
			pass.Rule = r
			runRule(r, pass)
		}
		for i, o := range rc.Overflows {
			// One finding per variable too large; one for each budget of
			// the request (what follows the first is unresolved too).
			dup := false
			for _, p := range rc.Overflows[:i] {
				dup = dup || p.Limit == o.Limit && (p.Name == o.Name || o.Limit != env.LimitValue)
			}
			if !dup {
				st.add(overflowDiagnostic(rc, o))
			}
		}
		if !dependent {
			break // the outcome is the same in every environment
		}
	}
	order := st.order
	out := make([]analyzer.Diagnostic, 0, len(order))
	for _, s := range order {
		d := s.d
		// Name the environments when the outcome depends on them: a finding
		// seen in only some of several environments, or in the one
		// environment the request was evaluated with.
		if dependent && !(len(s.envs) == 1 && s.envs[0] == "") && (len(envs) == 1 || len(s.envs) < len(envs)) {
			d.Envs = s.envs
		}
		out = append(out, d)
	}
	return out, state
}

// maxLinearFindings is how many findings of one request checkRequest
// compares one by one before it indexes them by key.
const maxLinearFindings = 16

// seen is a finding of a request with the environments it was seen in.
type seen struct {
	key  findingKey
	d    analyzer.Diagnostic
	envs []string
}

// found collects a request's findings over its environments, in order;
// its pass reports into it.
type found struct {
	pass   analyzer.Pass
	env    string // the environment being evaluated
	order  []seen
	merged map[findingKey][]int // indexes into order by key, once there are many findings
}

// add records a finding in environment st.env. The same finding in
// another environment is one finding, whose fixes edit every
// environment's value (an env file holds one value per environment).
func (st *found) add(d analyzer.Diagnostic) {
	k := keyOf(d)
	merge := func(j int) bool {
		s := &st.order[j]
		if s.key != k {
			return false
		}
		fixes, ok := mergeFixes(s.d.Fixes, d.Fixes)
		if ok {
			s.d.Fixes = fixes
			s.envs = append(s.envs, st.env)
		}
		return ok
	}
	if st.merged != nil {
		for _, j := range st.merged[k] {
			if merge(j) {
				return
			}
		}
	} else {
		for j := range st.order {
			if merge(j) {
				return
			}
		}
	}
	st.order = append(st.order, seen{key: k, d: d, envs: []string{st.env}})
	switch {
	case st.merged != nil:
		st.merged[k] = append(st.merged[k], len(st.order)-1)
	case len(st.order) > maxLinearFindings:
		st.merged = make(map[findingKey][]int, len(st.order))
		for j, s := range st.order {
			st.merged[s.key] = append(st.merged[s.key], j)
		}
	}
}

// runRule runs a rule, turning a panic into an internal-error finding
// rather than taking the process down.
func runRule(r *analyzer.Rule, pass *analyzer.Pass) {
	defer func() {
		if p := recover(); p != nil {
			path := ""
			switch {
			case pass.Request != nil:
				path = pass.Request.Path
			case pass.File != nil:
				path = pass.File.Path
			}
			pass.Emit(analyzer.Diagnostic{Path: path, Code: "GW001", Slug: "parse-error", Severity: analyzer.Warning,
				Message: msg.T("internal error in rule %s: %v (please report it)", "ルール %s の内部エラー: %v（報告してください）", r.Code, p)})
		}
	}()
	if err := r.Run(pass); err != nil {
		path := ""
		if pass.Request != nil {
			path = pass.Request.Path
		} else if pass.File != nil {
			path = pass.File.Path
		}
		pass.Emit(analyzer.Diagnostic{Path: path, Code: "GW001", Slug: "parse-error", Severity: analyzer.Warning,
			Message: msg.T("rule %s failed: %v", "ルール %s が失敗しました: %v", r.Code, err)})
	}
}

// findingKey identifies a finding for merging across environments: the
// same rule, place and message. Fixes are merged by mergeFixes.
type findingKey struct {
	code, path string
	span       source.Span
	message    string
}

func keyOf(d analyzer.Diagnostic) findingKey {
	return findingKey{code: d.Code, path: d.Path, span: d.Span, message: d.Message.EN}
}

// mergeFixes merges the fixes of the same finding seen in two
// environments: fix by fix, with the same titles, the union of their
// edits (a fix that edits an env file edits each environment's value).
// ok is false when the fixes differ in number or titles, or when their
// edits would overlap: the findings then stay apart.
func mergeFixes(a, b []analyzer.Fix) ([]analyzer.Fix, bool) {
	if len(a) != len(b) {
		return nil, false
	}
	out := make([]analyzer.Fix, len(a))
	for i := range a {
		if a[i].Title != b[i].Title {
			return nil, false
		}
		f := a[i]
		f.Edits = append([]analyzer.Edit(nil), a[i].Edits...)
	edits:
		for _, e := range b[i].Edits {
			for _, o := range f.Edits {
				if o == e {
					continue edits
				}
				if o.Path == e.Path && o.Overlaps(e) {
					return nil, false
				}
			}
			f.Edits = append(f.Edits, e)
		}
		f.Safe = a[i].Safe && b[i].Safe
		f.Preferred = a[i].Preferred && b[i].Preferred
		out[i] = f
	}
	return out, true
}

// runFileRules runs the FileScope rules for fd's kind.
func (w *Workspace) runFileRules(ctx context.Context, snap *link.Snapshot, fd *link.FileData) []analyzer.Diagnostic {
	var out []analyzer.Diagnostic
	for _, r := range w.activeRules(snap, analyzer.FileScope) {
		if !kindIn(fd.Kind, r.Kinds) {
			continue
		}
		pass := &analyzer.Pass{Rule: r, Snap: snap, File: fd}
		pass.Emit = func(d analyzer.Diagnostic) { out = append(out, d) }
		runRule(r, pass)
	}
	return out
}

func kindIn(k link.FileKind, kinds []link.FileKind) bool {
	for _, x := range kinds {
		if x == k {
			return true
		}
	}
	return false
}

// templateDiags returns the TemplateScope findings located in path,
// running the template rules once per snapshot.
func (w *Workspace) templateDiags(ctx context.Context, snap *link.Snapshot, path string) []analyzer.Diagnostic {
	w.mu.Lock()
	if w.snap == snap && w.tmplDiags != nil {
		d := w.tmplDiags[path]
		w.mu.Unlock()
		return d
	}
	w.mu.Unlock()
	by := map[string][]analyzer.Diagnostic{}
	for _, r := range w.activeRules(snap, analyzer.TemplateScope) {
		pass := &analyzer.Pass{Rule: r, Snap: snap}
		pass.Emit = func(d analyzer.Diagnostic) { by[d.Path] = append(by[d.Path], withCDKPath(snap, d)) }
		runRule(r, pass)
	}
	w.mu.Lock()
	if w.snap == snap {
		w.tmplDiags = by
	}
	w.mu.Unlock()
	return by[path]
}

// overflowDiagnostic is the GW001 finding of a reference left unresolved
// at a limit of expansion: at the variable's definition when the request
// file defines it (one finding however many requests use it), else at the
// reference.
func overflowDiagnostic(rc *link.RequestContext, o env.Overflow) analyzer.Diagnostic {
	d := analyzer.Diagnostic{Path: rc.Path, Code: analyzer.ParseError.Code, Slug: analyzer.ParseError.Slug, Severity: analyzer.Warning, Span: o.Ref.Span}
	local := (o.Origin.Kind == env.SourceFileVar || o.Origin.Kind == env.SourceRequestVar) && o.Origin.NameSpan.Len() > 0
	limit := o.Limit.String()
	switch {
	case o.Limit == env.LimitRequest:
		d.Message = msg.T("{{%s}} is left unresolved: the variables of this request expand past the limit of %s",
			"{{%s}} は未解決のままです: このリクエストの変数の展開が上限（%s）を超えます", o.Name, limit)
	case local:
		d.Span = o.Origin.NameSpan
		d.Message = msg.T("the value of %s expands past the limit of %s: it is left unresolved in the requests that use it",
			"%s の値の展開が上限（%s）を超えます: これを使うリクエストでは未解決として扱います", o.Name, limit)
	case o.Origin.Kind != env.SourceNone:
		d.Message = msg.T("{{%s}} is left unresolved: its value (%s) expands past the limit of %s",
			"{{%s}} は未解決のままです: 値（%s）の展開が上限（%s）を超えます", o.Name, o.Origin.Short(), limit)
	default:
		d.Message = msg.T("{{%s}} is left unresolved: its value expands past the limit of %s",
			"{{%s}} は未解決のままです: 値の展開が上限（%s）を超えます", o.Name, limit)
	}
	return d
}
