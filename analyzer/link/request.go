package link

import (
	"sort"
	"strings"
	"sync"

	"github.com/gw403/gw403-lsp/schemas/env"
	"github.com/gw403/gw403-lsp/schemas/httpfile"
	"github.com/gw403/gw403-lsp/schemas/source"
)

// BuildRequestContext evaluates req of the request file fd in environment
// envName: expands its URL and headers and links it to an API.
func BuildRequestContext(snap *Snapshot, fd *FileData, req *httpfile.Request, envName string) *RequestContext {
	set := fd.EnvSet
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
	// Values written alike in several requests (a target without query
	// lines, a header) are expanded once for the file and environment.
	var shared *sharedValues // fd's, fetched at the first value that can share
	sharedAt := func(t httpfile.Template) *sharedValue {
		if t.Span.Len() != len(t.Raw) {
			return nil
		}
		if shared == nil {
			shared = fd.Memo(sharedValuesKey{envName}, func() any {
				return &sharedValues{byRaw: map[string]*sharedValue{}}
			}).(*sharedValues)
		}
		return shared.get(fd, envName, t)
	}
	var sv *sharedValue
	if t.HasRefs() && len(req.QueryLines) == 0 && req.TargetSpan == t.Span {
		sv = sharedAt(t)
	}
	if !t.HasRefs() && len(req.QueryLines) == 0 && req.TargetSpan.Len() == len(t.Raw) {
		targetExp = literal(&exps[0], Piece{Text: t.Raw, Path: fd.Path, Span: req.TargetSpan, Exact: true})
	} else if sv != nil && res.Fits(sv.x) {
		// Written alike in other requests: expanded once.
		rc.EnvDependent = sv.envDependent
		targetExp = sv.expandedAt(&exps[0], t)
	} else {
		target := res.ExpandTarget()
		rc.EnvDependent = usesEnv(target)
		rc.Overflows = append(rc.Overflows, target.Overflows...)
		targetExp = expandedOf(&exps[0], target, fd.Path, set)
	}
	hostHdr := ""
	rc.Headers = make([]Header, 0, len(req.Headers))
	for i, h := range req.Headers {
		var exp *Expanded
		if !h.Value.HasRefs() {
			// Literal text: no resolver needed.
			exp = literal(&exps[1+i], Piece{Text: h.Value.Raw, Path: fd.Path, Span: h.Value.Span, Exact: h.Value.Span.Len() == len(h.Value.Raw)})
		} else if sv := sharedAt(h.Value); sv != nil && res.Fits(sv.x) {
			rc.EnvDependent = rc.EnvDependent || sv.envDependent
			exp = sv.expandedAt(&exps[1+i], h.Value)
		} else {
			x := res.Expand(h.Value)
			if usesEnv(x) {
				rc.EnvDependent = true
			}
			rc.Overflows = append(rc.Overflows, x.Overflows...)
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
	rc.Link, rc.whyNot = linkRequest(linkInput{
		model: snap.Model, config: snap.Config, root: snap.Root,
		directive: strings.TrimSpace(directive), url: rc.URL, apiIDHdr: apiID, method: req.Method,
		project: snap.ProjectOf(fd.Path), snap: snap,
	})
	if rc.Link != nil && rc.Link.API == nil && rc.Link.Domain == nil {
		rc.Link = nil
	}

	// Variables known for this request, for fixes that suggest one.
	rc.EnvVars = fd.varNamesIn(envName)
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
					rc.EnvDependent = true
				}
			}
		}
	}
	return rc
}

// Lookup returns a variable's value in the request's environment and
// where it came from, when it is defined.
func (rc *RequestContext) Lookup(name string) (Piece, bool) {
	x := rc.res.Expand(httpfile.ParseTemplate("{{"+name+"}}", 0))
	if !x.Complete {
		return Piece{}, false
	}
	ps := piecesOf(x, rc.Path, rc.Data.EnvSet)
	if len(ps) != 1 {
		return Piece{Text: x.Text, Var: name}, true
	}
	return ps[0], true
}

// usesEnv reports whether an expansion used a value from an environment.
func usesEnv(x env.Expansion) bool {
	for _, u := range x.Uses {
		switch u.Origin().Kind {
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
		if o := x.Origin(p); o.Kind != env.SourceNone {
			pc.Origin = o.Short()
			switch {
			case o.Path == "":
			case o.Span.Len() == len(text)+2 && o.Kind.IsJSON():
				pc.Path, pc.Span, pc.Exact = o.Path, source.Span{Start: o.Span.Start + 1, End: o.Span.End - 1}, true
			case o.Span.Len() == len(text):
				pc.Path, pc.Span, pc.Exact = o.Path, o.Span, true
			}
		}
		out = append(out, pc)
	}
	return out
}

func refName(r *httpfile.VarRef) string {
	if r.Kind == httpfile.VarUser {
		return r.Name
	}
	return r.Inner
}

// sharedValuesKey memoizes on a request file, by environment, the header
// values written alike in several requests (`x-api-key: {{apiKey}}`),
// expanded once (a *sharedValues).
type sharedValuesKey struct{ env string }

// sharedValues are a request file's shared header values in one
// environment.
type sharedValues struct {
	mu sync.Mutex // guards byRaw
	// byRaw holds the values by text: nil for a text seen once (a text
	// written once is expanded once, with its request).
	byRaw map[string]*sharedValue
}

// sharedValue is a header value expanded by env.ExpandShared, with its
// pieces, for every request whose resolver it Fits. It is never modified
// once made: each request gets its own copy of the pieces, moved to its
// header's place.
type sharedValue struct {
	x            env.Expansion
	start        int           // where the value expanded starts in the file
	refs         []source.Span // its references
	pieces       []Piece
	moved        []pieceMove // per piece: which spans lie in the header value
	text         string
	envDependent bool
}

type pieceMove struct{ span, ref bool }

// get returns the shared expansion of value t of fd in environment
// envName, or nil while t's text was seen only once or when t's
// references differ from the shared one's.
func (m *sharedValues) get(fd *FileData, envName string, t httpfile.Template) *sharedValue {
	m.mu.Lock()
	sh, seen := m.byRaw[t.Raw]
	if sh == nil {
		if seen {
			sh = newSharedValue(fd, envName, t)
		}
		m.byRaw[t.Raw] = sh
	}
	m.mu.Unlock()
	if sh == nil || len(t.Refs) != len(sh.refs) {
		return nil
	}
	for i, r := range t.Refs {
		if r.Span.Start-t.Span.Start != sh.refs[i].Start-sh.start || r.Span.End-t.Span.Start != sh.refs[i].End-sh.start {
			return nil
		}
	}
	return sh
}

func newSharedValue(fd *FileData, envName string, t httpfile.Template) *sharedValue {
	x := env.ExpandShared(fd.HTTP, fd.EnvSet, envName, t)
	var e Expanded
	expandedOf(&e, x, fd.Path, fd.EnvSet)
	sh := &sharedValue{x: x, start: t.Span.Start, pieces: e.Pieces, text: e.Text, envDependent: usesEnv(x)}
	for _, r := range t.Refs {
		sh.refs = append(sh.refs, r.Span)
	}
	sh.moved = make([]pieceMove, len(e.Pieces))
	for i, p := range x.Parts {
		sh.moved[i] = pieceMove{span: e.Pieces[i].Path == fd.Path && e.Pieces[i].Span == p.Source, ref: p.Ref != nil}
	}
	return sh
}

// expandedAt sets e to the shared expansion moved to header value t.
func (sh *sharedValue) expandedAt(e *Expanded, t httpfile.Template) *Expanded {
	d := t.Span.Start - sh.start
	pieces := append([]Piece(nil), sh.pieces...)
	for i, mv := range sh.moved {
		p := &pieces[i]
		if mv.span {
			p.Span = source.Span{Start: p.Span.Start + d, End: p.Span.End + d}
		}
		if mv.ref {
			p.RefSpan = source.Span{Start: p.RefSpan.Start + d, End: p.RefSpan.End + d}
		}
	}
	*e = Expanded{Pieces: pieces, Text: sh.text}
	return e
}

// NewRequestFile returns the FileData of a request file whose parse
// results the caller fills in.
func NewRequestFile(path string, src *source.File) *FileData {
	return &FileData{Path: path, Kind: KindHTTP, Src: src}
}

// varNamesKey memoizes on a request file the variable names of each
// environment (a varNamesByEnv).
type varNamesKey struct{}

// varNamesByEnv are a request file's variable names by environment.
type varNamesByEnv struct {
	mu    sync.Mutex // guards byEnv
	byEnv map[string][]string
}

// varNamesIn returns the sorted names of the file variables of fd and of
// the variables environment envName defines for it (env files and dotenv
// files): what every request of the file can use before its own request
// variables. BuildRequestContext asks for every request in every
// environment: the names are collected once per file and environment. The
// result is shared: callers must not modify it.
func (fd *FileData) varNamesIn(envName string) []string {
	m := fd.Memo(varNamesKey{}, func() any { return &varNamesByEnv{byEnv: map[string][]string{}} }).(*varNamesByEnv)
	m.mu.Lock()
	defer m.mu.Unlock()
	names, ok := m.byEnv[envName]
	if !ok {
		names = collectVarNames(fd, envName)
		m.byEnv[envName] = names
	}
	return names
}

// collectVarNames collects the names varNamesIn returns.
func collectVarNames(fd *FileData, envName string) []string {
	set := fd.EnvSet
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
