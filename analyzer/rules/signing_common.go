package rules

import (
	"regexp"
	"strings"

	"github.com/gw403/gw403-lsp/analyzer"
	"github.com/gw403/gw403-lsp/analyzer/link"
	"github.com/gw403/gw403-lsp/analyzer/msg"
	"github.com/gw403/gw403-lsp/schemas/apimodel"
	"github.com/gw403/gw403-lsp/schemas/httpfile"
	"github.com/gw403/gw403-lsp/schemas/source"
)

// Helpers shared by the signing rules (GW112–GW117), the endpoint rules
// (GW151, GW152, GW161, GW171) and the security rules (GW501, GW502).
//
// What REST Client and httpyac do with the dialect signing line
// `Authorization: AWS <id> <secret> [token:<t>] [region:<r>] [service:<s>]`
// (both hand it to the aws4 signer):
//   - REST Client splits the value on blanks, takes the 2nd and 3rd words as
//     the credentials and finds each option with the case-sensitive regexp
//     `token:(\S*)` (resp. region:, service:) anywhere in the line: order and
//     extra words do not matter, `region: us-east-1` reads an empty region.
//   - httpyac matches the whole value against one case-insensitive regexp
//     with the options in the fixed order token:, region:, service: (a blank
//     after the colon is allowed); any other shape does not match and the
//     header is sent verbatim, unsigned.
//   - aws4 falls back to the host for an empty service or region: it reads
//     `<service>.<region>.amazonaws.com` (so execute-api hosts work), else
//     signs with service "" and region "us-east-1". A literal X-Amz-Date
//     header is used as the signing time instead of the current time.

// aws4HostRE is the aws4 signer's pattern for `<service>.<region>.amazonaws.com`
// hosts (leftmost match, like JavaScript's String.match).
var aws4HostRE = regexp.MustCompile(`([^.]{1,63})\.(?:([^.]{0,63})\.)?amazonaws\.com(\.cn)?$`)

// aws4Scope returns the service and region the aws4 signer (used by REST
// Client and httpyac) signs with when the signing line names none: read
// from the host, else service "" and region "us-east-1".
func aws4Scope(host string) (service, region string) {
	m := aws4HostRE.FindStringSubmatch(strings.ToLower(host))
	var parts [2]string
	if m != nil {
		parts = [2]string{m[1], m[2]}
	}
	if parts[1] == "es" || parts[1] == "aoss" {
		parts[0], parts[1] = parts[1], parts[0]
	}
	if parts[1] == "s3" {
		parts = [2]string{"s3", "us-east-1"}
	} else {
		for i := 0; i < 2; i++ {
			if strings.HasPrefix(parts[i], "s3-") {
				parts = [2]string{"s3", parts[i][3:]}
				break
			}
		}
	}
	service, region = parts[0], parts[1]
	if region == "" {
		region = "us-east-1"
	}
	if service == "email" {
		service = "ses"
	}
	return service, region
}

// sigLines returns the request's dialect signing lines.
func sigLines(rc *link.RequestContext) []*link.Header {
	var out []*link.Header
	for i := range rc.Headers {
		if rc.Headers[i].H.AWS != nil {
			out = append(out, &rc.Headers[i])
		}
	}
	return out
}

// sigOption returns the first option of the signing line whose key is key,
// ignoring case (httpyac reads keys case-insensitively).
func sigOption(a *httpfile.AWSAuth, key string) *httpfile.AWSOption {
	for _, o := range a.Options {
		if strings.EqualFold(o.Key, key) {
			return o
		}
	}
	return nil
}

// reqSpanOf returns where a piece of an expanded header value is written in
// the request file: its {{reference}} for a variable, else its text.
func reqSpanOf(p link.Piece) source.Span {
	if p.Var != "" {
		return p.RefSpan
	}
	return p.Span
}

// subExpanded returns the part of the expanded value x that was written in
// the request-file span sp (a word of a header value): literal text sliced
// to sp, and the variables whose {{reference}} lies inside sp.
func subExpanded(x *link.Expanded, sp source.Span) *link.Expanded {
	var out []link.Piece
	for _, p := range x.Pieces {
		if p.Var != "" || p.Unknown || !p.Exact {
			rs := reqSpanOf(p)
			if rs.Start >= sp.Start && rs.End <= sp.End && !(rs.IsEmpty() && sp.IsEmpty()) {
				out = append(out, p)
			}
			continue
		}
		a, b := max(p.Span.Start, sp.Start), min(p.Span.End, sp.End)
		if a >= b {
			continue
		}
		q := p
		q.Text = p.Text[a-p.Span.Start : b-p.Span.Start]
		q.Span = source.Span{Start: a, End: b}
		out = append(out, q)
	}
	return link.NewExpanded(out)
}

// tokenValue is the expanded value of one word of a header.
func tokenValue(h *link.Header, t httpfile.Token) *link.Expanded {
	return subExpanded(h.Value, t.Span)
}

// valueDisplay shows an expanded value for a message: `"cognito-idp"` for
// literal text, `{{service}} = "cognito-idp"` for a variable (secret
// values masked).
func valueDisplay(x *link.Expanded) string {
	d := `"` + x.Display() + `"`
	if len(x.Pieces) == 1 && x.Pieces[0].Var != "" {
		return "{{" + x.Pieces[0].Var + "}} = " + d
	}
	return d
}

// holeText returns x's text with every unknown piece replaced by a NUL
// byte, so that parsers can tell known text from holes.
func holeText(x *link.Expanded) string {
	var b strings.Builder
	for _, p := range x.Pieces {
		if p.Unknown {
			b.WriteByte(0)
		} else {
			b.WriteString(p.Text)
		}
	}
	return b.String()
}

// isAPIGatewayHost reports whether a host kind is one of API Gateway's own
// host names.
func isAPIGatewayHost(k link.HostKind) bool {
	return k == link.HostExecuteAPI || k == link.HostPrivateEndpoint || k == link.HostVPCE
}

// apigwTarget reports whether the request goes to API Gateway: an API
// Gateway host, or a host linked to an API of the workspace. region is the
// API's region when the host or the model says it, else "".
func apigwTarget(rc *link.RequestContext) (region string, ok bool) {
	hi := rc.URL.HostInfo
	if isAPIGatewayHost(hi.Kind) {
		return hi.Region, true
	}
	if rc.Link != nil && (rc.Link.API != nil || rc.Link.Domain != nil) && hi.Kind != link.HostLocal && hi.Kind != link.HostUnknown {
		if rc.Link.API != nil {
			return rc.Link.API.Region, true
		}
		return "", true
	}
	return "", false
}

// notLocal reports whether the request may reach AWS: its host is not a
// loopback or local name (local emulators check no signature).
func notLocal(rc *link.RequestContext) bool {
	return rc.URL.HostInfo.Kind != link.HostLocal
}

// hostDisplay shows the request's host for a message.
func hostDisplay(rc *link.RequestContext) string {
	u := rc.URL
	if u.HostStart >= 0 && u.HostEnd <= len(u.Exp.Text) {
		sub := subRange(u.Exp, u.HostStart, u.HostEnd)
		if sub != "" {
			return sub
		}
	}
	return u.Host
}

// subRange returns the display form of the byte range [start, end) of x's
// text: literal text as is, variables by value (secret values masked,
// unknown parts as their {{reference}}).
func subRange(x *link.Expanded, start, end int) string {
	var b strings.Builder
	pos := 0
	for _, p := range x.Pieces {
		n := len(p.Text)
		if p.Unknown {
			n = 1
		}
		ps, pe := pos, pos+n
		pos = pe
		a, c := max(ps, start), min(pe, end)
		if a >= c {
			continue
		}
		switch {
		case p.Unknown:
			if p.Var != "" {
				b.WriteString("{{" + p.Var + "}}")
			}
		case p.Secret:
			b.WriteString("****")
		default:
			b.WriteString(p.Text[a-ps : c-ps])
		}
	}
	return b.String()
}

// hostSpan returns the span a host-level finding points at.
func hostSpan(rc *link.RequestContext) source.Span {
	u := rc.URL
	if u.HostStart >= 0 {
		return rc.RequestSpan(u.HostStart, u.HostEnd)
	}
	return rc.Req.TargetSpan
}

// normVarName folds a variable name for comparisons: lower case without
// '_', '-' and '.'.
func normVarName(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		if r != '_' && r != '-' && r != '.' {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// pickVar returns the first variable of have whose folded name is one of
// candidates (in candidate order), or def when none is defined.
func pickVar(have []string, def string, candidates ...string) (name string, defined bool) {
	for _, c := range candidates {
		for _, h := range have {
			if normVarName(h) == normVarName(c) {
				return h, true
			}
		}
	}
	return def, false
}

// Variable names the fixes use, and the names they recognise.
var (
	accessKeyVarNames = []string{"awsAccessKeyId", "aws_access_key_id", "accessKeyId"}
	secretVarNames    = []string{"awsSecretAccessKey", "aws_secret_access_key", "secretAccessKey"}
	tokenVarNames     = []string{"awsSessionToken", "aws_session_token", "sessionToken", "awsSecurityToken"}
	regionVarNames    = []string{"awsRegion", "aws_region", "region"}
	apiIDVarNames     = []string{"apiId", "restApiId", "api_id"}
)

var (
	accessKeyIDRE = regexp.MustCompile(`^(AKIA|ASIA)[A-Z0-9]{16}$`)
	tempKeyIDRE   = regexp.MustCompile(`^ASIA[A-Z0-9]{16}$`)
)

// isTempKeyID reports whether s is a temporary (STS) access key id.
func isTempKeyID(s string) bool { return tempKeyIDRE.MatchString(strings.TrimSpace(s)) }

// sigv4Header is a parsed `Authorization: AWS4-HMAC-SHA256 …` value.
type sigv4Header struct {
	// Params are the Credential, SignedHeaders and Signature values by
	// name (as written); a value may contain NUL holes for unknown parts.
	Params map[string]string
	// Hidden is true when an unknown part could hide a parameter name.
	Hidden bool
}

// parseSigV4 reads an Authorization value with unknown parts as NUL holes.
// ok is false when the value is not an AWS4-HMAC-SHA256 header.
func parseSigV4(text string) (sigv4Header, bool) {
	t := strings.TrimSpace(text)
	const scheme = "AWS4-HMAC-SHA256"
	if len(t) < len(scheme) || !strings.EqualFold(t[:len(scheme)], scheme) {
		return sigv4Header{}, false
	}
	rest := t[len(scheme):]
	if rest != "" && rest[0] != ' ' && rest[0] != '\t' {
		return sigv4Header{}, false
	}
	h := sigv4Header{Params: map[string]string{}}
	for _, part := range strings.FieldsFunc(rest, func(r rune) bool { return r == ',' || r == ' ' || r == '\t' }) {
		eq := strings.IndexByte(part, '=')
		if eq < 0 {
			if strings.IndexByte(part, 0) >= 0 {
				h.Hidden = true
			}
			continue
		}
		name := part[:eq]
		if strings.IndexByte(name, 0) >= 0 {
			h.Hidden = true
			continue
		}
		if _, dup := h.Params[name]; !dup {
			h.Params[name] = part[eq+1:]
		}
	}
	return h, true
}

// missing returns the parameters API Gateway requires that the header
// lacks, in the order of its error message; nil when an unknown part could
// hold them.
func (h sigv4Header) missing() []string {
	if h.Hidden {
		return nil
	}
	var out []string
	for _, k := range []string{"Credential", "Signature", "SignedHeaders"} {
		if _, ok := h.Params[k]; !ok {
			out = append(out, k)
		}
	}
	return out
}

// sigv4Auth returns the request's AWS4-HMAC-SHA256 Authorization header
// (not the dialect line) and its parsed value, or nil.
func sigv4Auth(rc *link.RequestContext) (*link.Header, sigv4Header) {
	for i := len(rc.Headers) - 1; i >= 0; i-- {
		h := &rc.Headers[i]
		if !strings.EqualFold(h.H.Name, "Authorization") || h.H.AWS != nil {
			continue
		}
		if sh, ok := parseSigV4(holeText(h.Value)); ok {
			return h, sh
		}
		return nil, sigv4Header{}
	}
	return nil, sigv4Header{}
}

// hasDateHeader reports whether the request sends X-Amz-Date or Date.
func hasDateHeader(rc *link.RequestContext) bool {
	return rc.Header("X-Amz-Date") != nil || rc.Header("Date") != nil
}

// sigv4Incomplete returns what an AWS4-HMAC-SHA256 header lacks for API
// Gateway (GW115): missing parameters, and whether the date header is
// missing. ok is false when there is nothing to report.
func sigv4Incomplete(rc *link.RequestContext, sh sigv4Header) (params []string, noDate, ok bool) {
	params = sh.missing()
	noDate = !hasDateHeader(rc)
	if sh.Hidden {
		return nil, false, false
	}
	return params, noDate, len(params) > 0 || noDate
}

// pathMissing reports whether a linked REST API certainly has no method
// for the request: no resource matches the path after a known stage, or the
// resource has no such method (OPTIONS aside: CORS may add it). what names
// the missing part for messages.
func pathMissing(rc *link.RequestContext) (missing bool, what msg.Text) {
	l := rc.Link
	if l == nil || l.API == nil || l.API.Kind != apimodel.REST || !l.API.RoutesKnown || l.Stage == nil {
		return false, msg.Text{}
	}
	path := l.ResourcePath()
	method := strings.ToUpper(rc.Req.Method)
	if len(l.Routes) == 0 {
		return true, msg.T("%s has no resource %s", "%s にリソース %s がありません", l.API.Name, path)
	}
	if l.Route == nil && method != "OPTIONS" {
		return true, msg.T("%s defines no %s method on %s", "%[1]s の %[3]s に %[2]s メソッドがありません", l.API.Name, method, path)
	}
	return false, msg.Text{}
}

// lineWithEOL returns the span of the whole line holding off, with its line
// terminator, for deleting it.
func lineWithEOL(f *source.File, off int) source.Span {
	l := f.LineOf(off)
	return source.Span{Start: f.LineStart(l), End: f.LineStart(l + 1)}
}

// insertHeader returns an edit that adds the header line `line` after the
// request's headers, in the file's line terminator style.
func insertHeader(rc *link.RequestContext, line string) analyzer.Edit {
	r := rc.Req
	eol := r.EOL
	if eol == "" {
		eol = "\n"
	}
	text := line + eol
	if r.HeaderInsertNeedsEOL {
		text = eol + line
	}
	return analyzer.Edit{Path: rc.Path, Span: source.Span{Start: r.HeaderInsert, End: r.HeaderInsert}, NewText: text}
}

// relatedAt returns a Related entry for a model location, or nil when the
// location is unknown.
func relatedAt(loc apimodel.Loc, message msg.Text) []analyzer.Related {
	if loc.IsZero() {
		return nil
	}
	return []analyzer.Related{{Path: loc.Path, Span: loc.Span, Message: message}}
}

// dialectValue returns a REST Client / httpyac signing line value
// `AWS {{id}} {{secret}} [token:{{t}}] region:<r> service:<s>` for rc, with
// variable names the environment already defines where it has them. region
// "" uses a region variable. ok is true when every variable it references
// is defined, so that the line works as written.
func dialectValue(rc *link.RequestContext, region, service string, withToken bool) (value string, ok bool) {
	id, idOK := pickVar(rc.EnvVars, "awsAccessKeyId", accessKeyVarNames...)
	secret, secOK := pickVar(rc.EnvVars, "awsSecretAccessKey", secretVarNames...)
	ok = idOK && secOK
	var b strings.Builder
	b.WriteString("AWS {{" + id + "}} {{" + secret + "}}")
	if withToken {
		t, tOK := pickVar(rc.EnvVars, "awsSessionToken", tokenVarNames...)
		ok = ok && tOK
		b.WriteString(" token:{{" + t + "}}")
	}
	if region == "" {
		r, rOK := pickVar(rc.EnvVars, "awsRegion", regionVarNames...)
		ok = ok && rOK
		region = "{{" + r + "}}"
	}
	b.WriteString(" region:" + region)
	if service != "" {
		b.WriteString(" service:" + service)
	}
	return b.String(), ok
}

// credentialScope reads `AKID/20250515/ap-northeast-1/execute-api/aws4_request`.
func credentialScope(cred string) (keyID, region, service string, ok bool) {
	parts := strings.Split(cred, "/")
	if len(parts) != 5 || parts[4] != "aws4_request" || strings.IndexByte(cred, 0) >= 0 {
		return "", "", "", false
	}
	return parts[0], parts[2], parts[3], true
}

// knownAuthSchemes are Authorization schemes whose name may be shown in a
// message (anything else may be a bare token).
var knownAuthSchemes = map[string]bool{"bearer": true, "basic": true, "digest": true, "token": true, "apikey": true, "hmac": true, "negotiate": true, "oauth": true}
