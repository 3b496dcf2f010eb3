package analyzer

import (
	"context"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/gw403/gw403-lsp/schemas/env"
	"github.com/gw403/gw403-lsp/schemas/httpfile"
	"github.com/gw403/gw403-lsp/schemas/source"
)

// httpData returns the parsed request file at path with the environments
// that apply to it, from the cache when the text is unchanged.
func (w *Workspace) httpData(snap *Snapshot, path string, src *source.File) *FileData {
	w.mu.Lock()
	if fd := w.httpCache[path]; fd != nil && fd.Src.Text == src.Text {
		w.mu.Unlock()
		return fd
	}
	w.mu.Unlock()
	fd := &FileData{Path: path, Kind: KindHTTP, Src: src}
	fd.HTTP = httpfile.Parse(src)
	for _, p := range fd.HTTP.Problems {
		fd.ext.Problems = append(fd.ext.Problems, Problem{p.Span, p.Message})
	}
	var extra []string
	if snap.Config != nil && snap.Config.Environment != "" {
		extra = append(extra, snap.Config.Environment)
	}
	if e := w.Options().Env; e != "" {
		extra = append(extra, e)
	}
	set, _ := env.BuildSet(path, w.root, w.lookupSource, extra...)
	fd.ext.EnvSet = set
	fd.ext.EnvNames = set.Names()
	// Every request asks for the variable names of its environment: they
	// are collected once, for each environment the file is evaluated in.
	fd.ext.varNames = map[string][]string{}
	for _, e := range append(append([]string{""}, fd.ext.EnvNames...), extra...) {
		if _, ok := fd.ext.varNames[e]; !ok {
			fd.ext.varNames[e] = collectVarNames(fd, e)
		}
	}
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

// envsFor returns the environments request rules evaluate a file in.
func (w *Workspace) envsFor(snap *Snapshot, fd *FileData) []string {
	if e := w.Options().Env; e != "" {
		return []string{e}
	}
	if snap.Config != nil && snap.Config.Environment != "" {
		return []string{snap.Config.Environment}
	}
	if len(fd.ext.EnvNames) == 0 {
		return []string{""}
	}
	return fd.ext.EnvNames
}

// checkHTTP runs the request and file rules on a request file.
func (w *Workspace) checkHTTP(ctx context.Context, snap *Snapshot, path string, src *source.File) ([]Diagnostic, LinkCounts) {
	fd := w.httpData(snap, path, src)
	if fd.HTTP.Binary {
		return w.runFileRules(ctx, snap, fd), LinkCounts{}
	}
	var diags []Diagnostic
	rules := w.activeRules(snap, RequestScope)
	envs := w.envsFor(snap, fd)
	reqs := fd.HTTP.Requests
	fileCtx := fileContext(fd, envs)
	w.mu.Lock()
	if w.reqCacheSnap != snap {
		w.reqCache, w.reqCacheSnap = map[string]fileReqs{}, snap
	}
	var old map[string]cachedReq
	if c := w.reqCache[path]; c.file == fileCtx {
		old = c.byText
	}
	w.mu.Unlock()
	perReq := make([][]Diagnostic, len(reqs))
	keys := make([]string, len(reqs))
	fresh := make([]cachedReq, len(reqs)) // to keep where isFresh
	isFresh := make([]bool, len(reqs))
	links := make([]linkState, len(reqs))
	diags = w.runFileRules(ctx, snap, fd)
	parallel(ctx, len(reqs), parallelChunk, func(i int) {
		r := reqs[i]
		// A request's region runs to the next request: a fix may insert at
		// the blank line after its headers.
		start, end := reqStart(r), len(src.Text)
		if i+1 < len(reqs) {
			end = reqStart(reqs[i+1])
		}
		end = max(end, r.Span.End)
		keys[i] = src.Text[start:end]
		if c, ok := old[keys[i]]; ok {
			perReq[i] = c.at(fd, start)
			fresh[i], isFresh[i] = c, true
			links[i] = c.link
			return
		}
		perReq[i], links[i] = w.checkRequest(snap, fd, r, envs, rules)
		if c, ok := toCache(perReq[i], fd, source.Span{Start: start, End: end}); ok {
			c.link = links[i]
			fresh[i], isFresh[i] = c, true
		}
	})
	if ctx.Err() != nil {
		return nil, LinkCounts{}
	}
	var counts LinkCounts
	for _, l := range links {
		counts.add(l)
	}
	next := make(map[string]cachedReq, len(reqs))
	// A GW001 of the requests (a variable past a limit of expansion, a
	// rule that failed) is said once per file, at its first place: 10,000
	// requests that use one hostile variable get one finding.
	var said map[findingKey]bool
	for i, ds := range perReq {
		for _, d := range ds {
			if d.Code == ParseError.Code {
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
		if isFresh[i] {
			next[keys[i]] = fresh[i]
		}
	}
	w.mu.Lock()
	if w.reqCacheSnap == snap {
		w.reqCache[path] = fileReqs{file: fileCtx, byText: next}
	}
	w.mu.Unlock()
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
func (w *Workspace) activeRules(snap *Snapshot, scope Scope) []*Rule {
	opts := w.Options()
	var out []*Rule
	for _, r := range Rules() {
		if r.Scope == scope && r.Run != nil && w.enabled(snap, opts, r) {
			if sev, ok := w.severity(snap, opts, r.Code); ok && sev == Off {
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
func (w *Workspace) checkRequest(snap *Snapshot, fd *FileData, req *httpfile.Request, envs []string, rules []*Rule) ([]Diagnostic, linkState) {
	st := &found{}
	dependent := false
	link := linkUnset
	for i, e := range envs {
		rc := BuildRequestContext(snap, fd, req, e)
		link = link.with(rc)
		if i == 0 {
			dependent = rc.envDependent
		}
		// One pass per environment, handed to each rule in turn: a rule
		// does not keep its pass after Run returns.
		st.env = e
		pass := &Pass{Snap: snap, Request: rc, report: st.add}
		for _, r := range rules {
			if !r.Standalone && rc.Link == nil {
				continue
			}
			pass.Rule = r
			runRule(r, pass)
		}
		for i, o := range rc.overflows {
			// One finding per variable too large; one for each budget of
			// the request (what follows the first is unresolved too).
			dup := false
			for _, p := range rc.overflows[:i] {
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
	out := make([]Diagnostic, 0, len(order))
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
	return out, link
}

// maxLinearFindings is how many findings of one request checkRequest
// compares one by one before it indexes them by key.
const maxLinearFindings = 16

// seen is a finding of a request with the environments it was seen in.
type seen struct {
	key  findingKey
	d    Diagnostic
	envs []string
}

// found collects a request's findings over its environments, in order;
// the pass of each environment reports into it.
type found struct {
	env    string // the environment being evaluated
	order  []seen
	merged map[findingKey][]int // indexes into order by key, once there are many findings
}

// add records a finding in environment st.env. The same finding in
// another environment is one finding, whose fixes edit every
// environment's value (an env file holds one value per environment).
func (st *found) add(d Diagnostic) {
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
func runRule(r *Rule, pass *Pass) {
	defer func() {
		if p := recover(); p != nil {
			path := ""
			switch {
			case pass.Request != nil:
				path = pass.Request.Path
			case pass.File != nil:
				path = pass.File.Path
			}
			pass.report(Diagnostic{Path: path, Code: "GW001", Slug: "parse-error", Severity: Warning,
				Message: T("internal error in rule %s: %v (please report it)", "ルール %s の内部エラー: %v（報告してください）", r.Code, p)})
		}
	}()
	if err := r.Run(pass); err != nil {
		path := ""
		if pass.Request != nil {
			path = pass.Request.Path
		} else if pass.File != nil {
			path = pass.File.Path
		}
		pass.report(Diagnostic{Path: path, Code: "GW001", Slug: "parse-error", Severity: Warning,
			Message: T("rule %s failed: %v", "ルール %s が失敗しました: %v", r.Code, err)})
	}
}

// findingKey identifies a finding for merging across environments: the
// same rule, place and message. Fixes are merged by mergeFixes.
type findingKey struct {
	code, path string
	span       source.Span
	message    string
}

func keyOf(d Diagnostic) findingKey {
	return findingKey{code: d.Code, path: d.Path, span: d.Span, message: d.Message.EN}
}

// mergeFixes merges the fixes of the same finding seen in two
// environments: fix by fix, with the same titles, the union of their
// edits (a fix that edits an env file edits each environment's value).
// ok is false when the fixes differ in number or titles, or when their
// edits would overlap: the findings then stay apart.
func mergeFixes(a, b []Fix) ([]Fix, bool) {
	if len(a) != len(b) {
		return nil, false
	}
	out := make([]Fix, len(a))
	for i := range a {
		if a[i].Title != b[i].Title {
			return nil, false
		}
		f := a[i]
		f.Edits = append([]Edit(nil), a[i].Edits...)
	edits:
		for _, e := range b[i].Edits {
			for _, o := range f.Edits {
				if o == e {
					continue edits
				}
				if o.Path == e.Path && overlaps(o, e) {
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
func (w *Workspace) runFileRules(ctx context.Context, snap *Snapshot, fd *FileData) []Diagnostic {
	var out []Diagnostic
	for _, r := range w.activeRules(snap, FileScope) {
		if !kindIn(fd.Kind, r.Kinds) {
			continue
		}
		pass := &Pass{Rule: r, Snap: snap, File: fd}
		pass.report = func(d Diagnostic) { out = append(out, d) }
		runRule(r, pass)
	}
	return out
}

func kindIn(k FileKind, kinds []FileKind) bool {
	for _, x := range kinds {
		if x == k {
			return true
		}
	}
	return false
}

// templateDiags returns the TemplateScope findings located in path,
// running the template rules once per snapshot.
func (w *Workspace) templateDiags(ctx context.Context, snap *Snapshot, path string) []Diagnostic {
	w.mu.Lock()
	if w.snap == snap && w.tmplDiags != nil {
		d := w.tmplDiags[path]
		w.mu.Unlock()
		return d
	}
	w.mu.Unlock()
	by := map[string][]Diagnostic{}
	for _, r := range w.activeRules(snap, TemplateScope) {
		pass := &Pass{Rule: r, Snap: snap}
		pass.report = func(d Diagnostic) { by[d.Path] = append(by[d.Path], withCDKPath(snap, d)) }
		runRule(r, pass)
	}
	w.mu.Lock()
	if w.snap == snap {
		w.tmplDiags = by
	}
	w.mu.Unlock()
	return by[path]
}

// BuildRequestContext evaluates req of the request file fd in environment
// envName: expands its URL and headers and links it to an API.
func BuildRequestContext(snap *Snapshot, fd *FileData, req *httpfile.Request, envName string) *RequestContext {
	set := fd.ext.EnvSet
	rc := &RequestContext{Path: fd.Path, File: fd.HTTP, Data: fd, Req: req, Env: envName}
	rc.res = *env.NewResolver(fd.HTTP, req, set, envName)
	res := &rc.res
	// The expanded target (exps[0]) and header values, in one allocation.
	exps := make([]Expanded, 1+len(req.Headers))
	literal := func(exp *Expanded, p Piece) *Expanded {
		*exp = Expanded{Text: p.Text, Pieces: []Piece{p}}
		return exp
	}
	t := req.Target
	var targetExp *Expanded
	if !t.HasRefs() && len(req.QueryLines) == 0 && req.TargetSpan.Len() == len(t.Raw) {
		targetExp = literal(&exps[0], Piece{Text: t.Raw, Path: fd.Path, Span: req.TargetSpan, Exact: true})
	} else {
		target := res.ExpandTarget()
		rc.envDependent = usesEnv(target)
		rc.overflows = append(rc.overflows, target.Overflows...)
		targetExp = expandedOf(&exps[0], target, fd.Path, set)
	}
	hostHdr := ""
	rc.Headers = make([]Header, 0, len(req.Headers))
	for i, h := range req.Headers {
		var exp *Expanded
		if !h.Value.HasRefs() {
			// Literal text: no resolver needed.
			exp = literal(&exps[1+i], Piece{Text: h.Value.Raw, Path: fd.Path, Span: h.Value.Span, Exact: h.Value.Span.Len() == len(h.Value.Raw)})
		} else {
			x := res.Expand(h.Value)
			if usesEnv(x) {
				rc.envDependent = true
			}
			rc.overflows = append(rc.overflows, x.Overflows...)
			exp = expandedOf(&exps[1+i], x, fd.Path, set)
		}
		rc.Headers = append(rc.Headers, Header{H: h, Value: exp})
		if strings.EqualFold(h.Name, "Host") {
			hostHdr = exp.Text
		}
	}
	rc.URL = ParseURL(targetExp, hostHdr)

	apiID := ""
	if h := rc.Header("x-apigw-api-id"); h != nil && h.Value.Complete() {
		apiID = strings.ToLower(strings.TrimSpace(h.Value.Text))
	} else if rc.URL.HostInfo.Kind == HostVPCE {
		if h := rc.Header("Host"); h != nil && h.Value.Complete() {
			if hi := ClassifyHost(strings.TrimSpace(h.Value.Text)); hi.Kind == HostExecuteAPI {
				apiID = hi.APIID
			}
		}
	}
	directive, _ := rc.Directive("api")
	rc.Link, rc.LinkWhy = linkRequest(linkInput{
		model: snap.Model, config: snap.Config, root: snap.Root,
		directive: strings.TrimSpace(directive), url: rc.URL, apiIDHdr: apiID, method: req.Method,
		project: snap.ProjectOf(fd.Path), projectOf: snap.ProjectOf,
	})
	if rc.Link != nil && rc.Link.API == nil && rc.Link.Domain == nil {
		rc.Link = nil
	}
	// The reasons may name the host, which may come from a private value.
	rc.LinkWhy = maskText(rc.LinkWhy, rc.URL)
	if rc.Link != nil {
		rc.Link.Reason = maskText(rc.Link.Reason, rc.URL)
	}

	// Variables known for this request, for fixes that suggest one.
	rc.EnvVars = fd.varNames(envName)
	if len(req.Vars) > 0 {
		names := map[string]bool{}
		for _, n := range rc.EnvVars {
			names[n] = true
		}
		for _, v := range req.Vars {
			names[v.Name] = true
		}
		rc.EnvVars = make([]string, 0, len(names))
		for n := range names {
			rc.EnvVars = append(rc.EnvVars, n)
		}
		sort.Strings(rc.EnvVars)
	}
	if set != nil && rc.URL.HostKnown() {
		host := rc.URL.HostInfo.Name
		_, rc.ClientCert = set.ClientCert(envName, host)
		if !rc.ClientCert && rc.URL.Port != "" {
			_, rc.ClientCert = set.ClientCert(envName, host+":"+rc.URL.Port)
		}
		// JetBrains SSLConfiguration is per environment: the outcome of a
		// request may then differ between environments.
		for _, f := range set.Files {
			for _, e := range f.Envs {
				if e.SSL != nil && e.SSL.ClientCertificate != nil {
					rc.envDependent = true
				}
			}
		}
	}
	rc.Lookup = func(name string) (Piece, bool) {
		x := res.Expand(httpfile.ParseTemplate("{{"+name+"}}", 0))
		if !x.Complete {
			return Piece{}, false
		}
		ps := piecesOf(x, fd.Path, set)
		if len(ps) != 1 {
			return Piece{Text: x.Text, Var: name}, true
		}
		return ps[0], true
	}
	return rc
}

// overflowDiagnostic is the GW001 finding of a reference left unresolved
// at a limit of expansion: at the variable's definition when the request
// file defines it (one finding however many requests use it), else at the
// reference.
func overflowDiagnostic(rc *RequestContext, o env.Overflow) Diagnostic {
	d := Diagnostic{Path: rc.Path, Code: ParseError.Code, Slug: ParseError.Slug, Severity: Warning, Span: o.Ref.Span}
	local := (o.Origin.Kind == env.SourceFileVar || o.Origin.Kind == env.SourceRequestVar) && o.Origin.NameSpan.Len() > 0
	limit := o.Limit.String()
	switch {
	case o.Limit == env.LimitRequest:
		d.Message = T("{{%s}} is left unresolved: the variables of this request expand past the limit of %s",
			"{{%s}} は未解決のままです: このリクエストの変数の展開が上限（%s）を超えます", o.Name, limit)
	case local:
		d.Span = o.Origin.NameSpan
		d.Message = T("the value of %s expands past the limit of %s: it is left unresolved in the requests that use it",
			"%s の値の展開が上限（%s）を超えます: これを使うリクエストでは未解決として扱います", o.Name, limit)
	case o.Origin.Kind != env.SourceNone:
		d.Message = T("{{%s}} is left unresolved: its value (%s) expands past the limit of %s",
			"{{%s}} は未解決のままです: 値（%s）の展開が上限（%s）を超えます", o.Name, originText(o.Origin), limit)
	default:
		d.Message = T("{{%s}} is left unresolved: its value expands past the limit of %s",
			"{{%s}} は未解決のままです: 値の展開が上限（%s）を超えます", o.Name, limit)
	}
	return d
}

// usesEnv reports whether an expansion used a value from an environment.
func usesEnv(x env.Expansion) bool {
	for _, u := range x.Uses {
		switch u.Origin.Kind {
		case env.SourceEnvJSON, env.SourcePrivateEnvJSON, env.SourceVSCodeSettings, env.SourceHttpyacConfig, env.SourceDotEnv:
			return true
		}
	}
	return false
}

// expandedOf sets e to the pieces of x and returns it. When no piece is
// unknown and x's parts cover its text end to end, the joined text is
// x.Text itself.
func expandedOf(e *Expanded, x env.Expansion, reqPath string, set *env.Set) *Expanded {
	pieces := piecesOf(x, reqPath, set)
	at := 0
	for i, p := range pieces {
		if p.Unknown || x.Parts[i].Text.Start != at {
			return newExpandedIn(e, pieces)
		}
		at = x.Parts[i].Text.End
	}
	if at != len(x.Text) {
		return newExpandedIn(e, pieces)
	}
	*e = Expanded{Pieces: pieces, Text: x.Text}
	return e
}

// piecesOf converts an expansion into pieces that map back to sources.
func piecesOf(x env.Expansion, reqPath string, set *env.Set) []Piece {
	out := make([]Piece, 0, len(x.Parts))
	for _, p := range x.Parts {
		text := x.Text[p.Text.Start:p.Text.End]
		if p.Ref == nil {
			out = append(out, Piece{Text: text, Path: reqPath, Span: p.Source, Exact: p.Source.Len() == len(text)})
			continue
		}
		pc := Piece{Text: text, Var: refName(p.Ref), Path: reqPath, Span: p.Source, RefSpan: p.Source}
		if p.Unknown {
			pc.Unknown = true
			out = append(out, pc)
			continue
		}
		pc.Secret = p.Secret
		if o := p.Origin; o.Kind != env.SourceNone {
			pc.Origin = originText(o)
			switch {
			case o.Path == "":
			case o.Span.Len() == len(text)+2 && isJSONSource(o.Kind):
				pc.Path, pc.Span, pc.Exact = o.Path, source.Span{Start: o.Span.Start + 1, End: o.Span.End - 1}, true
			case o.Span.Len() == len(text):
				pc.Path, pc.Span, pc.Exact = o.Path, o.Span, true
			}
		}
		out = append(out, pc)
	}
	return out
}

func isJSONSource(k env.SourceKind) bool {
	switch k {
	case env.SourceEnvJSON, env.SourcePrivateEnvJSON, env.SourceVSCodeSettings, env.SourceHttpyacConfig:
		return true
	}
	return false
}

func refName(r *httpfile.VarRef) string {
	if r.Kind == httpfile.VarUser {
		return r.Name
	}
	return r.Inner
}

// originText describes where a value came from: "http-client.env.json,
// env dev".
func originText(o env.Origin) string {
	s := o.Kind.String()
	if o.Path != "" {
		s = filepath.Base(o.Path)
	}
	if o.Env != "" {
		s += ", env " + o.Env
	}
	return s
}

// varNames returns the sorted names of the file variables of fd and of the
// variables environment envName defines for it (env files and dotenv
// files): what every request of the file can use before its own request
// variables. The names of the environments the file is evaluated in are
// collected when it is parsed; the slice is shared: callers must not
// modify it.
func (fd *FileData) varNames(envName string) []string {
	if names, ok := fd.ext.varNames[envName]; ok {
		return names
	}
	return collectVarNames(fd, envName)
}

// collectVarNames collects the names varNames returns.
func collectVarNames(fd *FileData, envName string) []string {
	set := fd.ext.EnvSet
	names := map[string]bool{}
	if fd.HTTP != nil {
		for _, v := range fd.HTTP.Vars {
			names[v.Name] = true
		}
	}
	if set != nil {
		for _, f := range set.Files {
			for _, e := range f.Envs {
				if e.Name == envName || e.Name == "$shared" || (envName == "" && e.Name == "$default") {
					for _, v := range e.Vars {
						names[v.Name] = true
					}
				}
			}
		}
		for _, f := range set.DotEnvs {
			if f.EnvName == "" || f.EnvName == envName {
				for _, v := range f.Vars {
					names[v.Name] = true
				}
			}
		}
	}
	out := make([]string, 0, len(names))
	for n := range names {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}
