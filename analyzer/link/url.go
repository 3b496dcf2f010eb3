package link

import (
	"net"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/gw403/gw403-lsp/schemas/source"
)

// Piece is one part of an expanded text: literal text of the request file,
// or the value of a variable, or an unknown part (unresolved or dynamic).
type Piece struct {
	Text string
	// Unknown pieces stand for text only known when the request is sent
	// (an unresolved variable, {{$guid}}, a response reference).
	Unknown bool
	// Var is the variable name the text came from ("" for literal text).
	Var string
	// Path and Span locate the text: the request file for literal text and
	// for the {{reference}} of a variable that has no single source value;
	// the env file for a variable's value.
	Path string
	Span source.Span
	// RefSpan is the {{…}} reference in the request file (for variables).
	RefSpan source.Span
	// Exact is true when Span covers Text byte for byte, so a sub-range of
	// the text maps to a sub-range of the source.
	Exact bool
	// Secret marks values from private env files, .env or $processEnv.
	Secret bool
	// Origin describes where a variable's value came from, for messages
	// ("http-client.env.json, env dev").
	Origin string
}

// Expanded is a text built from pieces.
type Expanded struct {
	Pieces []Piece
	Text   string // concatenation; unknown pieces appear as UnknownMark
}

// UnknownMark stands for an unknown piece inside Expanded.Text. It is a
// byte that never occurs in a URL or header value people write.
const UnknownMark = "\x00"

// NewExpanded joins pieces.
func NewExpanded(pieces []Piece) *Expanded { return newExpandedIn(new(Expanded), pieces) }

// newExpandedIn sets e to the join of pieces and returns it.
func newExpandedIn(e *Expanded, pieces []Piece) *Expanded {
	*e = Expanded{Pieces: pieces}
	if len(pieces) == 1 && !pieces[0].Unknown {
		e.Text = pieces[0].Text
		return e
	}
	n := 0
	for _, p := range pieces {
		if p.Unknown {
			n += len(UnknownMark)
		} else {
			n += len(p.Text)
		}
	}
	var b strings.Builder
	b.Grow(n)
	for _, p := range pieces {
		if p.Unknown {
			b.WriteString(UnknownMark)
		} else {
			b.WriteString(p.Text)
		}
	}
	e.Text = b.String()
	return e
}

// Complete reports whether the text has no unknown part.
func (e *Expanded) Complete() bool { return !strings.Contains(e.Text, UnknownMark) }

// Display returns the text for people: unknown pieces shown as their
// {{reference}} text, secret values masked.
func (e *Expanded) Display() string {
	var b strings.Builder
	for _, p := range e.Pieces {
		switch {
		case p.Unknown:
			if p.Var != "" {
				b.WriteString("{{" + p.Var + "}}")
			} else {
				b.WriteString(p.Text)
			}
		case p.Secret:
			b.WriteString("****")
		default:
			b.WriteString(p.Text)
		}
	}
	return b.String()
}

// secretIn reports whether a secret piece overlaps the byte range
// [start, end) of e.Text.
func (e *Expanded) secretIn(start, end int) bool {
	if e == nil {
		return false
	}
	pos := 0
	for _, p := range e.Pieces {
		n := len(p.Text)
		if p.Unknown {
			n = len(UnknownMark)
		}
		if p.Secret && pos < end && start < pos+n {
			return true
		}
		pos += n
		if pos >= end {
			break
		}
	}
	return false
}

// UsesVars reports whether any piece came from a variable.
func (e *Expanded) UsesVars() bool {
	for _, p := range e.Pieces {
		if p.Var != "" {
			return true
		}
	}
	return false
}

// Source maps the byte range [start, end) of e.Text back to a source
// location. When the range lies inside one exact piece, the location is
// exact; otherwise it is the union of the pieces' reference spans in the
// request file (exact=false). ok is false when no piece covers it.
func (e *Expanded) Source(start, end int) (path string, span source.Span, exact, ok bool) {
	return e.source(start, end, func(p *Piece) bool { return p.Exact && !p.Unknown })
}

// SourceInRequest is like Source but always answers with spans of the
// request file: literal text exactly, variables by their {{reference}}.
func (e *Expanded) SourceInRequest(start, end int) (path string, span source.Span, exact, ok bool) {
	return e.source(start, end, func(p *Piece) bool { return p.Exact && p.Var == "" })
}

// source maps [start, end) to the source: exactly when the range lies in
// one piece that usable accepts, else to the request-file spans (literal
// text, or {{references}}) of the pieces it covers.
func (e *Expanded) source(start, end int, usable func(*Piece) bool) (path string, span source.Span, exact, ok bool) {
	pos := 0
	var first, last *Piece
	var firstOff int
	for i := range e.Pieces {
		p := &e.Pieces[i]
		n := len(p.Text)
		if p.Unknown {
			n = len(UnknownMark)
		}
		pStart, pEnd := pos, pos+n
		pos = pEnd
		if pEnd <= start && !(n == 0 && pStart == start) {
			continue
		}
		if pStart >= end && !(start == end && pStart == start) {
			break
		}
		if first == nil {
			first, firstOff = p, pStart
		}
		last = p
	}
	if first == nil {
		return "", source.Span{}, false, false
	}
	if first == last && usable(first) {
		s := first.Span.Start + (start - firstOff)
		return first.Path, source.Span{Start: s, End: s + (end - start)}, true, true
	}
	a, b := refSpan(first), refSpan(last)
	return e.requestPath(), source.Span{Start: a.Start, End: b.End}, false, true
}

func refSpan(p *Piece) source.Span {
	if p.Var != "" {
		return p.RefSpan
	}
	return p.Span
}

func (e *Expanded) requestPath() string {
	for _, p := range e.Pieces {
		if p.Var == "" {
			return p.Path
		}
	}
	if len(e.Pieces) > 0 {
		return e.Pieces[0].Path
	}
	return ""
}

// HostKind classifies a request's host.
type HostKind int

const (
	HostUnknown         HostKind = iota // not resolvable statically
	HostExecuteAPI                      // {api-id}.execute-api.{region}.amazonaws.com
	HostPrivateEndpoint                 // {api-id}-{vpce-id}.execute-api.{region}.amazonaws.com
	HostVPCE                            // vpce-….execute-api.{region}.vpce.amazonaws.com
	HostLocal                           // localhost, 127.0.0.0/8, [::1], host.docker.internal, *.localhost
	HostCloudFront                      // *.cloudfront.net
	HostOther                           // any other name (maybe a custom domain)
)

func (k HostKind) String() string {
	return [...]string{"unknown", "execute-api", "private-endpoint", "vpce", "local", "cloudfront", "other"}[k]
}

var (
	executeAPIHost = regexp.MustCompile(`^([a-z0-9]+)\.execute-api\.([a-z0-9-]+)\.amazonaws\.com(\.cn)?$`)
	privateEPHost  = regexp.MustCompile(`^([a-z0-9]+)-(vpce-[a-z0-9]+)\.execute-api\.([a-z0-9-]+)\.amazonaws\.com(\.cn)?$`)
	// partialExecuteAPIHost matches an execute-api host with unknown parts
	// (UnknownMark is \x00).
	partialExecuteAPIHost = regexp.MustCompile(`^([a-z0-9\x00]+)\.execute-api\.([a-z0-9\x00-]+)\.amazonaws\.com(\.cn)?$`)
	vpceHost              = regexp.MustCompile(`^(vpce-[a-z0-9]+-[a-z0-9]+)(-[a-z0-9-]+)?\.execute-api\.([a-z0-9-]+)\.vpce\.amazonaws\.com(\.cn)?$`)
)

// HostInfo is what a host name says about the API it reaches.
type HostInfo struct {
	Kind   HostKind
	Name   string // lower-case host without port
	APIID  string // for execute-api and private-endpoint hosts
	Region string
	VpceID string // for private-endpoint and vpce hosts
	// ExecuteAPIShape is set for an unresolved host shaped like an
	// execute-api host whose API id or region is a variable
	// (`{{apiId}}.execute-api.{{region}}.amazonaws.com`): Kind stays
	// HostUnknown, but linking steps 5–6 still apply. APIID and Region are
	// set when that part is known.
	ExecuteAPIShape bool
}

// hostCache memoizes ClassifyHost (its regular expressions were 5% of a
// check): a workspace has few distinct hosts, and every request is
// evaluated in every environment. It stops growing at hostCacheMax
// entries.
var (
	hostCache  sync.Map // host string -> HostInfo
	hostCached atomic.Int64
)

const hostCacheMax = 4096

// ClassifyHost reads a host name (without port; may be bracketed IPv6).
func ClassifyHost(host string) HostInfo {
	if v, ok := hostCache.Load(host); ok {
		return v.(HostInfo)
	}
	info := classifyHost(host)
	if hostCached.Load() < hostCacheMax {
		if _, loaded := hostCache.LoadOrStore(host, info); !loaded {
			hostCached.Add(1)
		}
	}
	return info
}

func classifyHost(host string) HostInfo {
	h := strings.ToLower(strings.TrimSuffix(host, "."))
	info := HostInfo{Name: h}
	if h == "" || strings.Contains(h, UnknownMark) {
		info.Kind = HostUnknown
		if m := partialExecuteAPIHost.FindStringSubmatch(h); m != nil {
			info.ExecuteAPIShape = true
			if !strings.Contains(m[1], UnknownMark) {
				info.APIID = m[1]
			}
			if !strings.Contains(m[2], UnknownMark) {
				info.Region = m[2]
			}
		}
		return info
	}
	if m := privateEPHost.FindStringSubmatch(h); m != nil {
		info.Kind, info.APIID, info.VpceID, info.Region = HostPrivateEndpoint, m[1], m[2], m[3]
		return info
	}
	if m := executeAPIHost.FindStringSubmatch(h); m != nil {
		info.Kind, info.APIID, info.Region = HostExecuteAPI, m[1], m[2]
		return info
	}
	if m := vpceHost.FindStringSubmatch(h); m != nil {
		info.Kind, info.VpceID, info.Region = HostVPCE, m[1], m[3]
		return info
	}
	if isLocalHost(h) {
		info.Kind = HostLocal
		return info
	}
	if strings.HasSuffix(h, ".cloudfront.net") {
		info.Kind = HostCloudFront
		return info
	}
	info.Kind = HostOther
	return info
}

func isLocalHost(h string) bool {
	h = strings.TrimSuffix(strings.TrimPrefix(h, "["), "]")
	switch {
	case h == "localhost", h == "host.docker.internal", strings.HasSuffix(h, ".localhost"),
		h == "0.0.0.0", h == "::1":
		return true
	}
	if ip := net.ParseIP(h); ip != nil {
		return ip.IsLoopback() || ip.IsUnspecified()
	}
	return false
}

// Segment is one path segment of a URL, with its byte range in the
// expanded URL text. Unknown segments contain an unknown piece and match
// any single segment.
type Segment struct {
	Text       string
	Start, End int
	Unknown    bool
	// Secret is true when part of the segment is a secret value (private
	// env file, .env, $processEnv): show it masked.
	Secret bool
}

// Display returns the segment for people: "****" when it holds a secret.
func (s Segment) Display() string {
	if s.Secret {
		return "****"
	}
	return s.Text
}

// URL is a request's expanded URL, split into parts with byte ranges in
// Exp.Text so findings can point back at the source.
type URL struct {
	Exp    *Expanded
	Scheme string
	// Host is the host name without port; HostStart/HostEnd locate it.
	Host               string
	HostStart, HostEnd int
	Port               string
	HostInfo           HostInfo
	// Path is the path without query ("/" when empty); PathStart is where
	// it begins in Exp.Text.
	Path      string
	PathStart int
	Segments  []Segment
	// PathUnknownTail is true when an unknown piece may stand for several
	// segments (e.g. `{{baseUrl}}` ending the path part we know): the path
	// can then not be matched exactly.
	PathUnknownTail bool
	Query           string
	QueryStart      int
}

// ParseURL splits an expanded request target. hostHeader is the value of
// a Host header for origin-form targets ("/path"), or "".
func ParseURL(exp *Expanded, hostHeader string) *URL {
	t := exp.Text
	u := &URL{Exp: exp}
	i := 0
	// Variables whose value is empty leave no trace in t: where they
	// stand, the URL is not known (an empty {{apiId}} does not make
	// `.execute-api..amazonaws.com` a host).
	empties := exp.emptyVars()
	if len(empties) > 0 && empties[0] == 0 && !strings.Contains(t, "://") {
		// `{{baseUrl}}/orders` with baseUrl = "": nothing is known about
		// host or path.
		u.HostInfo = HostInfo{Kind: HostUnknown}
		u.PathStart = -1
		u.PathUnknownTail = true
		return u
	}
	if k := strings.Index(t, "://"); k >= 0 && !strings.ContainsAny(t[:k], "/?#") {
		u.Scheme = strings.ToLower(t[:k])
		i = k + 3
		hostEnd := len(t)
		if j := strings.IndexAny(t[i:], "/?#"); j >= 0 {
			hostEnd = i + j
		}
		hostport := t[i:hostEnd]
		if at := strings.LastIndexByte(hostport, '@'); at >= 0 { // userinfo
			i += at + 1
			hostport = hostport[at+1:]
		}
		host, port := splitHostPort(hostport)
		u.Host, u.Port = host, port
		u.HostStart, u.HostEnd = i, i+len(host)
		i = hostEnd
	} else if strings.HasPrefix(t, "/") || t == "" {
		host, port := splitHostPort(strings.TrimSpace(hostHeader))
		u.Host, u.Port = host, port
		u.HostStart, u.HostEnd = -1, -1
	} else if !strings.HasPrefix(t, UnknownMark) {
		// "example.com/path": clients default to http(s)://
		hostEnd := len(t)
		if j := strings.IndexAny(t, "/?#"); j >= 0 {
			hostEnd = j
		}
		host, port := splitHostPort(t[:hostEnd])
		u.Host, u.Port = host, port
		u.HostStart, u.HostEnd = 0, len(host)
		i = hostEnd
	} else {
		// The target starts with an unknown piece ({{baseUrl}} unresolved):
		// nothing is known about host or path.
		u.HostInfo = HostInfo{Kind: HostUnknown}
		u.Path = ""
		u.PathStart = -1
		u.PathUnknownTail = true
		return u
	}
	if u.HostStart >= 0 && hasIn(empties, u.HostStart, u.HostEnd) {
		u.HostInfo = ClassifyHost(markAt(t, u.HostStart, u.HostEnd, empties))
	} else {
		u.HostInfo = ClassifyHost(u.Host)
	}
	pathEnd := len(t)
	if j := strings.IndexAny(t[i:], "?#"); j >= 0 {
		pathEnd = i + j
		if t[pathEnd] == '?' {
			u.QueryStart = pathEnd + 1
			q := t[pathEnd+1:]
			if h := strings.IndexByte(q, '#'); h >= 0 {
				q = q[:h]
			}
			u.Query = q
		}
	}
	u.PathStart = i
	u.Path = t[i:pathEnd]
	if u.Path == "" {
		u.Path = "/"
	}
	// Split segments; empty segments from "//" are kept out.
	u.Segments = make([]Segment, 0, strings.Count(t[i:pathEnd], "/")+1)
	start := i
	for k := i; k <= pathEnd; k++ {
		if k == pathEnd || t[k] == '/' {
			// A segment that is (or holds) an empty value is unknown:
			// `/{{stage}}/orders` with stage = "" names no stage.
			empty := len(empties) > 0 && hasIn(empties, start, k)
			if k > start || empty {
				seg := t[start:k]
				u.Segments = append(u.Segments, Segment{Text: seg, Start: start, End: k, Unknown: empty || strings.Contains(seg, UnknownMark), Secret: exp.secretIn(start, k)})
			}
			start = k + 1
		}
	}
	// An unknown piece at the end of the path may hide more segments.
	if n := len(u.Segments); n > 0 && u.Segments[n-1].Unknown && strings.HasSuffix(u.Segments[n-1].Text, UnknownMark) {
		u.PathUnknownTail = true
	}
	return u
}

func splitHostPort(hp string) (host, port string) {
	if strings.HasPrefix(hp, "[") {
		if j := strings.IndexByte(hp, ']'); j >= 0 {
			host = hp[:j+1]
			if strings.HasPrefix(hp[j+1:], ":") {
				port = hp[j+2:]
			}
			return host, port
		}
	}
	if j := strings.LastIndexByte(hp, ':'); j >= 0 && !strings.Contains(hp[j+1:], UnknownMark) && isDigits(hp[j+1:]) {
		return hp[:j], hp[j+1:]
	}
	return hp, ""
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// emptyVars returns the offsets in e.Text where a variable's value is
// empty, in order (nil for most texts).
func (e *Expanded) emptyVars() []int {
	var out []int
	pos := 0
	for _, p := range e.Pieces {
		switch {
		case p.Unknown:
			pos += len(UnknownMark)
		case p.Var != "" && p.Text == "":
			out = append(out, pos)
		default:
			pos += len(p.Text)
		}
	}
	return out
}

// hasIn reports whether one of the sorted offsets lies in [start, end].
func hasIn(offs []int, start, end int) bool {
	for _, o := range offs {
		if o >= start && o <= end {
			return true
		}
	}
	return false
}

// markAt returns t[start:end] with UnknownMark where an empty value
// stands.
func markAt(t string, start, end int, offs []int) string {
	var b strings.Builder
	at := start
	for _, o := range offs {
		if o < start || o > end {
			continue
		}
		b.WriteString(t[at:o])
		b.WriteString(UnknownMark)
		at = o
	}
	b.WriteString(t[at:end])
	return b.String()
}

// HostKnown reports whether the host was fully resolved.
func (u *URL) HostKnown() bool {
	return u.HostInfo.Kind != HostUnknown
}
