package rules

import (
	"strings"
	"unicode/utf8"

	"github.com/gw403/gw403-lsp/analyzer"
	"github.com/gw403/gw403-lsp/analyzer/link"
	"github.com/gw403/gw403-lsp/analyzer/msg"
	"github.com/gw403/gw403-lsp/analyzer/suggest"
	"github.com/gw403/gw403-lsp/schemas/apimodel"
	"github.com/gw403/gw403-lsp/schemas/source"
)

// This file holds what the linked request rules (GW101, GW102, GW111,
// GW121, GW122, GW131, GW132, GW141, GW142, GW181) share: how a linked
// request's URL reads against its API (readLinkedRequest), the predicates that
// keep one finding per cause, and helpers that turn byte ranges of the
// expanded URL into edits.

// pathState says how a linked request's URL reads against the stages of
// its API and the base path mappings of a custom domain.
type pathState int

const (
	// pathReadOK: the stage or base path is right, or the URL needs none.
	pathReadOK pathState = iota
	// pathReadUnknown: cannot tell (an unresolved segment, stage names decided
	// at deploy time); the stage rules stay quiet.
	pathReadUnknown
	// stageMissing: the URL has no stage where one belongs (GW131).
	stageMissing
	// stageWrong: the segment where the stage belongs names no stage
	// (GW132).
	stageWrong
	// stageRepeated: a custom domain's mapping selects the stage and the
	// path repeats it (GW141).
	stageRepeated
	// basePathUnmapped: no base path mapping of the custom domain matches
	// (GW142).
	basePathUnmapped
)

// reading is how a linked request's URL maps onto its API, with the stage
// or base path problem set apart so that the path and method rules judge
// only the resource path the request means.
type reading struct {
	rc   *link.RequestContext
	snap *link.Snapshot
	link *link.Link
	// api is nil when no API can be named (basePathUnmapped, a mapping to
	// an API outside the workspace).
	api   *apimodel.API
	state pathState
	// seg is the segment at fault: the stage segment (stageWrong,
	// stageRepeated), the segment where the stage belongs (stageMissing),
	// the first segment (basePathUnmapped). hasSeg is false when the URL
	// has no segment there.
	seg    link.Segment
	hasSeg bool
	// stageSegs are the URL segments from where the stage belongs, for
	// stageMissing and stageWrong.
	stageSegs []link.Segment
	// resource are the resource segments the request means once its stage
	// or base path is right; resourceKnown is false when that cannot be
	// told.
	resource      []link.Segment
	resourceKnown bool
	// routes match resource, most specific first; route also serves the
	// request's method (nil when none does).
	routes []*apimodel.Route
	route  *apimodel.Route
}

// readingKey is the request memo key of readLinkedRequest.
type readingKey struct{}

// readLinkedRequest reads the linked request of p (p.Request.Link != nil),
// once per request context: the rules that need the reading share it and
// must not modify it.
func readLinkedRequest(p *analyzer.Pass) *reading {
	return p.Request.Memo(readingKey{}, func() any { return readRequest(p.Request, p.Snap) }).(*reading)
}

// readRequest reads a request against its link; see readLinkedRequest.
func readRequest(rc *link.RequestContext, snap *link.Snapshot) *reading {
	r := &reading{rc: rc, snap: snap, link: rc.Link, state: pathReadUnknown}
	if rc.Link == nil {
		return r
	}
	r.api = rc.Link.API
	u := rc.URL
	if u.PathStart < 0 {
		return r
	}
	l := rc.Link
	switch {
	case l.Domain != nil && l.Mapping == nil:
		r.readUnmapped()
	case l.Domain != nil:
		r.readMapped()
	default:
		r.readStage(u.Segments, false)
	}
	switch {
	case r.resourceKnown && r.api != nil && sameSegments(r.resource, l.Resource) && l.API == r.api:
		// The link already matched this resource path.
		r.routes, r.route = l.Routes, l.Route
	case r.resourceKnown && r.api != nil:
		r.routes = link.PathRoutes(r.api, r.resource, u.PathUnknownTail)
		r.route = link.MethodRoute(r.routes, rc.Req.Method)
	}
	return r
}

// sameSegments reports whether a and b are the same segments of one URL.
func sameSegments(a, b []link.Segment) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// readUnmapped reads a request on a custom domain that no base path
// mapping matches.
func (r *reading) readUnmapped() {
	d := r.link.Domain
	if d.External || len(d.Mappings) == 0 {
		// The domain may have mappings the workspace does not show, or
		// has none at all (GW232 reports the domain).
		return
	}
	longest := 0
	for _, m := range d.Mappings {
		if !m.Known || m.BasePath == "" {
			return
		}
		longest = max(longest, len(splitURLPath(m.BasePath)))
	}
	u := r.rc.URL
	segs := u.Segments
	for i := 0; i < min(longest, len(segs)); i++ {
		if segs[i].Unknown {
			return
		}
	}
	if u.PathUnknownTail && len(segs) < longest {
		return
	}
	r.state = basePathUnmapped
	if len(segs) > 0 {
		r.seg, r.hasSeg = segs[0], true
	}
}

// readMapped reads a request on a custom domain through its mapping.
func (r *reading) readMapped() {
	l, m := r.link, r.link.Mapping
	if r.api == nil {
		return
	}
	if l.StageSeg >= 0 || (m.Stage == "" && !m.StageUnknown && r.api.Kind == apimodel.REST) {
		// The mapping names no stage: the URL carries it after the base
		// path.
		r.readStage(r.rc.URL.Segments[len(splitURLPath(m.BasePath)):], true)
		return
	}
	r.state, r.resource, r.resourceKnown = pathReadOK, l.Resource, true
	res := l.Resource
	if len(res) == 0 || res[0].Unknown || !r.api.RoutesKnown || len(r.api.Routes) == 0 {
		return
	}
	if !stageOfMapping(r.api, m, res[0].Text) {
		return
	}
	if len(link.PathRoutes(r.api, res, r.rc.URL.PathUnknownTail)) > 0 {
		return // the path exists as written (a {proxy+} or a resource named like the stage)
	}
	r.state, r.seg, r.hasSeg, r.resource = stageRepeated, res[0], true, res[1:]
}

// stageOfMapping reports whether seg names the stage a mapping selects, or
// (case-insensitively) another stage of the mapped API.
func stageOfMapping(api *apimodel.API, m *apimodel.Mapping, seg string) bool {
	if m.Stage != "" && seg == m.Stage {
		return true
	}
	for _, st := range api.Stages {
		if st.Deployed && !st.IsDefault() && strings.EqualFold(st.Name, seg) {
			return true
		}
	}
	return false
}

// readStage reads segs, the URL segments from where the stage belongs (the
// default endpoint's path, or the path after the base path of a REST
// mapping that names no stage).
func (r *reading) readStage(segs []link.Segment, onDomain bool) {
	api, l, u := r.api, r.link, r.rc.URL
	if api == nil {
		return
	}
	if !onDomain {
		switch u.HostInfo.Kind {
		case link.HostExecuteAPI, link.HostPrivateEndpoint, link.HostVPCE:
		default:
			// A configured host or a variable host: its path layout is not
			// known, trust only a stage that exists.
			if l.Stage != nil {
				r.state, r.resource, r.resourceKnown = pathReadOK, l.Resource, true
			}
			return
		}
	}
	if l.Stage != nil {
		r.state, r.resource, r.resourceKnown = pathReadOK, l.Resource, true
		return
	}
	r.stageSegs = segs
	http := api.Kind == apimodel.HTTP
	known := api.StagesKnown && stagesLiteral(r.snap, api) && len(namedStages(api)) > 0
	if http && (!known || api.StageNamed("$default") != nil) {
		return // a $default stage may serve the path without a stage segment
	}
	if len(segs) == 0 {
		if !u.PathUnknownTail {
			// Nothing after the host: which resource is meant is not
			// known, only that the stage is missing.
			r.state = stageMissing
		}
		return
	}
	first := segs[0]
	if first.Unknown {
		r.resource, r.resourceKnown = segs[1:], true
		return
	}
	tail := u.PathUnknownTail
	if !known {
		// Stage names are decided at deploy time (a parameter, an
		// intrinsic) or not written down (an OpenAPI document): the first
		// segment is probably the stage, but the stage may be missing.
		// Read the path as a resource only when that reading is not
		// contradicted by the other one.
		method := r.rc.Req.Method
		full, rest := link.PathRoutes(api, segs, tail), link.PathRoutes(api, segs[1:], tail)
		switch {
		case len(full) > 0 && startsRoute(api, first.Text):
			// The first segment is a resource: maybe no stage.
		case link.MethodRoute(rest, method) != nil:
			r.resource, r.resourceKnown = segs[1:], true
		case link.MethodRoute(full, method) != nil:
			// Only the reading without a stage serves the request.
		case len(rest) > 0:
			r.resource, r.resourceKnown = segs[1:], true
		case len(full) > 0:
		default:
			r.resource, r.resourceKnown = segs[1:], true
		}
		return
	}
	dStage := 1 << 30
	if c := closeStages(api, first.Text); len(c) > 0 {
		dStage = c[0].Dist
	}
	dRoute := routeSegDistance(api, first.Text)
	switch {
	case dStage <= dRoute && dStage < 1<<30:
		r.state, r.resource = stageWrong, segs[1:]
	case dRoute == 0 || (dRoute <= suggest.Limit(first.Text) && dRoute < dStage):
		r.state, r.resource = stageMissing, segs
	default:
		r.state, r.resource = stageWrong, segs[1:]
	}
	r.seg, r.hasSeg, r.resourceKnown = first, true, true
}

// namedStages returns the deployed stages of api that appear in URLs (not
// $default).
func namedStages(api *apimodel.API) []*apimodel.Stage {
	var out []*apimodel.Stage
	for _, st := range api.Stages {
		if st.Deployed && !st.IsDefault() {
			out = append(out, st)
		}
	}
	return out
}

// stagesLiteral reports whether every stage name of api is written
// literally in its template. A name that comes from a parameter default or
// an intrinsic (`StageName: !Ref Stage`) is decided at deploy time: any
// other name may be deployed.
func stagesLiteral(snap *link.Snapshot, api *apimodel.API) bool {
	for _, st := range api.Stages {
		if len(st.Params) > 0 && api.Origin == apimodel.Serverless {
			return false // a default stage (${opt:stage, 'dev'}, no provider.stage): the CLI may name another
		}
		if st.Implicit || st.Loc.IsZero() {
			continue
		}
		fd := snap.Files[st.Loc.Path]
		if fd == nil || fd.Src == nil {
			continue
		}
		if fd.Kind == link.KindTerraform {
			// The model says which variables with defaults (that a
			// -var may override) the name came from.
			if len(st.Params) > 0 {
				return false
			}
			continue
		}
		text := fd.Src.Text
		sp := st.Loc.Span
		if sp.Start < 0 || sp.End > len(text) || sp.End < sp.Start {
			return false
		}
		tok := strings.TrimSpace(text[sp.Start:sp.End])
		if len(tok) >= 2 && (tok[0] == '"' || tok[0] == '\'') && tok[len(tok)-1] == tok[0] {
			tok = tok[1 : len(tok)-1]
		}
		if tok != st.Name {
			return false
		}
		// A short-form tag before the value (`!Ref prod`) makes it an
		// intrinsic whatever the text.
		before := strings.TrimRight(text[max(0, sp.Start-16):sp.Start], " \t")
		if i := strings.LastIndexAny(before, " \t:-[{,\n"); i >= 0 {
			before = before[i+1:]
		}
		if strings.HasPrefix(before, "!") {
			return false
		}
	}
	return true
}

// closeStages returns the stages of api that seg may be a misspelling of,
// closest first: a name equal but for case counts as distance 0.
func closeStages(api *apimodel.API, seg string) []suggest.Match {
	var names []string
	for _, st := range namedStages(api) {
		names = append(names, st.Name)
	}
	return suggest.Closest(seg, names)
}

// startsRoute reports whether a route path of api starts with the literal
// segment seg.
func startsRoute(api *apimodel.API, seg string) bool {
	return routeSegDistance(api, seg) == 0
}

// routeSegDistance is the smallest edit distance between seg and the first
// literal segment of a route of api (1<<30 when there is none).
func routeSegDistance(api *apimodel.API, seg string) int {
	best := 1 << 30
	for _, rt := range api.Routes {
		ts := splitURLPath(rt.Path)
		if len(ts) == 0 || isPathParam(ts[0]) || rt.Path == "$default" {
			continue
		}
		d := suggest.Distance(seg, ts[0])
		if d < best {
			best = d
		}
	}
	return best
}

func isPathParam(seg string) bool {
	return strings.HasPrefix(seg, "{") && strings.HasSuffix(seg, "}")
}

func splitURLPath(p string) []string {
	var out []string
	for _, s := range strings.Split(p, "/") {
		if s != "" {
			out = append(out, s)
		}
	}
	return out
}

// ---------- Predicates shared between rules (one finding per cause) ----------

// requiresAPIKey reports whether the route needs an x-api-key header: REST
// APIs only (HTTP APIs have no API keys), and not when a Lambda authorizer
// supplies the key (API key source AUTHORIZER).
func requiresAPIKey(api *apimodel.API, rt *apimodel.Route) bool {
	return api != nil && rt != nil && api.Kind == apimodel.REST && rt.Auth.APIKeyRequired &&
		!strings.EqualFold(api.APIKeySource, "AUTHORIZER")
}

// keyQueryParam is a query parameter that carries an API key.
type keyQueryParam struct {
	name       string
	start, end int // the `name=value` pair in URL.Exp.Text
	valueStart int
}

// misspelledKey returns the header or query parameter through which the
// request tries to send an API key under a name API Gateway does not read
// (GW102), when it sends no x-api-key header. Both are nil otherwise.
func misspelledKey(rc *link.RequestContext) (*link.Header, *keyQueryParam) {
	if rc.Header("x-api-key") != nil {
		return nil, nil
	}
	for i := range rc.Headers {
		h := &rc.Headers[i]
		if nearAPIKeyName(h.H.Name) {
			return h, nil
		}
	}
	if q := keyInQuery(rc.URL); q != nil {
		return nil, q
	}
	return nil, nil
}

// nearAPIKeyName reports whether a header or parameter name looks like an
// attempt at x-api-key: x-apikey, x_api_key, apikey, api-key, x-api_key,
// X-API-KEYS, x-api-kye…
func nearAPIKeyName(name string) bool {
	n := strings.ToLower(strings.TrimSpace(name))
	if n == "x-api-key" {
		return false
	}
	var b strings.Builder
	for _, c := range n {
		if c != '-' && c != '_' && c != ' ' && c != '.' {
			b.WriteRune(c)
		}
	}
	norm := b.String()
	switch norm {
	case "xapikey", "apikey", "xapikeys", "apikeys", "xapikeyheader", "apikeyheader":
		return true
	}
	// One slip of the keyboard away from x-api-key (a transposition counts
	// as one). The distance is at least the difference in length, so only
	// 6 to 8 characters can be one away.
	size := utf8.RuneCountInString(norm)
	return size >= 6 && size <= 8 && strings.Contains(norm, "api") && suggest.Distance(norm, "xapikey") == 1
}

// keyInQuery returns the query parameter that carries an API key
// (`?api_key=…`, `?x-api-key=…`, `?apikey=…`), or nil.
func keyInQuery(u *link.URL) *keyQueryParam {
	if u.QueryStart <= 0 || u.Query == "" {
		return nil
	}
	pos := u.QueryStart
	for _, pair := range strings.Split(u.Query, "&") {
		name := pair
		if i := strings.IndexByte(pair, '='); i >= 0 {
			name = pair[:i]
		}
		if name == "x-api-key" || nearAPIKeyName(name) {
			q := &keyQueryParam{name: name, start: pos, end: pos + len(pair), valueStart: pos + len(pair)}
			if i := strings.IndexByte(pair, '='); i >= 0 {
				q.valueStart = pos + i + 1
			}
			return q
		}
		pos += len(pair) + 1
	}
	return nil
}

// signed reports whether the request carries a SigV4 signature, or may
// (an Authorization header whose value is only known when sent).
func requestSigned(rc *link.RequestContext) bool {
	for _, h := range rc.Headers {
		if h.H.AWS != nil {
			return true
		}
		if !strings.EqualFold(h.H.Name, "Authorization") {
			continue
		}
		v := strings.ToUpper(strings.TrimSpace(h.Value.Text))
		if !h.Value.Complete() {
			// Only known when sent: a SigV4 value unless its known start
			// says otherwise ("Bearer {{token}}").
			known := strings.TrimSpace(v[:strings.IndexByte(v, 0)])
			if known == "" || strings.HasPrefix("AWS4-HMAC-SHA256", known) || strings.HasPrefix(known, "AWS4-HMAC-SHA256") {
				return true
			}
			continue
		}
		if strings.HasPrefix(v, "AWS4-HMAC-SHA256") {
			return true
		}
	}
	// A presigned URL.
	q := strings.ToLower(rc.URL.Query)
	return strings.Contains(q, "x-amz-signature=") || strings.Contains(q, "x-amz-credential=")
}

// ---------- Messages ----------

// methodPathLabel is "GET /prod/orders" for messages: the method and the path
// as sent, secrets masked.
func methodPathLabel(rc *link.RequestContext) string {
	return rc.Req.Method + " " + urlPathDisplay(rc)
}

// urlPathDisplay is the URL's path for messages ("/" when empty).
func urlPathDisplay(rc *link.RequestContext) string {
	u := rc.URL
	if u.PathStart < 0 {
		return rc.URL.Exp.Display()
	}
	end := u.PathStart + len(u.Path)
	if u.Path == "/" && (u.PathStart >= len(u.Exp.Text) || u.Exp.Text[u.PathStart] != '/') {
		return "/"
	}
	s := urlRangeDisplay(u.Exp, u.PathStart, min(end, len(u.Exp.Text)))
	if s == "" {
		return "/"
	}
	return s
}

// segmentsPath is "/a/b" for segments as sent ("/" when none).
func segmentsPath(rc *link.RequestContext, segs []link.Segment) string {
	if len(segs) == 0 {
		return "/"
	}
	var b strings.Builder
	for _, s := range segs {
		b.WriteString("/" + urlRangeDisplay(rc.URL.Exp, s.Start, s.End))
	}
	return b.String()
}

// urlRangeDisplay is the text of [start, end) of e for people: unknown pieces
// as their {{reference}}, secret values masked.
func urlRangeDisplay(e *link.Expanded, start, end int) string {
	ps, ok := urlPieces(e)
	if !ok {
		return e.Display()
	}
	var b strings.Builder
	for _, p := range ps {
		if p.end <= start || p.start >= end {
			continue
		}
		switch {
		case p.p.Unknown:
			if p.p.Var != "" {
				b.WriteString("{{" + p.p.Var + "}}")
			} else {
				b.WriteString(p.p.Text)
			}
		case p.p.Secret:
			b.WriteString("****")
		default:
			b.WriteString(p.p.Text[max(start, p.start)-p.start : min(end, p.end)-p.start])
		}
	}
	return b.String()
}

// stageNames lists the stages of api for messages: "Prod, Stage".
func stageNames(api *apimodel.API) string {
	var names []string
	for _, st := range namedStages(api) {
		names = append(names, st.Name)
	}
	if len(names) == 0 {
		return "(none)"
	}
	return strings.Join(names, ", ")
}

// ---------- Edits ----------

// urlPiece is a piece of an expanded text with its byte range there.
type urlPiece struct {
	p          *link.Piece
	start, end int
}

// urlPieces returns the pieces of e with their byte ranges in e.Text.
// ok is false when the ranges do not add up to the text (then no edit is
// offered).
func urlPieces(e *link.Expanded) ([]urlPiece, bool) {
	out := make([]urlPiece, 0, len(e.Pieces))
	pos := 0
	for i := range e.Pieces {
		p := &e.Pieces[i]
		n := len(p.Text)
		if p.Unknown {
			n = 1 // NewExpanded writes one mark byte for an unknown piece
		}
		out = append(out, urlPiece{p, pos, pos + n})
		pos += n
	}
	return out, pos == len(e.Text)
}

// exactText reports whether a piece's text is the source text byte for
// byte, so sub-ranges can be edited.
func (p urlPiece) exactText() bool {
	return !p.p.Unknown && p.p.Exact && p.p.Span.Len() == len(p.p.Text)
}

// baseURLValue reports whether a piece is the value of a variable that
// holds a whole base URL (`https://…`): the stage or base path of an
// environment belongs there.
func (p urlPiece) baseURLValue() bool {
	return p.p.Var != "" && p.exactText() && strings.Contains(p.p.Text, "://")
}

// urlReplaceEdit replaces the byte range [start, end) of the request's
// expanded URL where its text really lives: the request file, or the env
// file or file variable that holds it. ok is false when the range is not
// one exact piece of source.
func urlReplaceEdit(rc *link.RequestContext, start, end int, text string) (analyzer.Edit, bool) {
	if start == end {
		return urlInsertEdit(rc, start, text)
	}
	path, span, exact := rc.URLSource(start, end)
	if !exact || path == "" {
		return analyzer.Edit{}, false
	}
	return analyzer.Edit{Path: path, Span: span, NewText: text}, true
}

// urlInsertEdit inserts text at byte offset pos of the request's expanded
// URL. At the boundary between a base-URL variable and literal text it
// edits the variable's value (where the environment's stage and base path
// live); otherwise the literal text of the request line.
func urlInsertEdit(rc *link.RequestContext, pos int, text string) (analyzer.Edit, bool) {
	ps, ok := urlPieces(rc.URL.Exp)
	if !ok {
		return analyzer.Edit{}, false
	}
	var left, right, inside *urlPiece
	for i := range ps {
		p := &ps[i]
		switch {
		case p.start < pos && pos < p.end:
			inside = p
		case p.end == pos && p.start < pos:
			left = p
		case p.start == pos && p.end > pos && right == nil:
			right = p
		}
	}
	at := func(p *urlPiece, off int) (analyzer.Edit, bool) {
		s := p.p.Span.Start + off
		return analyzer.Edit{Path: p.p.Path, Span: source.Span{Start: s, End: s}, NewText: text}, true
	}
	switch {
	case inside != nil:
		if inside.exactText() {
			return at(inside, pos-inside.start)
		}
	case left != nil && left.baseURLValue():
		return at(left, left.end-left.start)
	case right != nil && right.p.Var == "" && right.exactText():
		return at(right, 0)
	case left != nil && left.exactText():
		return at(left, left.end-left.start)
	case right != nil && right.exactText():
		return at(right, 0)
	case left == nil && right == nil && pos == len(rc.URL.Exp.Text) && len(ps) == 0:
		s := rc.Req.TargetSpan.End
		return analyzer.Edit{Path: rc.Path, Span: source.Span{Start: s, End: s}, NewText: text}, true
	}
	return analyzer.Edit{}, false
}

// urlInsertOwnEdit inserts text at byte offset pos of the request's
// expanded URL on the request line itself, never in a variable's value:
// `{{host}}/items` becomes `{{host}}/v1/items`, not `@host = …/v1`.
func urlInsertOwnEdit(rc *link.RequestContext, pos int, text string) (analyzer.Edit, bool) {
	ps, ok := urlPieces(rc.URL.Exp)
	if !ok {
		return analyzer.Edit{}, false
	}
	for i := range ps {
		p := &ps[i]
		inReq := p.p.Path == rc.Path && p.p.Var == "" && p.exactText()
		switch {
		case inReq && p.start <= pos && pos <= p.end:
			s := p.p.Span.Start + pos - p.start
			return analyzer.Edit{Path: rc.Path, Span: source.Span{Start: s, End: s}, NewText: text}, true
		case p.p.Var != "" && p.end == pos && !p.p.RefSpan.IsEmpty() && (i+1 == len(ps) || ps[i+1].p.Var != ""):
			// The URL ends with the variable, or another one follows:
			// insert after its {{reference}}.
			s := p.p.RefSpan.End
			return analyzer.Edit{Path: rc.Path, Span: source.Span{Start: s, End: s}, NewText: text}, true
		}
	}
	return analyzer.Edit{}, false
}

// insertSegmentFixes returns the fix that inserts a segment in front of
// segs[0] (see insertSegmentEdit) and, when that edit lands in a shared
// definition (a base-URL variable's value), the same insertion on the
// request line as its fallback (see analyzer.Fix.Fallback). ownSeg is the
// segment text the request line gets (a {{variable}} there may stand for
// the value written into an env file).
func insertSegmentFixes(rc *link.RequestContext, segs []link.Segment, seg, ownSeg string, title msg.Text, safe bool) []analyzer.Fix {
	e, ok := insertSegmentEdit(rc, segs, seg)
	if !ok {
		return nil
	}
	fixes := []analyzer.Fix{{Title: title, Edits: []analyzer.Edit{e}, Safe: safe, Preferred: safe}}
	if e.Path == rc.Path && rc.Req.TargetSpan.Start <= e.Span.Start && e.Span.End <= rc.Req.TargetSpan.End {
		return fixes
	}
	var own analyzer.Edit
	u := rc.URL
	switch {
	case len(segs) > 0 && segs[0].Start > 0 && u.Exp.Text[segs[0].Start-1] == '/':
		own, ok = urlInsertOwnEdit(rc, segs[0].Start-1, "/"+ownSeg)
	case len(segs) > 0:
		own, ok = urlInsertOwnEdit(rc, segs[0].Start, ownSeg+"/")
	case u.PathStart >= 0:
		own, ok = urlInsertOwnEdit(rc, u.PathStart, "/"+ownSeg)
	default:
		ok = false
	}
	if ok && own != e {
		fixes = append(fixes, analyzer.Fix{
			Title: msg.T("%s in this request", "このリクエストだけに%s", title),
			Edits: []analyzer.Edit{own}, Safe: safe, Preferred: safe, Fallback: true,
		})
	}
	return fixes
}

// deleteSegmentEdit deletes a path segment with one of its slashes: "/seg"
// when that is one exact piece of source, else "seg/".
func deleteSegmentEdit(rc *link.RequestContext, seg link.Segment) (analyzer.Edit, bool) {
	t := rc.URL.Exp.Text
	if seg.Start > 0 && t[seg.Start-1] == '/' {
		if e, ok := urlReplaceEdit(rc, seg.Start-1, seg.End, ""); ok {
			return e, true
		}
	}
	if seg.End < len(t) && t[seg.End] == '/' {
		if e, ok := urlReplaceEdit(rc, seg.Start, seg.End+1, ""); ok {
			return e, true
		}
	}
	return analyzer.Edit{}, false
}

// insertSegmentEdit inserts a segment (or several, "a/b") in front of
// segs[0], or at the end of an empty path.
func insertSegmentEdit(rc *link.RequestContext, segs []link.Segment, seg string) (analyzer.Edit, bool) {
	u := rc.URL
	if len(segs) > 0 {
		s := segs[0]
		if s.Start > 0 && u.Exp.Text[s.Start-1] == '/' {
			return urlInsertEdit(rc, s.Start-1, "/"+seg)
		}
		return urlInsertEdit(rc, s.Start, seg+"/")
	}
	if u.PathStart < 0 {
		return analyzer.Edit{}, false
	}
	if u.PathStart < len(u.Exp.Text) && u.Exp.Text[u.PathStart] == '/' {
		return urlInsertEdit(rc, u.PathStart, "/"+seg)
	}
	return urlInsertEdit(rc, u.PathStart, "/"+seg)
}

// headerInsertEdit inserts a header line after the request's headers.
// ApplyEdits turns "\n" into the file's line break.
func headerInsertEdit(rc *link.RequestContext, line string) analyzer.Edit {
	req := rc.Req
	text := line + "\n"
	if req.HeaderInsertNeedsEOL {
		text = "\n" + line
	}
	return analyzer.Edit{Path: rc.Path, Span: source.Span{Start: req.HeaderInsert, End: req.HeaderInsert}, NewText: text}
}

// urlSegSpan is where a finding about a URL segment points: the segment on
// the request line, or the {{reference}} that holds it.
func urlSegSpan(rc *link.RequestContext, s link.Segment) source.Span {
	return rc.RequestSpan(s.Start, s.End)
}

// urlPathSpan is where a finding about the whole path points.
func urlPathSpan(rc *link.RequestContext) source.Span {
	u := rc.URL
	if u.PathStart < 0 || len(u.Segments) == 0 {
		return rc.Req.TargetSpan
	}
	first, last := u.Segments[0], u.Segments[len(u.Segments)-1]
	return rc.RequestSpan(max(first.Start-1, u.PathStart), last.End)
}

// related points at a template fact, when it has a location.
func reqRelated(loc apimodel.Loc, message msg.Text) []analyzer.Related {
	if loc.IsZero() {
		return nil
	}
	return []analyzer.Related{{Path: loc.Path, Span: loc.Span, Message: message}}
}

// envVarNamed returns the first variable of names (compared
// case-insensitively, ignoring '-', '_' and '.') that is defined for the
// request, or "".
func envVarNamed(rc *link.RequestContext, names ...string) string {
	if len(rc.EnvVars) == 0 {
		return ""
	}
	have := make([]string, len(rc.EnvVars))
	for i, v := range rc.EnvVars {
		have[i] = foldVarName(v)
	}
	for _, want := range names {
		w := foldVarName(want)
		for i, v := range rc.EnvVars {
			if have[i] == w {
				return v
			}
		}
	}
	return ""
}

// foldVarName is a variable name without '-', '_' and '.', in lower case
// (in that order), for envVarNamed.
func foldVarName(s string) string {
	if strings.IndexAny(s, "-_.") >= 0 {
		b := make([]byte, 0, len(s))
		for i := 0; i < len(s); i++ {
			if c := s[i]; c != '-' && c != '_' && c != '.' {
				b = append(b, c)
			}
		}
		s = string(b)
	}
	return strings.ToLower(s)
}
