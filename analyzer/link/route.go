package link

import (
	"strings"

	"github.com/gw403/gw403-lsp/schemas/apimodel"
)

// routeMatch is how well a route's path template matches request segments.
type routeMatch struct {
	route *apimodel.Route
	// score orders matches like API Gateway: more literal segments first,
	// then {param}, then a greedy {proxy+}.
	score int
}

// matchPath reports whether a route path template matches the segments,
// and a specificity score (higher is more specific).
func matchPath(template string, segs []Segment, unknownTail bool) (bool, int) {
	if template == "$default" {
		return true, 0
	}
	score := 0
	n := 0 // template segments seen
	for rest := template; ; n++ {
		var ts string
		var ok bool
		if ts, rest, ok = nextSegment(rest); !ok {
			break
		}
		if strings.HasPrefix(ts, "{") && strings.HasSuffix(ts, "+}") {
			// Greedy: matches one or more remaining segments (API Gateway
			// requires at least one for {proxy+}).
			if len(segs) > n || unknownTail {
				return true, score
			}
			return false, 0
		}
		if n >= len(segs) {
			return unknownTail, score
		}
		s := segs[n]
		switch {
		case strings.HasPrefix(ts, "{") && strings.HasSuffix(ts, "}"):
			score += 2
		case s.Unknown:
			score += 2
		case ts == s.Text:
			score += 3
		default:
			return false, 0
		}
	}
	if len(segs) > n {
		return false, 0
	}
	return true, score + 1
}

// nextSegment returns the first non-empty "/"-separated segment of p and
// what follows it; ok is false when p has none. Matching walks templates
// with it rather than splitting them: it runs for every route of every
// candidate API for every request.
func nextSegment(p string) (seg, rest string, ok bool) {
	p = strings.TrimLeft(p, "/")
	if p == "" {
		return "", "", false
	}
	if k := strings.IndexByte(p, '/'); k >= 0 {
		return p[:k], p[k:], true
	}
	return p, "", true
}

func splitTemplate(p string) []string {
	var out []string
	for _, s := range strings.Split(p, "/") {
		if s != "" {
			out = append(out, s)
		}
	}
	return out
}

// PathRoutes returns the routes of api whose path matches segs, most
// specific first.
func PathRoutes(api *apimodel.API, segs []Segment, unknownTail bool) []*apimodel.Route {
	var ms []routeMatch
	for _, r := range api.Routes {
		if ok, score := matchPath(r.Path, segs, unknownTail); ok {
			ms = append(ms, routeMatch{r, score})
		}
	}
	// Insertion sort: route lists are short.
	for i := 1; i < len(ms); i++ {
		for j := i; j > 0 && ms[j].score > ms[j-1].score; j-- {
			ms[j], ms[j-1] = ms[j-1], ms[j]
		}
	}
	out := make([]*apimodel.Route, len(ms))
	for i, m := range ms {
		out[i] = m.route
	}
	return out
}

// MethodRoute picks the route that serves method among path-matching routes
// (most specific first): an exact method wins over ANY on the same path;
// HEAD is served by GET only when declared. It returns nil when none does.
func MethodRoute(routes []*apimodel.Route, method string) *apimodel.Route {
	method = strings.ToUpper(method)
	for i, r := range routes {
		if r.Method == method {
			return r
		}
		if r.Method == "ANY" {
			// Prefer an exact method on the same path if one follows.
			for _, o := range routes[i+1:] {
				if o.Path == r.Path && o.Method == method {
					return o
				}
			}
			return r
		}
	}
	return nil
}
