package explain

import (
	"net/url"
	"sort"
	"strings"

	"github.com/gw403/gw403-lsp/analyzer/msg"
	"github.com/gw403/gw403-lsp/schemas/capture"
)

// observed is one request of the input with the status it got: a kept
// exchange, or a HAR entry reduced to its request line.
type observed struct {
	x      *capture.Exchange // nil for a reduced HAR entry
	method string
	url    string
	status int
	entry  int // HAR entry, -1 when none
	line   int // line of the response in a text input, 0 when none
}

// observations lists every request of c with its status, in input order.
func observations(c *capture.Capture) []observed {
	if c == nil {
		return nil
	}
	out := make([]observed, 0, len(c.Exchanges)+len(c.Answered))
	for _, x := range c.Exchanges {
		if x.Request == nil || x.Response == nil {
			continue
		}
		out = append(out, observed{x: x, method: x.Request.Method, url: x.Request.URL, status: x.Response.Status, entry: x.Entry, line: x.Response.Line})
	}
	for _, a := range c.Answered {
		out = append(out, observed{method: a.Method, url: a.URL, status: a.Status, entry: a.Entry, line: a.Line})
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].line != out[j].line {
			return out[i].line < out[j].line
		}
		return out[i].entry < out[j].entry
	})
	return out
}

// sibling is another request of the input to the same host and path.
type sibling struct {
	observed
	after bool // it comes after the diagnosed exchange in the input
}

// label says where a sibling is in the input: "HAR entry 3", "line 40".
func (s sibling) label() msg.Text {
	switch {
	case s.line > 0:
		return msg.T("line %d", "%d 行目", s.line)
	case s.entry >= 0:
		return msg.T("HAR entry %d", "HAR のエントリ %d", s.entry+1)
	}
	return msg.T("another response of the input", "入力の別の応答")
}

// hostPath returns the lower-cased host and the path (no query) of an
// absolute request URL.
func hostPath(rawURL string) (host, path string, ok bool) {
	u, err := url.Parse(strings.TrimSpace(rawURL))
	if err != nil || u.Host == "" {
		return "", "", false
	}
	p := u.EscapedPath()
	if p == "" {
		p = "/"
	}
	return strings.ToLower(u.Hostname()), p, true
}

// reqPath is the path of the diagnosed request ("" when unknown).
func (b *builder) reqPath() string {
	if b.f.req == nil {
		return ""
	}
	if _, p, ok := hostPath(b.f.req.URL); ok {
		return p
	}
	return b.f.path
}

// siblings returns the other requests of the input to the same host and
// path as the diagnosed one, in input order.
func (b *builder) siblings() []sibling {
	if b.f.req == nil {
		return nil
	}
	host, path, ok := hostPath(b.f.req.URL)
	if !ok {
		return nil
	}
	var out []sibling
	for _, o := range b.others {
		if o.x == b.f.x {
			continue
		}
		h, p, ok := hostPath(o.url)
		if !ok || h != host || p != path {
			continue
		}
		after := b.f.x.Response.Line > 0 && o.line > b.f.x.Response.Line ||
			b.f.x.Response.Line == 0 && b.f.x.Entry >= 0 && o.entry > b.f.x.Entry
		out = append(out, sibling{observed: o, after: after})
	}
	return out
}

// resourceAnswered reports a status that only a resource that exists gets
// from a REST API: API Gateway answers an unknown resource or method with
// 403 Missing Authentication Token (or a gateway response rewriting it,
// hence no 404), never with the integration's answer.
func resourceAnswered(status int) bool {
	return status >= 200 && status < 600 && status != 401 && status != 403 && status != 404
}

// otherMethodAnswered explains a Missing Authentication Token when another
// method on the same path got an answer in the same input: the resource
// exists and this method does not (or needs IAM). It reports whether it
// added the causes.
func (b *builder) otherMethodAnswered(base []msg.Text) bool {
	f := b.f
	if f.req == nil {
		return false
	}
	var ok *sibling
	for _, s := range b.siblings() {
		if !strings.EqualFold(s.method, f.req.Method) && resourceAnswered(s.status) {
			s := s
			ok = &s
			break
		}
	}
	if ok == nil {
		return false
	}
	path := b.reqPath()
	ev := msg.T("%[1]s: %[2]s %[3]s answered %[4]d, so the resource %[3]s exists", "%[1]s: %[2]s %[3]s は %[4]d を返しているので、リソース %[3]s は存在する",
		ok.label(), ok.method, path, ok.status)
	b.add("method-not-defined", High, append(append([]msg.Text{}, base...), ev, b.evPath())...)
	switch {
	case f.signed:
		b.add("not-deployed", Medium, ev)
	case f.auth != "":
		b.add("iam-method-with-token", Medium, b.evAuth())
		b.add("not-deployed", Low)
	default:
		b.add("unsigned-iam", Medium, b.evNoSig())
		b.add("not-deployed", Low)
	}
	b.add("unknown-path", Low, ev)
	return true
}

// evPreflight cites what makes the request a CORS preflight.
func (b *builder) evPreflight() []msg.Text {
	f := b.f
	path := b.reqPath()
	out := []msg.Text{msg.T("the request is OPTIONS %s: a CORS preflight",
		"リクエストは OPTIONS %s（CORS のプリフライト）", path)}
	for _, h := range []string{"Origin", "Access-Control-Request-Method", "Access-Control-Request-Headers"} {
		if v := f.req.Headers.Get(h); v != "" {
			out = append(out, same(h+": "+msg.Clip(v, 120)))
		}
	}
	return out
}

// evBlockedAfterPreflight cites the absence, in a HAR, of the request the
// preflight asked for: the browser did not send it.
func (b *builder) evBlockedAfterPreflight() msg.Text {
	f := b.f
	m := strings.ToUpper(strings.TrimSpace(f.req.Headers.Get("Access-Control-Request-Method")))
	if m == "" || f.x.Entry < 0 || f.x.Response.Line > 0 {
		return msg.Text{} // only a HAR records what the browser sent next
	}
	for _, s := range b.siblings() {
		if s.after && strings.EqualFold(s.method, m) {
			return msg.Text{}
		}
	}
	path := b.reqPath()
	return msg.T("the HAR has no %s %s after this preflight: the browser did not send the request",
		"HAR にはこのプリフライトの後の %s %s がない（ブラウザはリクエストを送っていない）", m, path)
}

// preflight explains a 401/403 answer to an OPTIONS request, the browser's
// CORS preflight. It reports whether it did; other answers (an explicit
// deny, a WAF block) take the ordinary path.
func (b *builder) preflight() bool {
	f := b.f
	if len(f.waf) > 0 {
		return false
	}
	base := []msg.Text{b.evErrType(), b.evMsg()}
	ev := append(append(append([]msg.Text{}, base...), b.evPreflight()...), b.evBlockedAfterPreflight())
	if f.httpAPI {
		// HTTP APIs: no API keys; an authorizer on the route the
		// preflight reached answers 401 (JWT, Lambda) or 403 (IAM).
		if f.status != 401 && f.msg.kind != msgUnauthorized && f.msg.kind != msgForbidden && f.errType != "ForbiddenException" {
			return false
		}
		b.add("http-api-preflight-auth", High, append(ev, t("apigw-requestid header: an HTTP API", "apigw-requestid ヘッダー: HTTP API"))...)
		return true
	}
	switch {
	case f.status == 401 || f.msg.kind == msgUnauthorized || f.errType == "UnauthorizedException":
		b.add("cors-preflight-auth", High, ev...)
		b.add("identity-source-missing", Low, b.evNoAuth())
	case f.msg.kind == msgMissingAuthToken || f.errType == "MissingAuthenticationTokenException":
		// No OPTIONS method at all, or one that needs IAM: the same answer.
		if s := b.answeredPreflight(); s != nil {
			b.add("cors-preflight-auth", High, append(ev, *s)...)
			b.add("cors-preflight", Low)
		} else {
			b.add("cors-preflight", High, ev...)
			b.add("cors-preflight-auth", Medium, b.evPreflight()[0])
		}
		b.add("unknown-path", Medium, b.evPath())
	case f.msg.kind == msgForbidden || f.errType == "ForbiddenException" || f.msg.kind == msgInvalidAPIKey:
		b.add("cors-preflight-auth", High, ev...)
		if f.kind == hostExecuteAPI || f.kind == hostVPCESpecific {
			b.stageCauses(base)
		}
		if f.kind == hostCustom {
			b.add("no-base-path-mapping", Low, b.evHost())
		}
	default:
		return false
	}
	return true
}

// answeredPreflight cites another OPTIONS request on the same path that
// got an answer: the OPTIONS method exists.
func (b *builder) answeredPreflight() *msg.Text {
	for _, s := range b.siblings() {
		if strings.EqualFold(s.method, "OPTIONS") && resourceAnswered(s.status) {
			path := b.reqPath()
			ev := msg.T("%s: OPTIONS %s answered %d, so the OPTIONS method exists", "%s: OPTIONS %s は %d を返しているので、OPTIONS メソッドは存在する",
				s.label(), path, s.status)
			return &ev
		}
	}
	return nil
}

// stageFromOthers decides the stage causes of a request to a default host
// from the other requests of the input to that host that got an answer:
// their first path segment is a stage that exists. It reports whether the
// request's stage is one of them, and whether it decided at all.
func (b *builder) stageFromOthers(base []msg.Text) (stageOK, decided bool) {
	f := b.f
	if f.req == nil || f.kind != hostExecuteAPI {
		return false, false
	}
	host, _, ok := hostPath(f.req.URL)
	if !ok {
		return false, false
	}
	first := ""
	if len(f.segs) > 0 {
		first = f.segs[0]
	}
	var other *sibling
	for _, o := range b.others {
		if o.x == f.x || !resourceAnswered(o.status) {
			continue
		}
		h, p, ok := hostPath(o.url)
		if !ok || h != host {
			continue
		}
		seg, _, _ := strings.Cut(strings.TrimPrefix(p, "/"), "/")
		if seg == "" {
			continue
		}
		s := sibling{observed: o}
		if seg == first {
			ev := msg.T("%s: %s %s answered %d on the same host, so stage %q exists", "%s: 同じホストの %s %s は %d を返しているので、ステージ %q は存在する",
				s.label(), o.method, p, o.status, seg)
			b.add("unknown-stage", Low, ev)
			return true, true
		}
		if other == nil {
			s.url = p
			other = &s
		}
	}
	if other == nil {
		return false, false
	}
	seg, _, _ := strings.Cut(strings.TrimPrefix(other.url, "/"), "/")
	ev := msg.T("%s: %s %s answered %d on the same host, so the stage is %q, not %q", "%s: 同じホストの %s %s は %d を返しているので、ステージは %q（%q ではない）",
		other.label(), other.method, other.url, other.status, seg, first)
	if first == "" || !stageLike(first) && nearStage(first) == "" && !strings.EqualFold(first, seg) {
		b.add("missing-stage", High, append(append([]msg.Text{}, base...), ev, b.evPath())...)
		b.add("unknown-stage", Medium, ev)
	} else {
		b.add("unknown-stage", High, append(append([]msg.Text{}, base...), ev, b.evPath())...)
		b.add("missing-stage", Low)
	}
	return false, true
}
