package rules

import (
	"strings"

	"github.com/gw403/gw403-lsp/analyzer"
	"github.com/gw403/gw403-lsp/analyzer/link"
	"github.com/gw403/gw403-lsp/analyzer/msg"
	"github.com/gw403/gw403-lsp/schemas/apimodel"
	"github.com/gw403/gw403-lsp/schemas/source"
)

// AuthorizerIdentitySourceMissing is GW181.
var AuthorizerIdentitySourceMissing = &analyzer.Rule{
	Code: "GW181", Slug: "authorizer-identity-source-missing",
	Title: msg.Text{
		EN: "Request lacks the identity source its authorizer reads",
		JA: "オーソライザーが読む ID ソースがリクエストにない",
	},
	Severity: analyzer.Error, Scope: analyzer.RequestScope,
	Fix: analyzer.FixSometimes, ErrorType: "UnauthorizedException", Status: 401,
	Doc: analyzer.Doc{
		What: msg.Text{
			EN: "Finds linked requests to a method or route protected by an authorizer that reads the caller's identity from the request, when an identity source is missing or empty: the header of a Lambda `TOKEN` authorizer (default `Authorization`), the headers and query parameters a Lambda `REQUEST` authorizer lists as identity sources, the `Authorization` header (or the configured header) of a Cognito user pool authorizer on a REST API, and the identity source of a JWT authorizer on an HTTP API (default `$request.header.Authorization`). Context and stage-variable sources are not checked, nor is a `REQUEST` authorizer without identity sources (API Gateway then always calls it).",
			JA: "リクエストから呼び出し元の ID を読むオーソライザーで保護されたメソッドやルートへのリンクされたリクエストで、ID ソースがない、または空のものを検出します。対象は Lambda `TOKEN` オーソライザーのヘッダー（既定は `Authorization`）、Lambda `REQUEST` オーソライザーが ID ソースに挙げるヘッダーとクエリパラメーター、REST API の Cognito ユーザープールオーソライザーの `Authorization` ヘッダー（または設定したヘッダー）、HTTP API の JWT オーソライザーの ID ソース（既定は `$request.header.Authorization`）です。コンテキストやステージ変数の ID ソースは検査しません。ID ソースのない `REQUEST` オーソライザーも対象外です（API Gateway が常に呼び出すため）。",
		},
		Why: msg.Text{
			EN: "API Gateway checks that every identity source is present and not empty before it calls a Lambda authorizer or validates a token. When one is missing it answers 401 at once: the authorizer never runs, so it cannot allow the request (nor deny it with a 403).",
			JA: "API Gateway は Lambda オーソライザーを呼び出す前、またはトークンを検証する前に、すべての ID ソースがあり空でないことを確認します。1 つでも欠けていると即座に 401 を返します。オーソライザーは実行されないので、リクエストを許可することも（403 で拒否することも）ありません。",
		},
		Returns: msg.Text{
			EN: "`401` with `x-amzn-errortype: UnauthorizedException` and `{\"message\":\"Unauthorized\"}` (HTTP APIs: `401` `{\"message\":\"Unauthorized\"}`). Once the header is sent, a Lambda authorizer that denies answers `403` `AccessDeniedException`.",
			JA: "`401`、`x-amzn-errortype: UnauthorizedException`、`{\"message\":\"Unauthorized\"}`（HTTP API は `401` `{\"message\":\"Unauthorized\"}`）。ヘッダーを送った後で Lambda オーソライザーが拒否すると `403` `AccessDeniedException` になります。",
		},
		Example: msg.Text{
			EN: "```http\n# OrdersApi: Auth: { DefaultAuthorizer: TokenAuthorizer } (FunctionPayloadType TOKEN)\nGET https://a1b2c3d4e5.execute-api.ap-northeast-1.amazonaws.com/Prod/orders\nAccept: application/json\n```",
			JA: "```http\n# OrdersApi: Auth: { DefaultAuthorizer: TokenAuthorizer }（FunctionPayloadType は TOKEN）\nGET https://a1b2c3d4e5.execute-api.ap-northeast-1.amazonaws.com/Prod/orders\nAccept: application/json\n```",
		},
		Fix: msg.Text{
			EN: "Send the identity source. The quick fix inserts each missing header after the request's headers with a variable for its value: the environment's token variable when one is defined (`token`, `accessToken`, `idToken`, `jwt`…), else `{{token}}` (`Bearer {{token}}` for a JWT authorizer). It is safe. Missing query parameters are reported without a fix.",
			JA: "ID ソースを送ります。クイックフィックスは欠けている各ヘッダーを、値を変数にしてリクエストのヘッダーの後に挿入します。環境にトークンの変数（`token`、`accessToken`、`idToken`、`jwt` など）があればそれを、なければ `{{token}}`（JWT オーソライザーでは `Bearer {{token}}`）を使います。安全に自動適用できます。欠けているクエリパラメーターは修正なしで報告します。",
		},
		References: []string{
			"https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-use-lambda-authorizer.html",
			"https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-lambda-authorizer.html",
			"https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-jwt-authorizer.html",
			"https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-integrate-with-cognito.html",
		},
	},
	Run: runAuthorizerIdentitySourceMissing,
}

func init() { analyzer.Register(AuthorizerIdentitySourceMissing) }

func runAuthorizerIdentitySourceMissing(p *analyzer.Pass) error {
	r := readLinkedRequest(p)
	if r.route == nil {
		return nil
	}
	au := r.route.Auth.Authorizer
	typ := r.route.Auth.Type
	switch typ {
	case apimodel.AuthToken, apimodel.AuthRequest, apimodel.AuthCognito, apimodel.AuthJWT:
	default:
		return nil
	}
	if au == nil {
		return nil
	}
	sources := au.Identity
	if len(sources) == 0 && typ != apimodel.AuthRequest {
		sources = []apimodel.IdentitySource{{In: "header", Name: "Authorization"}}
	}
	rc := p.Request
	var headers, queries []string
	for _, s := range sources {
		switch s.In {
		case "header":
			if !identityHeaderSent(rc, s.Name) {
				headers = append(headers, s.Name)
			}
		case "query":
			if !identityQuerySent(rc.URL, s.Name) {
				queries = append(queries, s.Name)
			}
		}
	}
	if len(headers) == 0 && len(queries) == 0 {
		return nil
	}
	var read []msg.Text
	for _, h := range headers {
		read = append(read, msg.T("the %s header", "%s ヘッダー", h))
	}
	for _, q := range queries {
		read = append(read, msg.T("the query parameter %s", "クエリパラメーター %s", q))
	}
	reads := msg.Join(read, " and ", "と")
	kind := map[apimodel.AuthType]msg.Text{
		apimodel.AuthToken:   msg.T("Lambda TOKEN authorizer", "Lambda TOKEN オーソライザー"),
		apimodel.AuthRequest: msg.T("Lambda REQUEST authorizer", "Lambda REQUEST オーソライザー"),
		apimodel.AuthCognito: msg.T("Cognito user pool authorizer", "Cognito ユーザープールオーソライザー"),
		apimodel.AuthJWT:     msg.T("JWT authorizer", "JWT オーソライザー"),
	}[typ]
	sends := msg.T("does not send it", "これを送っていない")
	if len(queries) == 0 {
		empty := true
		for _, h := range headers {
			empty = empty && rc.Header(h) != nil
		}
		if empty {
			sends = msg.T("sends it empty", "これを空で送っている")
		}
	}
	d := analyzer.Diagnostic{
		Span: rc.Req.TargetSpan,
		Message: msg.T("%s is protected by the %s %s, which reads %s; the request %s, so API Gateway answers 401 Unauthorized without calling the authorizer",
			"%s は %s %s で保護されており、%s を読みます。リクエストが%sため、API Gateway はオーソライザーを呼ばずに 401 Unauthorized を返します",
			methodPathLabel(rc), kind, au.Name, reads, sends),
	}
	loc := au.IdentityLoc
	if loc.IsZero() {
		loc = au.Loc
	}
	d.Related = reqRelated(loc, msg.T("identity source of %s", "%s の ID ソース", au.Name))
	if len(headers) > 0 {
		var edits []analyzer.Edit
		var lines []string
		for _, h := range headers {
			line := h + ": " + identityValue(rc, h, typ)
			if sent := rc.Header(h); sent != nil {
				// Sent empty: give that line a value.
				if len(headers) == 1 && len(queries) == 0 {
					d.Span = sent.H.Span
				}
				edits = append(edits, analyzer.Edit{Path: rc.Path, Span: source.Span{Start: sent.H.NameSpan.Start, End: sent.H.Span.End}, NewText: sent.H.Name + ": " + identityValue(rc, h, typ)})
				continue
			}
			lines = append(lines, line)
		}
		if len(lines) > 0 {
			edits = append(edits, headerInsertEdit(rc, strings.Join(lines, "\n")))
		}
		d.Fixes = []analyzer.Fix{{
			Title: msg.T("Add the %s header", "%s ヘッダーを追加", strings.Join(headers, ", ")),
			Edits: edits, Safe: true, Preferred: true,
		}}
	}
	p.Report(d)
	return nil
}

// identityHeaderSent reports whether the request sends a header with a value (or
// one only known when sent).
func identityHeaderSent(rc *link.RequestContext, name string) bool {
	h := rc.Header(name)
	if h == nil {
		return false
	}
	if h.H.AWS != nil || !h.Value.Complete() {
		return true
	}
	return strings.TrimSpace(h.Value.Text) != ""
}

// identityQuerySent reports whether the URL's query has a non-empty parameter
// name (or is not fully known).
func identityQuerySent(u *link.URL, name string) bool {
	if strings.Contains(u.Query, "\x00") || u.PathStart < 0 {
		return true
	}
	for _, pair := range strings.Split(u.Query, "&") {
		k, v, _ := strings.Cut(pair, "=")
		if k == name && v != "" {
			return true
		}
	}
	return false
}

// identityValue is the value an inserted identity header gets: a defined
// token-like variable, else a variable named after the header.
func identityValue(rc *link.RequestContext, header string, typ apimodel.AuthType) string {
	if strings.EqualFold(header, "Authorization") {
		v := envVarNamed(rc, "token", "accessToken", "idToken", "authToken", "jwt", "bearerToken", "access_token", "id_token", "authorization")
		if v == "" {
			v = "token"
		}
		if typ == apimodel.AuthJWT {
			return "Bearer {{" + v + "}}"
		}
		return "{{" + v + "}}"
	}
	name := headerVarName(header)
	if v := envVarNamed(rc, name, header); v != "" {
		return "{{" + v + "}}"
	}
	return "{{" + name + "}}"
}

// headerVarName turns a header name into a variable name: X-Tenant-Id →
// tenantId.
func headerVarName(h string) string {
	parts := strings.FieldsFunc(strings.ToLower(h), func(r rune) bool { return r == '-' || r == '_' })
	if len(parts) > 1 && parts[0] == "x" {
		parts = parts[1:]
	}
	var b strings.Builder
	for i, p := range parts {
		if i > 0 && p != "" {
			p = strings.ToUpper(p[:1]) + p[1:]
		}
		b.WriteString(p)
	}
	if b.Len() == 0 {
		return "token"
	}
	return b.String()
}
