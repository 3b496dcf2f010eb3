package rules

import (
	"strings"

	"github.com/gw403/gw403-lsp/analyzer"
	"github.com/gw403/gw403-lsp/analyzer/link"
	"github.com/gw403/gw403-lsp/analyzer/msg"
	"github.com/gw403/gw403-lsp/schemas/apimodel"
	"github.com/gw403/gw403-lsp/schemas/source"
)

// MissingAPIKey is GW101.
var MissingAPIKey = &analyzer.Rule{
	Code: "GW101", Slug: "missing-api-key",
	Title: msg.Text{
		EN: "Method requires an API key but the request sends no x-api-key header",
		JA: "API キーが必要なメソッドに x-api-key ヘッダーを送っていない",
	},
	Severity: analyzer.Error, Scope: analyzer.RequestScope,
	Fix: analyzer.FixAlways, ErrorType: "ForbiddenException", Status: 403,
	Doc: analyzer.Doc{
		What: msg.Text{
			EN: "Finds linked requests to a REST API method that requires an API key (SAM `Auth.ApiKeyRequired`, `AWS::ApiGateway::Method` `ApiKeyRequired`, an OpenAPI `apiKey` security requirement) that send no `x-api-key` header, or send it empty. Header names are case-insensitive: `X-API-Key` counts. APIs whose key source is `AUTHORIZER` get the key from a Lambda authorizer and are not checked, nor are HTTP APIs, which have no API keys. A key sent under another name (`x-apikey`, `?api_key=`) is reported by GW102 instead.",
			JA: "API キーが必要な REST API のメソッド（SAM の `Auth.ApiKeyRequired`、`AWS::ApiGateway::Method` の `ApiKeyRequired`、OpenAPI の `apiKey` セキュリティ要件）へのリンクされたリクエストで、`x-api-key` ヘッダーを送っていない、または空で送っているものを検出します。ヘッダー名は大文字と小文字を区別しないので `X-API-Key` も有効です。キーのソースが `AUTHORIZER` の API は Lambda オーソライザーからキーを得るので対象外、API キーのない HTTP API も対象外です。別の名前で送っているキー（`x-apikey`、`?api_key=`）は GW102 が報告します。",
		},
		Why: msg.Text{
			EN: "For a method with `ApiKeyRequired`, API Gateway reads the key from the `x-api-key` header and checks it against the usage plans of the stage before anything else. Without the header there is no key to check.",
			JA: "`ApiKeyRequired` のメソッドでは、API Gateway は最初に `x-api-key` ヘッダーからキーを読み、ステージの使用量プランと照合します。ヘッダーがなければ照合するキーがありません。",
		},
		Returns: msg.Text{
			EN: "`403` with `x-amzn-errortype: ForbiddenException` and `{\"message\":\"Forbidden\"}`.",
			JA: "`403`、`x-amzn-errortype: ForbiddenException`、`{\"message\":\"Forbidden\"}`。",
		},
		Example: msg.Text{
			EN: "```http\n# OrdersApi: Auth: { ApiKeyRequired: true }\nGET https://a1b2c3d4e5.execute-api.ap-northeast-1.amazonaws.com/Prod/orders\nAccept: application/json\n```",
			JA: "```http\n# OrdersApi: Auth: { ApiKeyRequired: true }\nGET https://a1b2c3d4e5.execute-api.ap-northeast-1.amazonaws.com/Prod/orders\nAccept: application/json\n```",
		},
		Fix: msg.Text{
			EN: "Send the key in an `x-api-key` header, from a variable rather than a literal (GW502): `x-api-key: {{apiKey}}`. The quick fix inserts that line after the request's headers, using a key-like variable of the environment (`apiKey`, `api_key`, `API_KEY`…) when one is defined. It is safe; define the variable (in `http-client.private.env.json` or `.env`) if it is not.",
			JA: "キーを `x-api-key` ヘッダーで送ります。値はリテラルではなく変数にします（GW502）: `x-api-key: {{apiKey}}`。クイックフィックスはこの行をリクエストのヘッダーの後に挿入します。環境にキーらしい変数（`apiKey`、`api_key`、`API_KEY` など）があればそれを使います。安全に自動適用できます。変数が未定義なら（`http-client.private.env.json` や `.env` に）定義してください。",
		},
		References: []string{
			"https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-api-key-source.html",
			"https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-api-usage-plans.html",
			"https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-property-api-apiauth.html",
		},
	},
	Run: runMissingAPIKey,
}

func init() { analyzer.Register(MissingAPIKey) }

func runMissingAPIKey(p *analyzer.Pass) error {
	r := readLinkedRequest(p)
	if !requiresAPIKey(r.api, r.route) {
		return nil
	}
	rc := p.Request
	if h, q := misspelledKey(rc); h != nil || q != nil {
		return nil // GW102 explains it
	}
	keyVar := link.KeyVariable(rc.EnvVars)
	src := apiKeySourceLabel(p.Snap, r.route)
	d := analyzer.Diagnostic{
		Span:    rc.Req.TargetSpan,
		Related: reqRelated(r.route.Auth.APIKeyLoc, msg.T("the API key is required here", "ここで API キーが必須になっています")),
	}
	if h := rc.Header("x-api-key"); h != nil {
		if !h.Value.Complete() || strings.TrimSpace(h.Value.Text) != "" {
			return nil
		}
		// Sent empty.
		d.Span = h.H.Span
		d.Message = msg.T("%s requires an API key (%s, %s) but sends an empty x-api-key header",
			"%s には API キーが必要です（%s、%s）が、x-api-key ヘッダーが空です", methodPathLabel(rc), r.api.Name, src)
		d.Fixes = []analyzer.Fix{{
			Title: msg.T("Set x-api-key to {{%s}}", "x-api-key に {{%s}} を設定", keyVar),
			Edits: []analyzer.Edit{{Path: rc.Path, Span: source.Span{Start: h.H.NameSpan.Start, End: h.H.Span.End}, NewText: h.H.Name + ": {{" + keyVar + "}}"}},
			Safe:  true, Preferred: true,
		}}
		p.Report(d)
		return nil
	}
	d.Message = msg.T("%s requires an API key (%s, %s) but sends no x-api-key header",
		"%s には API キーが必要です（%s、%s）が、x-api-key ヘッダーを送っていません", methodPathLabel(rc), r.api.Name, src)
	d.Fixes = []analyzer.Fix{{
		Title: msg.T("Add x-api-key header", "x-api-key ヘッダーを追加"),
		Edits: []analyzer.Edit{headerInsertEdit(rc, "x-api-key: {{"+keyVar+"}}")},
		Safe:  true, Preferred: true,
	}}
	p.Report(d)
	return nil
}

// apiKeySourceLabel names the template fact that requires the key, for messages:
// "ApiKeyRequired" (SAM, CloudFormation), "private: true" (serverless.yml)
// or "security api_key" (OpenAPI).
func apiKeySourceLabel(snap *link.Snapshot, rt *apimodel.Route) string {
	if slsService(snap, rt.Auth.APIKeyLoc.Path) != nil {
		return "private: true"
	}
	text := modelLocText(snap, rt.Auth.APIKeyLoc)
	t := strings.Trim(strings.TrimSpace(text), `"'`)
	switch {
	case t == "" || strings.EqualFold(t, "true"):
		return "ApiKeyRequired"
	case strings.HasPrefix(t, "api_key_required"):
		return "api_key_required = true" // Terraform
	case len(t) <= 40 && !strings.ContainsAny(t, "\n:{"):
		return "security " + t
	}
	return "ApiKeyRequired"
}

// modelLocText is the source text at a model location ("" when unknown).
func modelLocText(snap *link.Snapshot, loc apimodel.Loc) string {
	if loc.IsZero() {
		return ""
	}
	fd := snap.Files[loc.Path]
	if fd == nil || fd.Src == nil || loc.Span.Start < 0 || loc.Span.End > len(fd.Src.Text) || loc.Span.End < loc.Span.Start {
		return ""
	}
	return fd.Src.Text[loc.Span.Start:loc.Span.End]
}
