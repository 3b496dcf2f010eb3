package explain

import (
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/gw403/gw403-lsp/analyzer/msg"
	"github.com/gw403/gw403-lsp/analyzer/suggest"
	"github.com/gw403/gw403-lsp/schemas/capture"
)

// Diagnose explains one exchange without a workspace.
func Diagnose(x *capture.Exchange) *Diagnosis { return diagnose(x, nil) }

// diagnose explains x; others are the other exchanges of the same input,
// whose answers are evidence too (a 200 for GET on the path of a 403).
func diagnose(x *capture.Exchange, others []observed) *Diagnosis {
	f := gather(x)
	b := &builder{f: f, others: others}
	d := &Diagnosis{
		Exchange: x, HTTPAPI: f.httpAPI, ErrorType: f.errType, ErrorTypeInferred: f.errTypeInferred,
		Message: f.message, RequestID: f.requestID,
	}
	d.Origin = f.origin()
	switch d.Origin {
	case OriginProxy:
		b.proxy()
	case OriginCloudFront:
		b.cloudFront()
	case OriginS3:
		b.s3()
	case OriginLambdaURL:
		b.add("lambda-url", High, msg.T("host %s is a Lambda function URL",
			"ホスト %s は Lambda 関数 URL", f.host))
	case OriginOther:
		b.otherServer()
	default:
		b.apiGateway()
	}
	d.Causes = sortCauses(b.causes)
	d.NextSteps = b.general(d)
	d.Notes = b.notes
	return d
}

// origin decides which service produced the response.
func (f *facts) origin() Origin {
	strongProxy := f.x.Conn.TunnelFailed != 0 || (f.req != nil && f.req.Method == "CONNECT")
	for _, p := range f.proxy {
		if !strings.HasPrefix(p, "curl went through") && !strings.HasPrefix(p, "Via:") {
			strongProxy = true
		}
	}
	switch {
	case strongProxy && !f.apigwMarkers:
		return OriginProxy
	case f.lambdaURL:
		return OriginLambdaURL
	case f.apigwMarkers && !f.appSync:
		return OriginAPIGateway
	case f.s3:
		return OriginS3
	case f.cfGenerated || (f.viaCF && f.msg.kind == msgCloudFrontNotValid):
		return OriginCloudFront
	case len(f.proxy) > 0:
		return OriginProxy
	case f.appSync || (f.server != "" && !strings.EqualFold(f.server, "CloudFront")):
		return OriginOther
	case f.msg.knownGatewayMessage() || len(f.waf) > 0:
		return OriginAPIGateway
	case f.kind == hostExecuteAPI || f.kind == hostVPCE || f.kind == hostVPCESpecific:
		return OriginAPIGateway
	}
	return OriginUnknown
}

// builder accumulates causes and notes for one exchange.
type builder struct {
	f      *facts
	others []observed // the input's requests and their statuses
	causes []Cause
	notes  []msg.Text
}

// add appends the catalog cause id with its evidence; steps get their
// placeholders filled.
func (b *builder) add(id string, c Confidence, ev ...msg.Text) *Cause {
	doc, ok := catalog[id]
	if !ok {
		panic("explain: no catalog entry " + id)
	}
	cause := Cause{ID: id, Code: doc.code, Title: doc.titleOf(), Confidence: c}
	for _, e := range ev {
		if e.EN != "" {
			cause.Evidence = append(cause.Evidence, e)
		}
	}
	for _, s := range doc.steps {
		cause.NextSteps = append(cause.NextSteps, b.fill(s))
	}
	b.causes = append(b.causes, cause)
	return &b.causes[len(b.causes)-1]
}

func (b *builder) note(en, ja string) { b.notes = append(b.notes, t(en, ja)) }

// fill replaces step placeholders with what the exchange shows.
func (b *builder) fill(s msg.Text) msg.Text {
	f := b.f
	api, region, stage := f.apiID, f.region, ""
	if a := f.msg.arn; a != nil {
		if api == "" {
			api = a.apiID
		}
		if region == "" {
			region = a.region
		}
		stage = a.stage
	}
	if stage == "" && (f.kind == hostExecuteAPI || f.kind == hostVPCESpecific || f.kind == hostVPCE) && len(f.segs) > 0 && stageLike(f.segs[0]) {
		stage = f.segs[0]
	}
	method, path := "", f.path
	if f.req != nil {
		method = f.req.Method
	}
	if a := f.msg.arn; a != nil {
		if method == "" || method == "*" {
			method = a.method
		}
		if path == "" {
			path = a.path
		}
	}
	or := func(v, d string) string {
		if v == "" {
			return d
		}
		return v
	}
	vpce := f.vpceID
	if i := strings.LastIndexByte(vpce, '-'); i > len("vpce-") {
		vpce = vpce[:i]
	}
	en := strings.NewReplacer("{api}", or(api, "<api-id>"), "{region}", or(region, "<region>"), "{stage}", or(stage, "<stage>"),
		"{host}", or(f.host, "<host>"), "{method}", or(method, "<METHOD>"), "{path}", or(path, "/<path>"), "{vpce}", or(vpce, "<vpce-id>"))
	ja := strings.NewReplacer("{api}", or(api, "<API ID>"), "{region}", or(region, "<リージョン>"), "{stage}", or(stage, "<ステージ>"),
		"{host}", or(f.host, "<ホスト>"), "{method}", or(method, "<メソッド>"), "{path}", or(path, "/<パス>"), "{vpce}", or(vpce, "<vpce-id>"))
	return msg.Text{EN: en.Replace(s.EN), JA: ja.Replace(s.JA)}
}

// --- evidence ----------------------------------------------------------------

func same(s string) msg.Text { return msg.Text{EN: s, JA: s} }

func (b *builder) evErrType() msg.Text {
	f := b.f
	switch {
	case f.errTypeHeader != "":
		return same(f.errTypeHeader)
	case f.errTypeInferred:
		return msg.T("the message is API Gateway's %s (the input has no x-amzn-errortype header)",
			"メッセージは API Gateway の %s のもの（入力に x-amzn-errortype ヘッダーはない）", f.errType)
	}
	return msg.Text{}
}

func (b *builder) evMsg() msg.Text {
	if b.f.message == "" {
		return msg.Text{}
	}
	return same(fmt.Sprintf("message: %q", msg.Clip(b.f.message, 200)))
}

func (b *builder) evNoAuth() msg.Text {
	switch {
	case b.f.req == nil:
		return msg.Text{}
	case b.f.redacted && b.f.x.Entry >= 0:
		return t("no Authorization header in the HAR (browsers may remove it when exporting)",
			"HAR に Authorization ヘッダーがない（ブラウザはエクスポート時に削除することがある）")
	case b.f.redacted:
		return t("the input does not show the request headers", "入力にリクエストヘッダーが含まれていない")
	}
	return t("no Authorization header in the request", "リクエストに Authorization ヘッダーがない")
}

func (b *builder) evAuth() msg.Text {
	s := authSummary(b.f.auth)
	return msg.T("the request sends Authorization: %s (not a SigV4 signature)",
		"リクエストは Authorization: %s を送っている（SigV4 署名ではない）", s)
}

func (b *builder) evHost() msg.Text {
	f := b.f
	switch f.kind {
	case hostExecuteAPI:
		return msg.T("host %s is the API's default execute-api endpoint (API %s, %s)",
			"ホスト %s は API のデフォルトの execute-api エンドポイント（API %s、%s）", f.host, f.apiID, f.region)
	case hostVPCESpecific:
		return msg.T("host %s is the endpoint-specific name of a private API (API %s via %s)",
			"ホスト %s はプライベート API のエンドポイント固有の名前（API %s、%s 経由）", f.host, f.apiID, f.vpceID)
	case hostVPCE:
		return msg.T("host %s is an interface VPC endpoint's public DNS name, which does not name the API",
			"ホスト %s はインターフェイス VPC エンドポイントのパブリック DNS 名で、API を特定しない", f.host)
	case hostCustom:
		return msg.T("host %s is not an execute-api endpoint: a custom domain name",
			"ホスト %s は execute-api エンドポイントではない（カスタムドメイン名）", f.host)
	case hostLocal:
		return msg.T("host %s is local: a local emulator, not API Gateway",
			"ホスト %s はローカル（API Gateway ではなくローカルのエミュレーター）", f.host)
	}
	return msg.Text{}
}

func (b *builder) evNoKey() msg.Text {
	if b.f.req == nil {
		return msg.Text{}
	}
	if b.f.redacted {
		return t("no x-api-key header in the HAR", "HAR に x-api-key ヘッダーがない")
	}
	return t("no x-api-key header in the request", "リクエストに x-api-key ヘッダーがない")
}

func (b *builder) evKeySent() msg.Text {
	return t("the request sends an x-api-key header", "リクエストは x-api-key ヘッダーを送っている")
}

func (b *builder) evARN() msg.Text {
	a := b.f.msg.arn
	if a == nil {
		return msg.Text{}
	}
	return msg.T("resource: API %s, stage %s, %s %s",
		"リソース: API %s、ステージ %s、%s %s", a.apiID, a.stage, a.method, orSlash(a.path))
}

func orSlash(p string) string {
	if p == "" {
		return "/"
	}
	return p
}

func (b *builder) evSigned() msg.Text {
	return t("the request carries a SigV4 signature", "リクエストは SigV4 で署名されている")
}

func (b *builder) evWAF() []msg.Text {
	var out []msg.Text
	for _, w := range b.f.waf {
		out = append(out, same(w))
	}
	return out
}

// --- stage names -----------------------------------------------------------

var commonStages = []string{
	"prod", "production", "prd", "dev", "develop", "development", "stg", "stage", "staging",
	"test", "testing", "qa", "uat", "beta", "alpha", "sandbox", "sbx", "live", "demo",
	"preview", "int", "integration", "local", "main", "default", "$default", "latest",
}

var reVersionStage = regexp.MustCompile(`^v\d+(?:[._-]\d+)*$`)

// stageLike reports whether a path segment reads like a stage name.
func stageLike(s string) bool {
	ls := strings.ToLower(s)
	if reVersionStage.MatchString(ls) {
		return true
	}
	for _, c := range commonStages {
		if ls == c || strings.HasPrefix(ls, c+"-") || strings.HasSuffix(ls, "-"+c) || strings.HasPrefix(ls, c+"_") || strings.HasSuffix(ls, "_"+c) {
			return true
		}
	}
	return false
}

// nearStage returns the common stage name s is probably a typo of.
func nearStage(s string) string {
	if len(s) < 3 || stageLike(s) {
		return ""
	}
	var names []string
	for _, c := range commonStages {
		if len(c) >= 3 {
			names = append(names, c)
		}
	}
	if m := suggest.Closest(s, names); len(m) > 0 {
		return m[0].Name
	}
	return ""
}

// --- causes by origin --------------------------------------------------------

func (b *builder) noAWSHeaders() msg.Text {
	return t("no x-amzn-RequestId or x-amzn-ErrorType header: API Gateway did not produce this response",
		"x-amzn-RequestId も x-amzn-ErrorType ヘッダーもない（API Gateway の応答ではない）")
}

func (b *builder) proxy() {
	var ev []msg.Text
	for _, p := range b.f.proxy {
		ev = append(ev, same(p))
	}
	ev = append(ev, b.noAWSHeaders())
	b.add("proxy", High, ev...)
	if b.f.req != nil && b.f.req.Method == "CONNECT" {
		b.note("The request never reached AWS: the proxy refused to open a tunnel to it.",
			"リクエストは AWS に届いていません。プロキシがトンネルの確立を拒否しました。")
	}
}

func (b *builder) cloudFront() {
	f := b.f
	h := f.resp.Headers
	var ev []msg.Text
	for _, n := range []string{"Server", "X-Cache", "Via", "X-Amz-Cf-Pop"} {
		if v := h.Get(n); v != "" {
			ev = append(ev, same(n+": "+v))
		}
	}
	ev = append(ev, b.noAWSHeaders())
	if f.cfBody != "" {
		ev = append(ev, same("CloudFront error page: "+f.cfBody))
	}
	b.add("cloudfront", High, ev...)
	lb := strings.ToLower(f.cfBody + " " + f.resp.Body)
	page := same("CloudFront error page: " + f.cfBody)
	switch {
	case strings.Contains(lb, "request blocked"):
		b.add("cloudfront-waf", Medium, page)
	case strings.Contains(lb, "not configured to allow the http request method"):
		b.add("cloudfront-method", Medium, page, same("request method: "+methodOf(f.req)))
	case strings.Contains(lb, "block access from your country"):
		b.add("cloudfront-geo", Medium, page)
	case strings.Contains(lb, "bad request"):
		b.add("cloudfront-bad-request", Medium, page, b.evHost())
	}
}

func methodOf(r *capture.Request) string {
	if r == nil {
		return "?"
	}
	return r.Method
}

func (b *builder) s3() {
	f := b.f
	var ev []msg.Text
	if f.server != "" {
		ev = append(ev, same("Server: "+f.server))
	}
	if f.s3Code != "" {
		ev = append(ev, same("<Code>"+f.s3Code+"</Code> in an S3-style XML error body"))
	}
	if f.viaCF {
		ev = append(ev, t("served through CloudFront (Via / X-Cache)", "CloudFront 経由（Via / X-Cache）"))
	}
	ev = append(ev, b.noAWSHeaders())
	b.add("s3", High, ev...)
}

func (b *builder) otherServer() {
	f := b.f
	ev := []msg.Text{}
	if f.server != "" {
		ev = append(ev, same("Server: "+f.server))
	}
	if f.appSync {
		ev = append(ev, msg.T("host %s is an AWS AppSync endpoint",
			"ホスト %s は AWS AppSync のエンドポイント", f.host))
	}
	ev = append(ev, b.noAWSHeaders())
	c := b.add("other-server", High, ev...)
	if f.server != "" {
		c.Title = msg.T("The 403 came from another server (%s), not from API Gateway",
			"この 403 は API Gateway ではなく、別のサーバー（%s）が返しています", f.server)
	}
}

// --- API Gateway ---------------------------------------------------------------

func (b *builder) apiGateway() {
	f := b.f
	if f.req == nil {
		b.note("The input shows no request, so causes that depend on the URL or the headers cannot be told apart; curl -v output shows both.",
			"入力にリクエストがないため、URL やヘッダーで決まる原因を区別できません。curl -v の出力なら両方が含まれます。")
	}
	if f.redacted && f.x.Entry >= 0 {
		b.note("Browsers may remove Authorization and Cookie headers when they export a HAR file, so their absence proves nothing.",
			"ブラウザは HAR のエクスポート時に Authorization や Cookie ヘッダーを削除することがあるため、これらがないことは根拠になりません。")
	} else if f.redacted {
		b.note("The input shows the request line but not the request headers, so causes that depend on headers are ranked lower; curl -v output shows them.",
			"入力にはリクエスト行だけでリクエストヘッダーがないため、ヘッダーで決まる原因は低く評価しています。curl -v の出力ならヘッダーも含まれます。")
	}
	if f.errTypeInferred {
		b.note("The input has no x-amzn-errortype header; the error type was inferred from the message.",
			"入力に x-amzn-errortype ヘッダーがないため、エラータイプはメッセージから推定しました。")
	}
	if f.local {
		b.note("The request went to a local host: local emulators (sam local start-api) enforce no API keys or IAM, so this 403 comes from the emulator or your code.",
			"リクエストの宛先はローカルホストです。ローカルのエミュレーター（sam local start-api）は API キーや IAM を検査しないため、この 403 はエミュレーターかアプリのコードが返しています。")
	}
	if len(f.waf) > 0 && f.msg.kind != msgAuthorizerDeny && f.msg.kind != msgPrincipal && f.msg.kind != msgAnonymous {
		b.add("waf", High, append(b.evWAF(), b.evErrType())...)
	}

	// The browser's CORS preflight.
	if f.req != nil && f.req.Method == "OPTIONS" && b.preflight() {
		return
	}

	// A 401: authorizers.
	if f.status == 401 || f.msg.kind == msgUnauthorized || f.errType == "UnauthorizedException" {
		b.unauthorized()
		return
	}

	// The message decides first: it is the most specific thing we have.
	switch f.msg.kind {
	case msgAuthorizerDeny:
		b.add("authorizer-deny", High, b.evErrType(), b.evMsg())
		return
	case msgAuthorizerNoAllow:
		b.add("authorizer-no-allow", High, b.evErrType(), b.evMsg())
		return
	case msgAnonymous:
		b.anonymous()
		return
	case msgPrincipal:
		b.principal()
		return
	case msgInvalidToken:
		b.invalidToken()
		return
	case msgExpiredToken:
		b.add("expired-credentials", High, b.evErrType(), b.evMsg())
		return
	case msgSignatureExpired, msgSignatureNotYet:
		b.signatureTime()
		return
	case msgSignatureMismatch, msgCredentialScope:
		b.signatureMismatch()
		return
	case msgIncompleteSig:
		b.incompleteSignature()
		return
	case msgMissingAuthToken:
		b.missingAuthToken()
		return
	case msgInvalidAPIKey:
		b.add("invalid-api-key", High, b.evErrType(), b.evMsg(), b.evKeyState())
		b.add("key-not-in-usage-plan", Medium, b.evMsg())
		return
	}

	// Then the error type, for messages rewritten by gateway responses.
	switch f.errType {
	case "MissingAuthenticationTokenException":
		b.missingAuthToken()
		return
	case "IncompleteSignatureException":
		b.incompleteSignature()
		return
	case "InvalidSignatureException":
		b.signatureMismatch()
		b.add("signature-expired", Medium, b.evErrType())
		return
	case "UnrecognizedClientException":
		b.invalidToken()
		return
	case "ExpiredTokenException":
		b.add("expired-credentials", High, b.evErrType())
		return
	case "AccessDeniedException":
		b.add("authorizer-deny", Medium, b.evErrType(), b.evMsg())
		b.add("caller-iam-deny", Medium, b.evErrType())
		b.add("resource-policy-no-allow", Medium, b.evErrType())
		return
	case "ForbiddenException":
		b.forbidden()
		return
	}

	// No error type: API Gateway headers without one mean the integration
	// answered, unless this is an HTTP API's own "Forbidden".
	switch {
	case len(f.waf) > 0:
		// a WAF custom response: already explained
	case f.httpAPI && f.msg.kind == msgForbidden:
		b.forbidden()
	case f.apigwMarkers && f.errType == "":
		ev := []msg.Text{
			msg.T("%s is present but x-amzn-errortype is not: API Gateway did not generate this answer",
				"%s はあるが x-amzn-errortype がない（API Gateway 自身が生成した応答ではない）", f.requestIDName),
		}
		if f.message != "" {
			ev = append(ev, msg.T("message %q is not one of API Gateway's",
				"メッセージ %q は API Gateway のものではない", msg.Clip(f.message, 120)))
		}
		b.add("integration", High, ev...)
	case f.msg.kind == msgForbidden:
		b.forbidden()
	default:
		b.add("unknown-origin", Medium, b.evMsg())
	}
}

func (b *builder) evKeyState() msg.Text {
	f := b.f
	switch {
	case f.req == nil:
		return msg.Text{}
	case f.keyVariant != "":
		return msg.T("the request sends the key as %s, not as the x-api-key header",
			"リクエストはキーを x-api-key ヘッダーではなく %s として送っている", f.keyVariant)
	case f.apiKey:
		return b.evKeySent()
	}
	return b.evNoKey()
}

func (b *builder) unauthorized() {
	f := b.f
	base := []msg.Text{b.evErrType(), b.evMsg()}
	switch {
	case f.req == nil || f.redacted && f.auth == "":
		b.add("identity-source-missing", High, append(base, b.evNoAuth())...)
		b.add("token-rejected", High, base...)
	case f.auth == "":
		b.add("identity-source-missing", High, append(base, b.evNoAuth())...)
	default:
		b.add("token-rejected", High, append(base, same("the request sends Authorization: "+authSummary(f.auth)))...)
		b.add("identity-source-missing", Low, t("the request sends the token in Authorization; an authorizer that reads another header does not see it",
			"リクエストはトークンを Authorization で送っている（別のヘッダーを読むオーソライザーには届かない）"))
	}
}

func (b *builder) anonymous() {
	f := b.f
	base := []msg.Text{b.evErrType(), b.evMsg(), b.evARN()}
	private := f.kind == hostVPCE || f.kind == hostVPCESpecific
	switch {
	case f.msg.explicitDeny:
		b.add("resource-policy-deny", High, append(base, t("the message says \"with an explicit deny\": a Deny statement matched", "メッセージに \"with an explicit deny\" とあり、Deny ステートメントに一致した"))...)
	case private:
		b.add("private-api-policy", High, append(base, b.evHost())...)
		if !f.signed {
			b.add("unsigned-iam", Medium, b.evNoSig())
		}
	case f.req != nil && !f.signed && !f.redacted:
		b.add("unsigned-iam", High, append(base, b.evNoSig())...)
		b.add("resource-policy-no-allow", Medium, b.evARN())
	case f.req != nil && f.signed:
		b.add("resource-policy-no-allow", High, append(base, b.evSigned())...)
	default:
		b.add("unsigned-iam", High, append(base, b.evNoSig())...)
		b.add("resource-policy-no-allow", High, base...)
	}
}

func (b *builder) evNoSig() msg.Text {
	f := b.f
	switch {
	case f.req == nil && f.msg.kind == msgAnonymous:
		return t("the message names the caller \"anonymous\": the request carried no valid SigV4 signature",
			"メッセージが呼び出し元を \"anonymous\" としている（有効な SigV4 署名がなかった）")
	case f.req == nil:
		// Nothing in the input says whether the request was signed.
		return msg.Text{}
	case f.redacted:
		return t("no SigV4 signature in the HAR (browsers may remove Authorization)", "HAR に SigV4 署名がない（ブラウザが Authorization を削除することがある）")
	case f.auth != "":
		return b.evAuth()
	}
	return t("the request has no SigV4 signature (no Authorization: AWS4-HMAC-SHA256 header)", "リクエストに SigV4 署名がない（Authorization: AWS4-HMAC-SHA256 ヘッダーがない）")
}

// evNoSessionToken cites the request's lack of a session token, when the
// input shows the request headers.
func (b *builder) evNoSessionToken() msg.Text {
	f := b.f
	if f.req == nil || f.redacted || f.securityToken {
		return msg.Text{}
	}
	return t("no X-Amz-Security-Token header in the request", "リクエストに X-Amz-Security-Token ヘッダーがない")
}

func (b *builder) principal() {
	f := b.f
	who := same("caller: " + f.msg.principal)
	who.JA = "呼び出し元: " + f.msg.principal
	base := []msg.Text{b.evErrType(), b.evMsg(), who, b.evARN()}
	if f.msg.explicitDeny {
		b.add("caller-iam-deny", High, base...)
		b.add("resource-policy-deny", High, base...)
		return
	}
	b.add("caller-iam-no-allow", High, base...)
	b.add("resource-policy-no-allow", Medium, b.evARN())
}

func (b *builder) invalidToken() {
	f := b.f
	base := []msg.Text{b.evErrType(), b.evMsg()}
	switch {
	case f.sig != nil && strings.HasPrefix(f.sig.keyID, "ASIA") && !f.securityToken:
		b.add("missing-session-token", High, append(base,
			t("the signing key id starts with ASIA (temporary credentials) and there is no X-Amz-Security-Token",
				"署名のアクセスキー ID が ASIA で始まる（一時的な認証情報）のに X-Amz-Security-Token がない"))...)
		b.add("invalid-credentials", Medium)
	case f.sig != nil && strings.HasPrefix(f.sig.keyID, "AKIA"):
		b.add("invalid-credentials", High, append(base,
			t("the signing key id starts with AKIA (a long-term key): it is wrong, deactivated or deleted",
				"署名のアクセスキー ID が AKIA で始まる（長期的なキー）: 誤り・無効化・削除のいずれか"))...)
	case f.sig != nil && strings.HasPrefix(f.sig.keyID, "ASIA") && f.securityToken:
		b.add("expired-credentials", High, append(base,
			t("temporary credentials (ASIA…) with a session token: the token is stale or belongs to other keys",
				"セッショントークン付きの一時的な認証情報（ASIA…）: トークンが古いか別のキーのもの"))...)
		b.add("invalid-credentials", Medium)
	default:
		b.add("invalid-credentials", High, base...)
		b.add("missing-session-token", Medium, b.evNoSessionToken())
	}
}

func (b *builder) signatureTime() {
	f := b.f
	base := []msg.Text{b.evErrType(), b.evMsg()}
	mi := f.msg
	if mi.kind == msgSignatureNotYet {
		ev := base
		if !mi.signedAt.IsZero() && !mi.serverAt.IsZero() {
			m := int(mi.signedAt.Sub(mi.serverAt).Minutes())
			ev = append(ev, msg.T("the message dates the signature %[1]s, %[2]d minutes after the server's time %[3]s",
				"メッセージによると署名の時刻 %[1]s はサーバーの時刻 %[3]s より %[2]d 分進んでいる", amzStamp(mi.signedAt), m, amzStamp(mi.serverAt)))
		}
		b.add("clock-skew", High, ev...)
		return
	}
	age := -1
	if !mi.signedAt.IsZero() && !mi.serverAt.IsZero() {
		age = int(mi.serverAt.Sub(mi.signedAt).Minutes())
		base = append(base, msg.T("the message dates the signature %[1]s, %[2]d minutes before the server's time %[3]s",
			"メッセージによると署名の時刻 %[1]s はサーバーの時刻 %[3]s の %[2]d 分前", amzStamp(mi.signedAt), age, amzStamp(mi.serverAt)))
	}
	if f.amzDate != "" && f.req != nil && !f.redacted {
		base = append(base, same("X-Amz-Date: "+f.amzDate))
	}
	b.add("signature-expired", High, base...)
	switch {
	case age > 15:
		b.add("clock-skew", Low)
	default:
		b.add("clock-skew", Medium)
	}
}

// amzStamp formats a time as SigV4 and API Gateway's messages write it.
func amzStamp(t time.Time) string { return t.UTC().Format("20060102T150405Z") }

func (b *builder) signatureMismatch() {
	f := b.f
	base := []msg.Text{b.evErrType(), b.evMsg()}
	mi := f.msg
	derivedHost := f.kind == hostCustom || f.kind == hostVPCE
	var scopeEv []msg.Text
	if mi.scopeRegion != "" {
		scopeEv = append(scopeEv, msg.T("signed for region %s",
			"リージョン %s で署名されている", mi.scopeRegion))
	}
	if mi.scopeService != "" {
		scopeEv = append(scopeEv, msg.T("API Gateway expects service %s",
			"API Gateway はサービス %s を期待している", mi.scopeService))
	}
	if s := f.sig; s != nil && s.service != "" {
		if s.service != "execute-api" {
			scopeEv = append(scopeEv, msg.T("the Credential scope names service \"%s\", not execute-api",
				"Credential のスコープのサービスが \"%s\"（execute-api ではない）", s.service))
		}
		if f.region != "" && s.region != f.region {
			scopeEv = append(scopeEv, msg.T("the Credential scope names region %s, but the host is in %s",
				"Credential のスコープのリージョンは %s だが、ホストは %s", s.region, f.region))
		}
	}
	switch {
	case len(scopeEv) > 0 && derivedHost:
		b.add("sigv4-scope-not-derivable", High, append(append(base, scopeEv...), b.evHost())...)
		b.add("sigv4-wrong-scope", Medium, scopeEv...)
	case len(scopeEv) > 0 || mi.kind == msgCredentialScope:
		b.add("sigv4-wrong-scope", High, append(base, scopeEv...)...)
		if derivedHost {
			b.add("sigv4-scope-not-derivable", Medium, b.evHost())
		}
		b.add("signature-mismatch", Low)
	default:
		ev := base
		if f.x.Conn.Proxy != "" {
			ev = append(ev, msg.T("the request went through the proxy %s, which may change it after signing",
				"リクエストはプロキシ %s を経由しており、署名後に変更された可能性がある", f.x.Conn.Proxy))
		}
		b.add("signature-mismatch", High, ev...)
		if derivedHost {
			b.add("sigv4-scope-not-derivable", Medium, b.evHost())
		}
		b.add("sigv4-wrong-scope", Low)
	}
}

func (b *builder) incompleteSignature() {
	f := b.f
	base := []msg.Text{b.evErrType(), b.evMsg()}
	if len(f.msg.missingFields) > 0 {
		base = append(base, msg.T("API Gateway could not find: %s",
			"API Gateway が見つけられなかったもの: %s", strings.Join(f.msg.missingFields, ", ")))
	}
	auth := f.auth
	if auth == "" {
		auth = f.msg.authEcho
	}
	isSigV4 := strings.HasPrefix(strings.ToUpper(strings.TrimSpace(auth)), "AWS4-HMAC-SHA256")
	switch {
	case auth != "" && isSigV4:
		ev := base
		if s := f.sig; s != nil {
			var miss []string
			if !s.credential {
				miss = append(miss, "Credential")
			}
			if s.signedHeaders == "" {
				miss = append(miss, "SignedHeaders")
			}
			if !s.signature {
				miss = append(miss, "Signature")
			}
			if f.amzDate == "" && f.req != nil && !f.req.Headers.Has("Date") {
				miss = append(miss, "X-Amz-Date")
			}
			if len(miss) > 0 {
				ev = append(ev, msg.T("the request's SigV4 header lacks %s",
					"リクエストの SigV4 ヘッダーに %s がない", strings.Join(miss, ", ")))
			}
		}
		b.add("incomplete-signature", High, ev...)
		b.add("unknown-path", Low, b.evPath())
	case auth != "":
		ev := append(base, msg.T("the request sends Authorization: %s (not a SigV4 signature)",
			"リクエストは Authorization: %s を送っている（SigV4 署名ではない）", authSummary(auth)), b.evPath())
		b.add("token-to-unknown-path", High, ev...)
		b.add("iam-method-with-token", Medium, msg.T("the request sends Authorization: %s (not a SigV4 signature)",
			"リクエストは Authorization: %s を送っている（SigV4 署名ではない）", authSummary(auth)))
		b.add("incomplete-signature", Low)
	default:
		b.add("token-to-unknown-path", High, append(base, b.evPath())...)
		b.add("incomplete-signature", High, base...)
	}
}

func (b *builder) evPath() msg.Text {
	f := b.f
	if f.req == nil {
		return msg.Text{}
	}
	return same("request: " + f.req.Method + " " + f.path)
}

func (b *builder) missingAuthToken() {
	f := b.f
	base := []msg.Text{b.evErrType(), b.evMsg()}
	if b.otherMethodAnswered(base) {
		return
	}
	first := ""
	if len(f.segs) > 0 {
		first = f.segs[0]
	}
	if f.kind == hostCustom && first != "" && stageLike(first) && !reVersionStage.MatchString(strings.ToLower(first)) {
		b.add("stage-in-custom-domain", High, append(base, b.evHost(),
			msg.T("the path starts with %q, which reads like a stage name",
				"パスがステージ名らしい %q で始まっている", first))...)
		b.add("unknown-path", Medium, b.evPath())
		b.add("unsigned-iam", Low)
		return
	}
	if f.kind == hostLocal {
		b.add("unknown-path", High, append(base, b.evHost(), b.evPath())...)
		return
	}
	switch {
	case f.signed:
		b.add("unknown-path", High, append(base, b.evSigned(), b.evPath())...)
		b.add("method-not-defined", Medium, b.evPath())
		b.add("not-deployed", Medium)
	case f.auth != "":
		b.add("unknown-path", High, append(base, b.evPath())...)
		b.add("iam-method-with-token", Medium, b.evAuth())
		b.add("method-not-defined", Medium, b.evPath())
		b.add("not-deployed", Low)
	default:
		pathEv := append(append([]msg.Text{}, base...), b.evNoAuth(), b.evHost(), b.evPath())
		b.add("unknown-path", High, pathEv...)
		b.add("unsigned-iam", High, append(append([]msg.Text{}, base...), b.evNoSig())...)
		b.add("method-not-defined", Medium, b.evPath())
		if f.kind == hostExecuteAPI && first != "" && !stageLike(first) {
			b.add("missing-stage", Low, b.evFirstSegment(first))
		}
		if f.kind == hostCustom && first != "" && stageLike(first) {
			// "v1" on a custom domain is usually a base path, seldom a stage.
			b.add("stage-in-custom-domain", Low, msg.T("the path starts with %q: a version, which custom domains usually map as a base path, but may be a stage",
				"パスが %q で始まる（カスタムドメイン名では通常ベースパスとしてマッピングされるバージョン名だが、ステージの可能性もある）", first))
		} else if f.kind == hostCustom {
			b.add("stage-in-custom-domain", Low, b.evHost())
		}
		b.add("not-deployed", Low)
	}
}

func (b *builder) evFirstSegment(first string) msg.Text {
	if near := nearStage(first); near != "" {
		return msg.T("the first path segment %q is not a usual stage name; a typo of %q?",
			"パスの先頭 %q は一般的なステージ名ではない（%q の誤り？）", first, near)
	}
	return msg.T("the first path segment %q does not read like a stage name",
		"パスの先頭 %q はステージ名らしくない", first)
}

// forbidden ranks the many causes of a plain "Forbidden".
func (b *builder) forbidden() {
	f := b.f
	base := []msg.Text{b.evErrType(), b.evMsg()}
	if f.httpAPI {
		b.forbiddenHTTPAPI(base)
		return
	}
	switch f.kind {
	case hostVPCE:
		if !f.apiIDHeader {
			c, ev := High, t("the request has neither x-apigw-api-id nor a Host header naming the API", "リクエストに x-apigw-api-id も、API を指す Host ヘッダーもない")
			if f.redacted {
				c, ev = Medium, t("the input does not show whether x-apigw-api-id was sent", "入力からは x-apigw-api-id を送ったかどうかがわからない")
			}
			b.add("private-api-public-dns", c, append(base, b.evHost(), ev)...)
			b.add("private-api-policy", Low)
			return
		}
		b.add("private-api-policy", Medium, append(base, b.evHost())...)
		b.stageAndKey(base, Medium)
	case hostVPCESpecific:
		b.stageAndKey(base, Medium)
		b.add("private-api-policy", Medium, b.evHost())
	case hostExecuteAPI:
		stageOK := b.stageAndKey(base, Medium)
		c := Low
		if stageOK {
			c = Medium
		}
		b.add("default-endpoint-disabled", c, b.evHost())
		b.add("private-dns", Low, b.evHost())
		b.add("waf", Low)
	case hostCustom:
		b.customDomainForbidden(base)
	default:
		// No request: the seed's order, none preferred.
		b.add("waf", Low, base...)
		b.add("private-api-public-dns", Low)
		b.add("default-endpoint-disabled", Low)
		b.add("mtls", Low)
		b.add("no-base-path-mapping", Low)
		b.add("unknown-stage", Low)
		b.add("missing-api-key", Low)
		b.add("key-not-in-usage-plan", Low)
	}
}

// stageAndKey adds the stage and API key causes for a default or
// endpoint-specific host; it reports whether the stage looks right.
func (b *builder) stageAndKey(base []msg.Text, keyConf Confidence) bool {
	stageOK := b.stageCauses(base)
	b.keyCauses(base, keyConf)
	return stageOK
}

// stageCauses adds the stage causes for a default or endpoint-specific
// host; it reports whether the stage looks right.
func (b *builder) stageCauses(base []msg.Text) bool {
	f := b.f
	if ok, decided := b.stageFromOthers(base); decided {
		return ok
	}
	stageOK := false
	switch {
	case len(f.segs) == 0:
		b.add("missing-stage", High, append(base, t("the URL path is \"/\": no stage", "URL のパスが \"/\"（ステージがない）"))...)
	case !stageLike(f.segs[0]):
		if near := nearStage(f.segs[0]); near != "" {
			b.add("unknown-stage", High, append(base, b.evFirstSegment(f.segs[0]))...)
			b.add("missing-stage", Low)
		} else {
			b.add("missing-stage", High, append(base, b.evFirstSegment(f.segs[0]))...)
			b.add("unknown-stage", Medium, b.evFirstSegment(f.segs[0]))
		}
	default:
		stageOK = true
		b.add("unknown-stage", Low, msg.T("stage %q reads like a stage name; check its exact case",
			"ステージ %q はステージ名らしいが、大文字と小文字まで一致しているか確認", f.segs[0]))
	}
	return stageOK
}

func (b *builder) keyCauses(base []msg.Text, conf Confidence) {
	f := b.f
	switch {
	case f.req == nil:
		b.add("missing-api-key", Low)
	case f.keyVariant != "":
		b.add("misspelled-api-key", High, append(base, b.evKeyState())...)
	case f.apiKey:
		b.add("key-not-in-usage-plan", conf, append(base, b.evKeySent())...)
		b.add("invalid-api-key", Low, b.evKeySent())
	case f.redacted:
		b.add("missing-api-key", Low, b.evNoKey())
	default:
		b.add("missing-api-key", conf, append(base, b.evNoKey())...)
		b.add("key-not-in-usage-plan", Low)
	}
}

func (b *builder) customDomainForbidden(base []msg.Text) {
	f := b.f
	conn := f.x.Conn
	ev := append(append([]msg.Text{}, base...), b.evHost())
	switch {
	case conn.ClientCertRequested && !conn.ClientCertSent:
		b.add("mtls", High, append(ev, t("in the TLS handshake the server asked for a client certificate (Request CERT) and the client sent none",
			"TLS ハンドシェイクでサーバーがクライアント証明書を要求した（Request CERT）が、クライアントは送っていない"))...)
	case conn.ClientCertRequested:
		b.add("mtls", Medium, append(ev, t("the server asked for a client certificate and the client sent one: it may not be issued by the domain's truststore, or be expired",
			"サーバーがクライアント証明書を要求し、クライアントは送った（トラストストアが発行していない、または期限切れの可能性）"))...)
	case conn.TLS:
		// The handshake is visible and asked for no certificate: no mTLS.
	default:
		b.add("mtls", Medium, b.evHost())
	}
	mapEv := ev
	if len(f.segs) > 0 {
		mapEv = append(mapEv, msg.T("the path starts with %q; a mapping must match it (or have an empty base path)",
			"パスは %q で始まる（一致するマッピング、または空のベースパスのマッピングが必要）", f.segs[0]))
	}
	b.add("no-base-path-mapping", Medium, mapEv...)
	b.keyCauses(base, Medium)
	if f.viaCF {
		b.add("cloudfront-host-header", Low, t("the response passed through CloudFront (Via / X-Cache)", "応答は CloudFront を経由している（Via / X-Cache）"))
	}
	b.add("waf", Low)
}

func (b *builder) forbiddenHTTPAPI(base []msg.Text) {
	f := b.f
	ev := append(append([]msg.Text{}, base...), t("apigw-requestid header: an HTTP API", "apigw-requestid ヘッダー: HTTP API"))
	switch {
	case f.req != nil && !f.signed && f.auth == "" && !f.redacted:
		b.add("unsigned-iam", High, append(ev, b.evNoSig())...)
		b.add("http-api-authorizer", Medium)
	case f.auth != "" && !f.signed:
		b.add("http-api-authorizer", High, append(ev, same("the request sends Authorization: "+authSummary(f.auth)))...)
		b.add("iam-method-with-token", Medium, b.evAuth())
	default:
		b.add("unsigned-iam", High, ev...)
		b.add("http-api-authorizer", High, ev...)
	}
	if f.kind == hostCustom {
		b.add("no-base-path-mapping", Medium, b.evHost())
		if !f.x.Conn.TLS || f.x.Conn.ClientCertRequested {
			b.add("mtls", Medium, b.evHost())
		}
	}
}

// general returns the checks that apply to any cause of this response.
func (b *builder) general(d *Diagnosis) []msg.Text {
	f := b.f
	var out []msg.Text
	if d.Origin != OriginAPIGateway {
		if d.Origin == OriginUnknown {
			out = append(out, t("Reproduce with curl -v and keep the whole output: the request and the response headers tell where a 403 comes from",
				"curl -v で再現し、出力全体を残します。リクエストとレスポンスヘッダーから 403 の発生元がわかります"))
		}
		return out
	}
	var id msg.Text
	if f.requestID != "" {
		id = msg.T(" (%s: %s)", "（%s: %s）", f.requestIDName, f.requestID)
	}
	if f.httpAPI {
		out = append(out, msg.T("HTTP APIs have no execution logs: turn on access logging with $context.error.message, $context.authorizer.error and $context.integrationErrorMessage, then find the request%s",
			"HTTP API には実行ログがありません。アクセスログを有効にして $context.error.message、$context.authorizer.error、$context.integrationErrorMessage を記録し、このリクエスト%sを探します", id))
	} else {
		out = append(out, msg.T("Find the request in CloudWatch Logs%s: the stage's execution logs (logging level INFO) say why API Gateway refused it, and access logs can record $context.error.responseType and $context.error.message (HTTP APIs have access logs only)",
			"CloudWatch Logs でこのリクエスト%sを探します。ステージの実行ログ（ログレベル INFO）に API Gateway が拒否した理由が出ます。アクセスログには $context.error.responseType と $context.error.message を記録できます（HTTP API はアクセスログのみ）", id))
	}
	if f.req == nil || f.x.Entry >= 0 {
		out = append(out, t("Reproduce with curl -v to see the request and the response together: curl -v -X <METHOD> https://<api-id>.execute-api.<region>.amazonaws.com/<stage>/<resource>",
			"curl -v で再現し、リクエストとレスポンスを並べて確認します: curl -v -X <メソッド> https://<API ID>.execute-api.<リージョン>.amazonaws.com/<ステージ>/<リソース>"))
	}
	if f.kind == hostVPCE || f.kind == hostVPCESpecific {
		out = append(out, t("From a VPC: check the interface VPC endpoint's private DNS setting and the API's resource policy (aws:SourceVpce)",
			"VPC 内から呼ぶ場合: インターフェイス VPC エンドポイントのプライベート DNS 設定と、API のリソースポリシー（aws:SourceVpce）を確認します"))
	}
	return out
}
