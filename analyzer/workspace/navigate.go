package workspace

import (
	"context"
	"iter"
	"path/filepath"
	"sort"
	"strings"
	"sync"

	"github.com/gw403/gw403-lsp/analyzer/link"
	"github.com/gw403/gw403-lsp/analyzer/msg"
	"github.com/gw403/gw403-lsp/schemas/apimodel"
	"github.com/gw403/gw403-lsp/schemas/httpfile"
	"github.com/gw403/gw403-lsp/schemas/source"
)

// Navigation between requests and the routes they call, from the link
// results (Link) and the model's spans (apimodel.Loc): whatever source
// defined a route (SAM event, OpenAPI operation, CloudFormation method,
// Terraform or Serverless once they are in the model), its Loc is where
// "go to definition" lands and where "find references" and code lenses
// start.

// Location is a span of a file.
type Location struct {
	Path string
	Span source.Span
}

// RequestLink is what one request of a request file calls, in the first
// environment the file is checked in.
type RequestLink struct {
	// Line is the request line (method and URL), Target its URL.
	Line, Target source.Span
	Env          string
	Link         *link.Link // nil when unlinked
	// Host is the kind of the request's host (HostLocal for localhost).
	Host link.HostKind
}

// Label is a one-line summary of the link for an inlay hint, in lang
// ("ja…" for Japanese, else English): "OrdersApi · prod · GET
// /orders/{id} · API key", or "not linked (localhost)".
func (r RequestLink) Label(lang string) string {
	l := r.Link
	if l == nil || l.API == nil && l.Domain == nil {
		switch r.Host {
		case link.HostLocal:
			return msg.T("not linked (localhost)", "リンクなし（localhost）").In(lang)
		case link.HostUnknown:
			return msg.T("not linked (host unknown)", "リンクなし（ホスト不明）").In(lang)
		}
		return msg.T("not linked", "リンクなし").In(lang)
	}
	var parts []string
	if l.API != nil {
		parts = append(parts, l.API.Name)
	} else {
		parts = append(parts, l.Domain.Name.S)
	}
	if l.Stage != nil {
		parts = append(parts, l.Stage.Name)
	}
	if l.Route == nil {
		if l.API != nil {
			parts = append(parts, msg.T("no route for %s", "%s のルートなし", l.ResourcePath()).In(lang))
		}
		return strings.Join(parts, " · ")
	}
	parts = append(parts, l.Route.Method+" "+l.Route.Path)
	parts = append(parts, shortAuth(l.Route.Auth).In(lang))
	return strings.Join(parts, " · ")
}

// shortAuth names a route's authorization in a few words.
func shortAuth(a apimodel.Auth) msg.Text {
	var parts []msg.Text
	add := func(en, ja string) { parts = append(parts, msg.Text{EN: en, JA: ja}) }
	switch a.Type {
	case apimodel.AuthNone:
	case apimodel.AuthIAM:
		add("IAM", "IAM")
	case apimodel.AuthCognito:
		add("Cognito", "Cognito")
	case apimodel.AuthJWT:
		add("JWT", "JWT")
	case apimodel.AuthToken, apimodel.AuthRequest:
		add("Lambda authorizer", "Lambda オーソライザー")
	default:
		add("auth unknown", "認可不明")
	}
	if a.APIKeyRequired {
		add("API key", "API キー")
	}
	if len(parts) == 0 {
		return msg.T("no auth", "認可なし")
	}
	return msg.Join(parts, " + ", " + ")
}

// RequestLinks returns what each request of the request file at path
// calls, in file order; nil for other files.
func (w *Workspace) RequestLinks(ctx context.Context, path string) ([]RequestLink, error) {
	snap, fd := w.requestFile(ctx, path)
	if fd == nil {
		return nil, nil
	}
	if fd.HTTP.Binary {
		return nil, nil
	}
	env := w.envsFor(snap, fd)[0]
	out := make([]RequestLink, 0, len(fd.HTTP.Requests))
	for _, req := range fd.HTTP.Requests {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		out = append(out, requestLink(snap, fd, req, env))
	}
	return out, nil
}

// requestFile returns the current snapshot and the parsed request file at
// path; fd is nil when path is not named like a request file or cannot be
// read.
func (w *Workspace) requestFile(ctx context.Context, path string) (snap *link.Snapshot, fd *link.FileData) {
	path = filepath.Clean(path)
	if kind, _ := classifyName(path); kind != link.KindHTTP {
		return nil, nil
	}
	src, err := w.Source(path)
	if err != nil {
		return nil, nil
	}
	snap = w.snapshot(ctx)
	return snap, w.httpData(snap, path, src)
}

func requestLink(snap *link.Snapshot, fd *link.FileData, req *httpfile.Request, env string) RequestLink {
	rc := link.BuildRequestContext(snap, fd, req, env)
	rl := RequestLink{Line: req.LineSpan, Target: req.TargetSpan, Env: env, Link: rc.Link, Host: link.HostUnknown}
	if rc.URL != nil {
		rl.Host = rc.URL.HostInfo.Kind
	}
	return rl
}

// Definition returns where the route that the request at byte offset off
// of path calls is defined (the API's definition when no route matches);
// nil elsewhere.
func (w *Workspace) Definition(ctx context.Context, path string, off int) ([]Location, error) {
	links, err := w.RequestLinks(ctx, path)
	if err != nil {
		return nil, err
	}
	for _, rl := range links {
		if off < rl.Line.Start || off > rl.Line.End {
			continue
		}
		l := rl.Link
		switch {
		case l == nil:
		case l.Route != nil && !l.Route.Loc.IsZero():
			return []Location{{l.Route.Loc.Path, l.Route.Loc.Span}}, nil
		case l.API != nil && !l.API.Loc.IsZero():
			return []Location{{l.API.Loc.Path, l.API.Loc.Span}}, nil
		case l.Domain != nil && !l.Domain.Loc.IsZero():
			return []Location{{l.Domain.Loc.Path, l.Domain.Loc.Span}}, nil
		}
		return nil, nil
	}
	return nil, nil
}

// modelTarget is a route, API, stage or custom domain of the model.
type modelTarget struct {
	route  *apimodel.Route
	api    *apimodel.API
	stage  *apimodel.Stage
	domain *apimodel.Domain
	decl   apimodel.Loc
}

// matches reports whether a link calls the target.
func (t modelTarget) matches(l *link.Link) bool {
	switch {
	case l == nil:
		return false
	case t.route != nil:
		return l.Route == t.route
	case t.stage != nil:
		return l.API == t.api && l.Stage == t.stage
	case t.api != nil:
		return l.API == t.api
	case t.domain != nil:
		return l.Domain == t.domain
	}
	return false
}

func locHas(loc apimodel.Loc, path string, off int) bool {
	return loc.Path == path && loc.Span.Start <= off && off <= loc.Span.End && !loc.IsZero()
}

// targetAt returns the model entity whose declaration holds byte offset
// off of path, the innermost first: a route, a stage, a custom domain,
// an API.
func targetAt(m *apimodel.Model, path string, off int) (modelTarget, bool) {
	for _, a := range m.APIs {
		for _, r := range a.Routes {
			if locHas(r.Loc, path, off) {
				return modelTarget{route: r, api: a, decl: r.Loc}, true
			}
		}
		for _, s := range a.Stages {
			// SAM's implicit "Stage" stage points at the API's logical id,
			// which names the API.
			if !s.Implicit && s.Loc != a.Loc && locHas(s.Loc, path, off) {
				return modelTarget{stage: s, api: a, decl: s.Loc}, true
			}
		}
	}
	for _, d := range m.Domains {
		if locHas(d.Name.Loc, path, off) {
			return modelTarget{domain: d, decl: d.Name.Loc}, true
		}
		if locHas(d.Loc, path, off) {
			return modelTarget{domain: d, decl: d.Loc}, true
		}
	}
	for _, a := range m.APIs {
		if locHas(a.Loc, path, off) {
			return modelTarget{api: a, decl: a.Loc}, true
		}
	}
	return modelTarget{}, false
}

// References returns the URLs of every request of the workspace that calls
// the route, API, stage or custom domain declared at byte offset off of
// path (a template or OpenAPI document), in any of its file's
// environments, sorted; with includeDecl, the declaration first.
func (w *Workspace) References(ctx context.Context, path string, off int, includeDecl bool) ([]Location, error) {
	path = filepath.Clean(path)
	snap := w.snapshot(ctx)
	t, ok := targetAt(snap.Model, path, off)
	if !ok {
		return nil, nil
	}
	var out []Location
	if includeDecl {
		out = append(out, Location{t.decl.Path, t.decl.Span})
	}
	refs, err := w.requestsCalling(ctx, snap, []modelTarget{t})
	if err != nil {
		return nil, err
	}
	return append(out, refs[0]...), nil
}

// RouteUsage is a route of a definition file with the requests that call
// it.
type RouteUsage struct {
	Route    *apimodel.Route
	API      *apimodel.API
	Span     source.Span // the route's declaration
	Requests []Location  // the URLs of the requests calling it, sorted
}

// RouteUsages returns the routes declared in path (a template or OpenAPI
// document) with the requests of the workspace that call each, in
// declaration order.
func (w *Workspace) RouteUsages(ctx context.Context, path string) ([]RouteUsage, error) {
	path = filepath.Clean(path)
	snap := w.snapshot(ctx)
	var out []RouteUsage
	var targets []modelTarget
	for _, a := range snap.Model.APIs {
		for _, r := range a.Routes {
			if r.Loc.Path != path || r.Loc.IsZero() {
				continue
			}
			out = append(out, RouteUsage{Route: r, API: a, Span: r.Loc.Span})
			targets = append(targets, modelTarget{route: r, api: a})
		}
	}
	if len(out) == 0 {
		return nil, nil
	}
	refs, err := w.requestsCalling(ctx, snap, targets)
	if err != nil {
		return nil, err
	}
	for i := range out {
		out[i].Requests = refs[i]
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Span.Start < out[j].Span.Start })
	return out, nil
}

// requestFiles yields the workspace's request files, each parsed in snap
// with its environments, in walk order; it stops when ctx is done (the
// caller then returns ctx.Err()).
func (w *Workspace) requestFiles(ctx context.Context, snap *link.Snapshot) iter.Seq[*link.FileData] {
	w.mu.Lock()
	files := w.listLocked()
	w.mu.Unlock()
	return func(yield func(*link.FileData) bool) {
		for _, f := range files {
			if f.Kind != link.KindHTTP {
				continue
			}
			if ctx.Err() != nil {
				return
			}
			src, err := w.Source(f.Path)
			if err != nil {
				continue
			}
			if !yield(w.httpData(snap, f.Path, src)) {
				return
			}
		}
	}
}

// requestsCalling returns, for each target, the URLs of the requests of
// the workspace that call it in some environment of their file, sorted by
// path and offset, each once.
func (w *Workspace) requestsCalling(ctx context.Context, snap *link.Snapshot, targets []modelTarget) ([][]Location, error) {
	out := make([][]Location, len(targets))
	for fd := range w.requestFiles(ctx, snap) {
		if fd.HTTP.Binary {
			continue
		}
		links := w.fileLinks(snap, fd)
		for j, req := range fd.HTTP.Requests {
			for i, t := range targets {
				for _, l := range links[j] {
					if t.matches(l) {
						out[i] = append(out[i], Location{fd.Path, req.TargetSpan})
						break
					}
				}
			}
		}
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	for _, locs := range out {
		sort.SliceStable(locs, func(i, j int) bool {
			if locs[i].Path != locs[j].Path {
				return locs[i].Path < locs[j].Path
			}
			return locs[i].Span.Start < locs[j].Span.Start
		})
	}
	return out, nil
}

// EnvironmentURLs returns, for each environment of the request file at
// path, the base URL its requests go to there: the scheme, host and port
// of the first request whose host resolves in that environment, with the
// path up to the stage when the request links to one ("https://a1b2c3d4e5
// .execute-api.ap-northeast-1.amazonaws.com/prod"). Environments whose
// requests resolve no host are left out; secrets are masked.
func (w *Workspace) EnvironmentURLs(ctx context.Context, path string) (map[string]string, error) {
	snap, fd := w.requestFile(ctx, path)
	if fd == nil {
		return nil, nil
	}
	out := map[string]string{}
	if fd.HTTP.Binary {
		return out, nil
	}
	for _, env := range fd.EnvNames {
		for _, req := range fd.HTTP.Requests {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
			rc := link.BuildRequestContext(snap, fd, req, env)
			if base := baseURL(rc); base != "" {
				out[env] = base
				break
			}
		}
	}
	return out, nil
}

// baseURL is scheme://host[:port][/segments up to the stage] of a request's
// URL; "" when its host is not known.
func baseURL(rc *link.RequestContext) string {
	u := rc.URL
	if u == nil || u.Host == "" || !u.HostKnown() || u.Scheme == "" {
		return ""
	}
	var b strings.Builder
	b.WriteString(u.Scheme + "://" + u.Host)
	if u.Port != "" {
		b.WriteString(":" + u.Port)
	}
	if l := rc.Link; l != nil && l.StageSeg >= 0 && l.StageSeg < len(u.Segments) {
		for _, s := range u.Segments[:l.StageSeg+1] {
			b.WriteString("/" + s.Display())
		}
	}
	return b.String()
}

// LinkCounts counts the requests of the request file at path that link to
// an API (or a custom domain of the workspace) and those that do not, in
// the first environment it is checked in.
func (w *Workspace) LinkCounts(ctx context.Context, path string) (linked, unlinked int, err error) {
	links, err := w.RequestLinks(ctx, path)
	if err != nil {
		return 0, 0, err
	}
	for _, l := range links {
		if l.Link != nil && (l.Link.API != nil || l.Link.Domain != nil) {
			linked++
		} else {
			unlinked++
		}
	}
	return linked, unlinked, nil
}

// navMemo keeps the links of a request file's requests for one snapshot
// and one list of environments: code lenses ask for every request file of
// the workspace after each check, and most have not changed.
type navMemo struct {
	mu    sync.Mutex
	snap  *link.Snapshot
	envs  string
	links [][]*link.Link // per request, per environment (nil when unlinked)
}

type navMemoKey struct{}

// fileLinks returns the links of each request of fd in each environment it
// is checked in.
func (w *Workspace) fileLinks(snap *link.Snapshot, fd *link.FileData) [][]*link.Link {
	envs := w.envsFor(snap, fd)
	key := strings.Join(envs, "\x00")
	m := fd.Memo(navMemoKey{}, func() any { return &navMemo{} }).(*navMemo)
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.snap == snap && m.envs == key && m.links != nil {
		return m.links
	}
	links := make([][]*link.Link, len(fd.HTTP.Requests))
	for j, req := range fd.HTTP.Requests {
		links[j] = make([]*link.Link, len(envs))
		for k, env := range envs {
			links[j][k] = link.BuildRequestContext(snap, fd, req, env).Link
		}
	}
	m.snap, m.envs, m.links = snap, key, links
	return links
}
