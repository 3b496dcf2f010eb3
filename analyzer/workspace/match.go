package workspace

import (
	"context"
	"net/url"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/gw403/gw403-lsp/analyzer"
	"github.com/gw403/gw403-lsp/analyzer/link"
	"github.com/gw403/gw403-lsp/analyzer/msg"
	"github.com/gw403/gw403-lsp/schemas/apimodel"
	"github.com/gw403/gw403-lsp/schemas/env"
	"github.com/gw403/gw403-lsp/schemas/httpfile"
	"github.com/gw403/gw403-lsp/schemas/source"
)

func itoa(n int) string { return strconv.Itoa(n) }

// RequestMatch is a request of the workspace's .http files that matches a
// request seen elsewhere (a curl transcript, a HAR entry).
type RequestMatch struct {
	Path string // the .http file
	// Src is the .http file's text and Line its request line.
	Src  *source.File
	Line source.Span
	Env  string // the environment whose variables made the URL match
	// Diagnostics are the findings on that request (its request line,
	// headers and body).
	Diagnostics []analyzer.Diagnostic
	// Exact is true when the query matched too, not only the path.
	Exact bool
	// API names the API of the workspace the request links to, "" when it
	// links to none: the request rules that need a link (stage, route,
	// auth …) ran on it only when it does.
	API string
	// APIFile is the template or OpenAPI document that defines API.
	APIFile string
	// Captured reports that no .http request matched: the captured request
	// itself was linked to API and checked (Path and Line are then empty).
	Captured bool
	// LinkedBy says how the request links to API (LinkPathMatch: its path
	// matches the routes of exactly one API), and LinkReason why.
	LinkedBy   link.LinkMethod
	LinkReason msg.Text

	link *link.Link // the link of the matched request, while matching
}

// MatchRequest finds the request of the workspace's .http files with the
// same method and URL (after variables are resolved, in any environment;
// parts only known at run time match anything). A request whose query also
// matches wins over one that matches only by path. It returns nil when no
// request matches.
func (w *Workspace) MatchRequest(ctx context.Context, method, rawURL string) (*RequestMatch, error) {
	return w.match(ctx, method, rawURL, nil, false)
}

// MatchCaptured is MatchRequest for a request captured elsewhere (a HAR
// entry, a curl transcript), with its headers. When no .http request
// matches, the captured request itself is linked as a request file's would
// be (an execute-api URL whose API id the workspace does not know links to
// the one API whose routes its path matches) and checked with the request
// rules that need a link; the match is then Captured. It returns nil when
// neither matches nor links.
func (w *Workspace) MatchCaptured(ctx context.Context, method, rawURL string, headers [][2]string) (*RequestMatch, error) {
	return w.match(ctx, method, rawURL, headers, true)
}

func (w *Workspace) match(ctx context.Context, method, rawURL string, headers [][2]string, captured bool) (*RequestMatch, error) {
	want, err := url.Parse(strings.TrimSpace(rawURL))
	if err != nil || want.Host == "" {
		return nil, nil
	}
	snap := w.snapshot(ctx)
	var best *RequestMatch
	for fd := range w.requestFiles(ctx, snap) {
		for _, req := range fd.HTTP.Requests {
			if !strings.EqualFold(req.Method, method) {
				continue
			}
			for _, e := range w.envsFor(snap, fd) {
				rc := link.BuildRequestContext(snap, fd, req, e)
				ok, exact := urlMatches(rc.URL, want)
				if !ok || best != nil && (best.Exact || !exact) {
					continue
				}
				best = &RequestMatch{Path: fd.Path, Src: fd.Src, Line: req.LineSpan, Env: e, Exact: exact}
				if rc.Link != nil && rc.Link.API != nil {
					best.API, best.APIFile = rc.Link.API.Name, rc.Link.API.File
					best.LinkedBy, best.LinkReason = rc.Link.Method, rc.Link.Reason()
					best.link = rc.Link
				}
				if !rc.EnvDependent {
					best.Env = ""
				}
				if exact {
					break
				}
			}
		}
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if best == nil {
		if !captured {
			return nil, nil
		}
		return w.matchCaptured(ctx, snap, method, rawURL, headers)
	}
	diags, err := w.Check(ctx, best.Path)
	if err != nil {
		return nil, err
	}
	src, _ := w.Source(best.Path)
	fd := w.httpData(snap, best.Path, src)
	for _, req := range fd.HTTP.Requests {
		if req.LineSpan != best.Line {
			continue
		}
		for _, d := range diags {
			if d.Path == best.Path && d.Span.Start >= req.Span.Start && d.Span.Start <= req.Span.End {
				best.Diagnostics = append(best.Diagnostics, d)
			}
		}
	}
	pre, err := w.preflightFindings(ctx, method, best.link)
	if err != nil {
		return nil, err
	}
	best.Diagnostics = withPreflight(best.Diagnostics, pre)
	best.link = nil
	return best, nil
}

// capturedPath names the request file a captured request is checked as;
// nothing is written there.
const capturedPath = "(captured request).http"

// matchCaptured links the captured request itself and checks it with the
// request rules that need a link; nil when it links to no API.
func (w *Workspace) matchCaptured(ctx context.Context, snap *link.Snapshot, method, rawURL string, headers [][2]string) (*RequestMatch, error) {
	var b strings.Builder
	b.WriteString(strings.ToUpper(method) + " " + strings.TrimSpace(rawURL) + " HTTP/1.1\n")
	for _, h := range headers {
		name := strings.TrimSpace(h[0])
		if name == "" || strings.HasPrefix(name, ":") || strings.ContainsAny(name, "\r\n") || strings.ContainsAny(h[1], "\r\n") {
			continue
		}
		b.WriteString(name + ": " + h[1] + "\n")
	}
	path := filepath.Join(w.root, capturedPath)
	src := source.NewFile(path, b.String())
	fd := link.NewRequestFile(path, src)
	fd.HTTP = httpfile.Parse(src)
	if len(fd.HTTP.Requests) != 1 {
		return nil, nil
	}
	fd.EnvSet, _ = env.BuildSet(path, w.root, func(string) *source.File { return nil })
	req := fd.HTTP.Requests[0]
	rc := link.BuildRequestContext(snap, fd, req, "")
	if rc.Link == nil || rc.Link.API == nil {
		return nil, nil
	}
	var rules []*analyzer.Rule
	for _, r := range w.activeRules(snap, analyzer.RequestScope) {
		if !r.Standalone {
			rules = append(rules, r)
		}
	}
	// One pass: the captured request has no variables, so no environments.
	var diags []analyzer.Diagnostic
	pass := &analyzer.Pass{Snap: snap, Request: rc}
	pass.Emit = func(d analyzer.Diagnostic) { diags = append(diags, d) }
	for _, r := range rules {
		pass.Rule = r
		runRule(r, pass)
	}
	m := &RequestMatch{
		Captured: true, API: rc.Link.API.Name, APIFile: rc.Link.API.File,
		LinkedBy: rc.Link.Method, LinkReason: rc.Link.Reason(),
		Diagnostics: diags,
	}
	pre, err := w.preflightFindings(ctx, method, rc.Link)
	if err != nil {
		return nil, err
	}
	m.Diagnostics = withPreflight(m.Diagnostics, pre)
	return m, nil
}

// withPreflight adds the preflight findings to a request's: a browser's
// preflight cannot carry a key, a signature or a token, so GW241 replaces
// the findings that ask the request for one.
func withPreflight(diags, pre []analyzer.Diagnostic) []analyzer.Diagnostic {
	if len(pre) == 0 {
		return diags
	}
	out := diags[:0:0]
	for _, d := range diags {
		switch d.Code {
		case "GW101", "GW102", "GW111", "GW181":
			continue
		}
		out = append(out, d)
	}
	return append(out, pre...)
}

// preflightFindings returns the workspace's GW241 findings on the OPTIONS
// route an OPTIONS request links to: a preflight that needs a key or an
// authorizer.
func (w *Workspace) preflightFindings(ctx context.Context, method string, l *link.Link) ([]analyzer.Diagnostic, error) {
	if l == nil || l.API == nil || !strings.EqualFold(method, "OPTIONS") {
		return nil, nil
	}
	rt := l.Route
	if rt == nil || rt.Method != "OPTIONS" {
		return nil, nil
	}
	at := map[string]bool{}
	for _, loc := range []apimodel.Loc{rt.Loc, rt.Auth.Loc, rt.Auth.APIKeyLoc} {
		if !loc.IsZero() {
			at[loc.Path+"\x00"+itoa(loc.Span.Start)] = true
		}
	}
	if c := l.API.CORS; c != nil && rt.CORS {
		at[c.Loc.Path+"\x00"+itoa(c.Loc.Span.Start)] = true
	}
	var files []string
	seen := map[string]bool{}
	for k := range at {
		p, _, _ := strings.Cut(k, "\x00")
		if !seen[p] {
			seen[p] = true
			files = append(files, p)
		}
	}
	sort.Strings(files)
	var out []analyzer.Diagnostic
	for _, p := range files {
		diags, err := w.Check(ctx, p)
		if err != nil {
			return nil, err
		}
		for _, d := range diags {
			if d.Code == "GW241" && at[d.Path+"\x00"+itoa(d.Span.Start)] {
				out = append(out, d)
			}
		}
	}
	return out, nil
}

// urlMatches compares an expanded request URL with a concrete one: scheme,
// host and path must match (unknown pieces match any text within a path
// segment); exact reports that the query matches too.
func urlMatches(u *link.URL, want *url.URL) (ok, exact bool) {
	if !u.HostKnown() || u.PathStart < 0 || !strings.EqualFold(u.Host, want.Hostname()) {
		return false, false
	}
	if u.Scheme != "" && want.Scheme != "" && !strings.EqualFold(u.Scheme, want.Scheme) {
		return false, false
	}
	wantPath := want.EscapedPath()
	if wantPath == "" {
		wantPath = "/"
	}
	if !wildMatch(u.Path, wantPath, "/") && !wildMatch(u.Path, want.Path, "/") {
		return false, false
	}
	return true, wildMatch(u.Query, want.RawQuery, "&")
}

// wildMatch matches pattern text where UnknownMark stands for any run of
// characters other than sep.
func wildMatch(pattern, s, sep string) bool {
	if !strings.Contains(pattern, link.UnknownMark) {
		return pattern == s
	}
	parts := strings.Split(pattern, link.UnknownMark)
	for i, p := range parts {
		parts[i] = regexp.QuoteMeta(p)
	}
	re, err := regexp.Compile("^" + strings.Join(parts, "[^"+regexp.QuoteMeta(sep)+"]*") + "$")
	return err == nil && re.MatchString(s)
}
