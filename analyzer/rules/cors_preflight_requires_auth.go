package rules

import (
	"gopkg.in/yaml.v3"

	"github.com/gw403/gw403-lsp/analyzer"
	"github.com/gw403/gw403-lsp/analyzer/link"
	"github.com/gw403/gw403-lsp/analyzer/msg"
	"github.com/gw403/gw403-lsp/schemas/apimodel"
	"github.com/gw403/gw403-lsp/schemas/template"
	"github.com/gw403/gw403-lsp/schemas/yamlpos"
)

// CORSPreflightRequiresAuth is GW241.
var CORSPreflightRequiresAuth = &analyzer.Rule{
	Code: "GW241", Slug: "cors-preflight-requires-auth",
	Title: msg.Text{
		EN: "CORS preflight (OPTIONS) requires an API key or an authorizer",
		JA: "CORS のプリフライト（OPTIONS）に API キーまたはオーソライザーが必要になっている",
	},
	Severity: analyzer.Error, Scope: analyzer.TemplateScope,
	Fix: analyzer.FixSometimes, ErrorType: "ForbiddenException", Status: 403,
	Doc: analyzer.Doc{
		What: msg.Text{
			EN: "Finds REST APIs whose CORS preflight requests must carry an API key or pass an authorizer: a SAM `Cors` setting (on the API or in `Globals.Api`) with `Auth.ApiKeyRequired: true` and no `AddApiKeyRequiredToCorsPreflight: false`, or with an `Auth.DefaultAuthorizer` other than `NONE` (`AWS_IAM` included) and no `AddDefaultAuthorizerToCorsPreflight: false` (both flags default to true); an `AWS::ApiGateway::Method` with `HttpMethod: OPTIONS` and `ApiKeyRequired: true` or an `AuthorizationType` other than `NONE`; an OpenAPI `options` operation whose security requires an `apiKey` scheme or an authorizer. HTTP APIs are never reported: with `CorsConfiguration` they answer preflight requests before any authorizer runs.",
			JA: "CORS のプリフライトリクエストに API キーやオーソライザーの通過が必要になっている REST API を見つけます。対象は、SAM の `Cors`（API または `Globals.Api`）があり `Auth.ApiKeyRequired: true` なのに `AddApiKeyRequiredToCorsPreflight: false` がない場合、`NONE` 以外（`AWS_IAM` を含む）の `Auth.DefaultAuthorizer` があるのに `AddDefaultAuthorizerToCorsPreflight: false` がない場合（どちらのフラグも既定値は true）、`HttpMethod: OPTIONS` の `AWS::ApiGateway::Method` が `ApiKeyRequired: true` または `NONE` 以外の `AuthorizationType` を持つ場合、OpenAPI の `options` オペレーションのセキュリティが `apiKey` スキームやオーソライザーを要求する場合です。HTTP API は対象外です（`CorsConfiguration` があればオーソライザーより前にプリフライトに応答します）。",
		},
		Why: msg.Text{
			EN: "Before a cross-origin request with custom headers (`x-api-key`, `Authorization`, `Content-Type: application/json`), the browser sends an `OPTIONS` preflight on its own, and it never adds `x-api-key`, `Authorization` or a SigV4 signature to it. When the OPTIONS method requires a key, API Gateway answers 403; when it requires an authorizer, 401 (or 403 for `AWS_IAM`). A preflight must succeed with a 2xx, so the browser blocks the real request and the console reports a CORS error (\"Response to preflight request doesn't pass access control check\"), while curl, Postman and request files, which send no preflight, work.",
			JA: "カスタムヘッダー（`x-api-key`、`Authorization`、`Content-Type: application/json`）付きのクロスオリジンリクエストの前に、ブラウザは自動で `OPTIONS` のプリフライトを送りますが、そこに `x-api-key`、`Authorization`、SigV4 署名を付けることはありません。OPTIONS メソッドがキーを要求すると API Gateway は 403 を、オーソライザーを要求すると 401（`AWS_IAM` なら 403）を返します。プリフライトは 2xx で成功する必要があるため、ブラウザは本来のリクエストを止め、コンソールには CORS エラー（\"Response to preflight request doesn't pass access control check\"）が出ます。プリフライトを送らない curl、Postman、リクエストファイルでは動きます。",
		},
		Returns: msg.Text{
			EN: "For the preflight: `403` with `x-amzn-errortype: ForbiddenException` and `{\"message\":\"Forbidden\"}` (API key), `403` `MissingAuthenticationTokenException` (`AWS_IAM`), or `401` `UnauthorizedException` `{\"message\":\"Unauthorized\"}` (Lambda or Cognito authorizer). The browser shows a CORS error instead.",
			JA: "プリフライトに対して、`403`、`x-amzn-errortype: ForbiddenException`、`{\"message\":\"Forbidden\"}`（API キー）、`403` の `MissingAuthenticationTokenException`（`AWS_IAM`）、または `401` の `UnauthorizedException`、`{\"message\":\"Unauthorized\"}`（Lambda または Cognito オーソライザー）が返ります。ブラウザには代わりに CORS エラーが表示されます。",
		},
		Example: msg.Text{
			EN: "```yaml\nOrdersApi:\n  Type: AWS::Serverless::Api\n  Properties:\n    StageName: prod\n    Cors:\n      AllowOrigin: \"'https://shop.example.com'\"\n      AllowHeaders: \"'Content-Type,x-api-key'\"\n    Auth:\n      ApiKeyRequired: true   # also required on the OPTIONS preflight\n```",
			JA: "```yaml\nOrdersApi:\n  Type: AWS::Serverless::Api\n  Properties:\n    StageName: prod\n    Cors:\n      AllowOrigin: \"'https://shop.example.com'\"\n      AllowHeaders: \"'Content-Type,x-api-key'\"\n    Auth:\n      ApiKeyRequired: true   # OPTIONS のプリフライトにも必須になる\n```",
		},
		Fix: msg.Text{
			EN: "For SAM, add `AddApiKeyRequiredToCorsPreflight: false` and/or `AddDefaultAuthorizerToCorsPreflight: false` to the API's `Auth`. The quick fix does so under the API's own `Auth` (SAM merges it with `Globals.Api.Auth`), and `check --fix` applies it, since SAM's OPTIONS methods are mock integrations that return only CORS headers; for the implicit API it edits `Globals.Api.Auth`, which is unsafe when the template also has `AWS::Serverless::Api` resources (Globals change them too). For CloudFormation, give the OPTIONS method `ApiKeyRequired: false` and `AuthorizationType: NONE` (the quick fix is applied by `check --fix` only when the method's integration is `MOCK`: an OPTIONS method that reaches a backend would become public). For OpenAPI, give the `options` operation `security: []`.\n\n```yaml\n    Auth:\n      ApiKeyRequired: true\n      AddApiKeyRequiredToCorsPreflight: false\n```",
			JA: "SAM では、API の `Auth` に `AddApiKeyRequiredToCorsPreflight: false` や `AddDefaultAuthorizerToCorsPreflight: false` を追加します。クイックフィックスは API 自身の `Auth`（SAM が `Globals.Api.Auth` とマージします）に追加します。SAM の OPTIONS メソッドは CORS ヘッダーだけを返すモック統合なので、`check --fix` でも適用します。暗黙の API では `Globals.Api.Auth` を編集するため、テンプレートに `AWS::Serverless::Api` リソースもある場合は安全でない修正になります（Globals はそれらも変えます）。CloudFormation では OPTIONS メソッドを `ApiKeyRequired: false`、`AuthorizationType: NONE` にします（統合が `MOCK` のときだけ `check --fix` で適用します。バックエンドに届く OPTIONS メソッドは誰でも呼べるようになるためです）。OpenAPI では `options` オペレーションに `security: []` を指定します。\n\n```yaml\n    Auth:\n      ApiKeyRequired: true\n      AddApiKeyRequiredToCorsPreflight: false\n```",
		},
		References: []string{
			"https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-property-api-apiauth.html",
			"https://docs.aws.amazon.com/apigateway/latest/developerguide/how-to-cors.html",
			"https://developer.mozilla.org/en-US/docs/Glossary/Preflight_request",
		},
	},
	Run: runCORSPreflightRequiresAuth,
}

func init() { analyzer.Register(CORSPreflightRequiresAuth) }

// SAM's flags that keep the API's defaults off the preflight methods.
const (
	samKeyFlag  = "AddApiKeyRequiredToCorsPreflight"
	samAuthFlag = "AddDefaultAuthorizerToCorsPreflight"
)

func runCORSPreflightRequiresAuth(p *analyzer.Pass) error {
	snap := p.Snap
	for _, a := range snap.Model.APIs {
		if a.Kind != apimodel.REST || a.GatewayUnconfirmed {
			continue
		}
		samDefaults := map[apimodel.Loc]bool{}
		if c := a.CORS; c != nil && !c.Unknown {
			pf := c.Preflight
			if pf.APIKeyRequired {
				p.Report(preflightKeyDiag(snap, a, c.Loc, pf.APIKeyLoc, ""))
				samDefaults[pf.APIKeyLoc] = true
			}
			if requiresAuthorizer(pf) {
				p.Report(preflightAuthDiag(snap, a, c.Loc, pf, ""))
				samDefaults[pf.Loc] = true
			}
		}
		for _, r := range a.Routes {
			if r.Method != "OPTIONS" || r.CORS {
				continue
			}
			name := "OPTIONS " + r.Path
			if r.Auth.APIKeyRequired && !samDefaults[r.Auth.APIKeyLoc] {
				at := r.Auth.APIKeyLoc
				if at.IsZero() {
					at = r.Loc
				}
				p.Report(preflightKeyDiag(snap, a, at, r.Auth.APIKeyLoc, name))
			}
			if requiresAuthorizer(r.Auth) && !samDefaults[r.Auth.Loc] {
				at := r.Auth.Loc
				if at.IsZero() {
					at = r.Loc
				}
				p.Report(preflightAuthDiag(snap, a, at, r.Auth, name))
			}
		}
	}
	return nil
}

// requiresAuthorizer reports an auth that a browser's preflight cannot
// pass: IAM or an authorizer. AuthUnknown counts only when it comes from a
// static setting (a default authorizer the workspace does not define); an
// unreadable one stays quiet.
func requiresAuthorizer(au apimodel.Auth) bool {
	switch au.Type {
	case apimodel.AuthNone:
		return false
	case apimodel.AuthUnknown:
		return au.Authorizer != nil
	}
	return true
}

// samAPI reports an API whose preflight auth comes from SAM's Auth.
func samAPI(a *apimodel.API) bool {
	return a.SAM != nil && (a.Origin == apimodel.SAMApi || a.Origin == apimodel.SAMImplicit)
}

// preflightKeyDiag reports preflights that require an API key: those of
// one OPTIONS route (method, "OPTIONS /orders"), or when method is "" all
// that the API's CORS configuration answers.
func preflightKeyDiag(snap *link.Snapshot, a *apimodel.API, at, keyLoc apimodel.Loc, method string) analyzer.Diagnostic {
	d := analyzer.Diagnostic{
		Path: at.Path, Span: at.Span, ErrorType: "ForbiddenException", Status: 403,
		Message: msg.T("%s answers CORS preflight with OPTIONS methods that require an API key (ApiKeyRequired): browsers send no x-api-key on a preflight, so it gets 403 Forbidden and the page reports a CORS error",
			"%s は CORS のプリフライトに API キー必須（ApiKeyRequired）の OPTIONS メソッドで応答します。ブラウザはプリフライトに x-api-key を付けないため 403 Forbidden になり、ページでは CORS エラーになります", a.Name),
		Related: []analyzer.Related{{Path: a.Loc.Path, Span: a.Loc.Span, Message: msg.T("API %s", "API %s", a.Name)}},
	}
	if method != "" {
		d.Message = msg.T("%[2]s of %[1]s requires an API key (ApiKeyRequired): browsers send no x-api-key on a CORS preflight, so it gets 403 Forbidden and the page reports a CORS error",
			"%[1]s の %[2]s は API キー必須（ApiKeyRequired）です。ブラウザは CORS のプリフライトに x-api-key を付けないため 403 Forbidden になり、ページでは CORS エラーになります", a.Name, method)
	}
	if !keyLoc.IsZero() && keyLoc != at {
		d.Related = append(d.Related, analyzer.Related{Path: keyLoc.Path, Span: keyLoc.Span, Message: msg.T("the API key requirement", "API キーの要求")})
	}
	if f, ok := preflightFix(snap, a, keyLoc, samKeyFlag, "ApiKeyRequired", "false"); ok {
		d.Fixes = []analyzer.Fix{f}
	}
	return d
}

// preflightAuthDiag reports preflights that require authorization, as
// preflightKeyDiag does for an API key.
func preflightAuthDiag(snap *link.Snapshot, a *apimodel.API, at apimodel.Loc, au apimodel.Auth, method string) analyzer.Diagnostic {
	who := msg.T("an authorizer", "オーソライザー")
	status, errType, answer := 401, "UnauthorizedException", "401 Unauthorized"
	header := msg.T("no Authorization header", "Authorization ヘッダーを付けない")
	switch {
	case au.Type == apimodel.AuthIAM:
		who = msg.T("IAM authorization (AWS_IAM)", "IAM 認証（AWS_IAM）")
		status, errType, answer = 403, "MissingAuthenticationTokenException", "403 Missing Authentication Token"
		header = msg.T("no SigV4 signature", "SigV4 署名を付けない")
	case au.Authorizer != nil:
		who = msg.T("the authorizer %s (%s)", "オーソライザー %s（%s）", au.Authorizer.Name, authorizerKind(au.Type))
	}
	d := analyzer.Diagnostic{
		Path: at.Path, Span: at.Span, ErrorType: errType, Status: status,
		Message: msg.T("%s answers CORS preflight with OPTIONS methods that require %s: browsers send %s on a preflight, so it gets %s and the page reports a CORS error",
			"%s は CORS のプリフライトに%sが必要な OPTIONS メソッドで応答します。ブラウザはプリフライトに %sため %s になり、ページでは CORS エラーになります",
			a.Name, who, header, answer),
		Related: []analyzer.Related{{Path: a.Loc.Path, Span: a.Loc.Span, Message: msg.T("API %s", "API %s", a.Name)}},
	}
	if method != "" {
		d.Message = msg.T("%[2]s of %[1]s requires %[3]s: browsers send %[4]s on a CORS preflight, so it gets %[5]s and the page reports a CORS error",
			"%[1]s の %[2]s には%[3]sが必要です。ブラウザは CORS のプリフライトに %[4]sため %[5]s になり、ページでは CORS エラーになります",
			a.Name, method, who, header, answer)
	}
	if !au.Loc.IsZero() && au.Loc != at {
		d.Related = append(d.Related, analyzer.Related{Path: au.Loc.Path, Span: au.Loc.Span, Message: msg.T("the authorization", "認可の設定")})
	}
	if f, ok := preflightFix(snap, a, au.Loc, samAuthFlag, "AuthorizationType", "NONE"); ok {
		d.Fixes = []analyzer.Fix{f}
	}
	return d
}

func authorizerKind(t apimodel.AuthType) string {
	switch t {
	case apimodel.AuthToken:
		return "Lambda TOKEN"
	case apimodel.AuthRequest:
		return "Lambda REQUEST"
	case apimodel.AuthCognito:
		return "Cognito"
	case apimodel.AuthJWT:
		return "JWT"
	}
	return "unknown type"
}

// preflightFix turns the requirement decided at loc off for the preflight:
// for SAM, flag: false under the Auth that holds the setting; for an
// AWS::ApiGateway::Method, prop set to off (and AuthorizerId removed with
// the authorization).
func preflightFix(snap *link.Snapshot, a *apimodel.API, loc apimodel.Loc, flag, prop, off string) (analyzer.Fix, bool) {
	if loc.IsZero() {
		return analyzer.Fix{}, false
	}
	t := snap.Template(loc.Path)
	if t == nil {
		return analyzer.Fix{}, false
	}
	if samAPI(a) && (loc == a.SAM.ApiKeyRequiredLoc || loc == a.SAM.DefaultAuthLoc) {
		return samPreflightFix(t, a, flag)
	}
	r := t.ResourceAround(loc.Span)
	if r == nil || r.Type != "AWS::ApiGateway::Method" {
		return analyzer.Fix{}, false
	}
	return cfnPreflightFix(t, r, prop, off)
}

// samPreflightFix sets flag to false for the API alone: under its own
// Auth for an AWS::Serverless::Api (SAM merges it with Globals.Api.Auth key
// by key), under Globals.Api.Auth for the implicit API, which is unsafe
// when the template has AWS::Serverless::Api resources that Globals.Api
// changes too. An existing literal flag is rewritten.
func samPreflightFix(t *template.Template, a *apimodel.API, flag string) (analyzer.Fix, bool) {
	d := t.Doc
	var base *yaml.Node // the mapping the keys below start from
	var keys []string
	switch a.Origin {
	case apimodel.SAMApi:
		r := t.Resource(a.LogicalID)
		if r == nil {
			return analyzer.Fix{}, false
		}
		base, keys = r.Node, []string{"Properties", "Auth", flag}
	case apimodel.SAMImplicit:
		if t.Globals == nil {
			return analyzer.Fix{}, false
		}
		base, keys = t.Globals, []string{"Api", "Auth", flag}
	default:
		return analyzer.Fix{}, false
	}
	var f analyzer.Fix
	if v := yamlpos.Value(yamlpos.Value(yamlpos.Value(base, keys[0]), keys[1]), flag); v != nil {
		if !yamlpos.LiteralScalar(v) {
			return analyzer.Fix{}, false
		}
		e, err := setPlain(d, v, "false")
		if err != nil {
			return analyzer.Fix{}, false
		}
		f = analyzer.Fix{Title: msg.T("Set %s to false", "%s を false に変更", flag), Edits: toEdits(t.Path(), e)}
	} else {
		e, err := d.InsertPath(base, keys, false)
		if err != nil {
			return analyzer.Fix{}, false
		}
		f = analyzer.Fix{Title: msg.T("Add %s: false under Auth", "Auth に %s: false を追加", flag), Edits: toEdits(t.Path(), e)}
	}
	// SAM's OPTIONS methods are mock integrations: turning their key or
	// authorizer off exposes no backend.
	f.Safe, f.Preferred = true, true
	if a.Origin == apimodel.SAMImplicit {
		f = globalsFix(t, f)
	}
	return f, true
}

// cfnPreflightFix sets the OPTIONS method's prop to off; safe only for a
// MOCK integration, which reaches no backend.
func cfnPreflightFix(t *template.Template, r *template.Resource, prop, off string) (analyzer.Fix, bool) {
	d := t.Doc
	v := r.Prop(prop)
	if v == nil || !yamlpos.LiteralScalar(v) {
		return analyzer.Fix{}, false
	}
	e, err := setPlain(d, v, off)
	if err != nil {
		return analyzer.Fix{}, false
	}
	edits := []yamlpos.Edit{e}
	if prop == "AuthorizationType" && r.Prop("AuthorizerId") != nil {
		de, err := d.DeleteKey(r.Properties, "AuthorizerId")
		if err != nil {
			return analyzer.Fix{}, false
		}
		edits = append(edits, de)
	}
	typ := yamlpos.Value(r.Prop("Integration"), "Type")
	mock := typ != nil && yamlpos.LiteralScalar(typ) && (typ.Value == "MOCK" || typ.Value == "mock")
	return analyzer.Fix{
		Title: msg.T("Set %s to %s on the OPTIONS method", "OPTIONS メソッドの %s を %s に変更", prop, off),
		Edits: toEdits(t.Path(), edits...), Safe: mock, Preferred: true,
	}, true
}

// setPlain replaces the scalar n by value; a plain scalar stays plain
// (SetScalar would quote `false` to keep it a string).
func setPlain(d *yamlpos.Doc, n *yaml.Node, value string) (yamlpos.Edit, error) {
	if n.Style == 0 && !d.JSON {
		return yamlpos.Edit{Span: d.TokenSpan(n), NewText: value}, nil
	}
	if d.JSON && n.Style&yaml.DoubleQuotedStyle == 0 {
		return yamlpos.Edit{Span: d.TokenSpan(n), NewText: value}, nil
	}
	return d.SetScalar(n, value)
}
