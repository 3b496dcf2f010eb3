package analyzer

import (
	"context"
	"net/url"
	"regexp"
	"strings"
)

// RequestMatch is a request of the workspace's .http files that matches a
// request seen elsewhere (a curl transcript, a HAR entry).
type RequestMatch struct {
	Path string // the .http file
	Line int    // 1-based line of the request line
	Env  string // the environment whose variables made the URL match
	// Diagnostics are the findings on that request (its request line,
	// headers and body).
	Diagnostics []Diagnostic
	// Exact is true when the query matched too, not only the path.
	Exact bool
	// API names the API of the workspace the request links to, "" when it
	// links to none: the request rules that need a link (stage, route,
	// auth …) ran on it only when it does.
	API string
}

// MatchRequest finds the request of the workspace's .http files with the
// same method and URL (after variables are resolved, in any environment;
// parts only known at run time match anything). A request whose query also
// matches wins over one that matches only by path. It returns nil when no
// request matches.
func (w *Workspace) MatchRequest(ctx context.Context, method, rawURL string) (*RequestMatch, error) {
	want, err := url.Parse(strings.TrimSpace(rawURL))
	if err != nil || want.Host == "" {
		return nil, nil
	}
	w.mu.Lock()
	files := w.listLocked()
	w.mu.Unlock()
	snap := w.snapshot(ctx)
	var best *RequestMatch
	for _, f := range files {
		if f.Kind != KindHTTP {
			continue
		}
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		src, err := w.Source(f.Path)
		if err != nil {
			continue
		}
		fd := w.httpData(snap, f.Path, src)
		for _, req := range fd.HTTP.Requests {
			if !strings.EqualFold(req.Method, method) {
				continue
			}
			for _, e := range w.envsFor(snap, fd) {
				rc := BuildRequestContext(snap, fd, req, e)
				ok, exact := urlMatches(rc.URL, want)
				if !ok || best != nil && (best.Exact || !exact) {
					continue
				}
				best = &RequestMatch{Path: f.Path, Line: src.LineOf(req.LineSpan.Start) + 1, Env: e, Exact: exact}
				if rc.Link != nil && rc.Link.API != nil {
					best.API = rc.Link.API.Name
				}
				if !rc.envDependent {
					best.Env = ""
				}
				if exact {
					break
				}
			}
		}
	}
	if best == nil {
		return nil, nil
	}
	diags, err := w.Check(ctx, best.Path)
	if err != nil {
		return nil, err
	}
	src, _ := w.Source(best.Path)
	fd := w.httpData(snap, best.Path, src)
	for _, req := range fd.HTTP.Requests {
		if src.LineOf(req.LineSpan.Start)+1 != best.Line {
			continue
		}
		for _, d := range diags {
			if d.Path == best.Path && d.Span.Start >= req.Span.Start && d.Span.Start <= req.Span.End {
				best.Diagnostics = append(best.Diagnostics, d)
			}
		}
	}
	return best, nil
}

// urlMatches compares an expanded request URL with a concrete one: scheme,
// host and path must match (unknown pieces match any text within a path
// segment); exact reports that the query matches too.
func urlMatches(u *URL, want *url.URL) (ok, exact bool) {
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

// wildMatch matches pattern text where unknownMark stands for any run of
// characters other than sep.
func wildMatch(pattern, s, sep string) bool {
	if !strings.Contains(pattern, unknownMark) {
		return pattern == s
	}
	parts := strings.Split(pattern, unknownMark)
	for i, p := range parts {
		parts[i] = regexp.QuoteMeta(p)
	}
	re, err := regexp.Compile("^" + strings.Join(parts, "[^"+regexp.QuoteMeta(sep)+"]*") + "$")
	return err == nil && re.MatchString(s)
}
