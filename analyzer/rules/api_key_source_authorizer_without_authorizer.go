package rules

import (
	"strings"

	"github.com/gw403/gw403-lsp/analyzer"
	"github.com/gw403/gw403-lsp/analyzer/link"
	"github.com/gw403/gw403-lsp/analyzer/msg"
	"github.com/gw403/gw403-lsp/schemas/apimodel"
	"github.com/gw403/gw403-lsp/schemas/yamlpos"
)

// APIKeySourceAuthorizerWithoutAuthorizer is GW205.
var APIKeySourceAuthorizerWithoutAuthorizer = &analyzer.Rule{
	Code: "GW205", Slug: "api-key-source-authorizer-without-authorizer",
	Title: msg.Text{
		EN: "API key source is AUTHORIZER but no Lambda authorizer supplies the key",
		JA: "API キーのソースが AUTHORIZER なのにキーを返す Lambda オーソライザーがない",
	},
	Severity: analyzer.Error, Scope: analyzer.TemplateScope,
	Fix: analyzer.FixSometimes, ErrorType: "ForbiddenException", Status: 403,
	Doc: analyzer.Doc{
		What: msg.Text{
			EN: "Finds REST APIs with `ApiKeySourceType: AUTHORIZER` (or `x-amazon-apigateway-api-key-source: AUTHORIZER`) whose key-required methods are not protected by a Lambda (`TOKEN` or `REQUEST`) authorizer: the API has none, or a key-required method uses no such authorizer.",
			JA: "`ApiKeySourceType: AUTHORIZER`（または `x-amazon-apigateway-api-key-source: AUTHORIZER`）の REST API で、キー必須のメソッドが Lambda（`TOKEN` または `REQUEST`）オーソライザーで保護されていないものを見つけます。API にオーソライザーがない場合と、キー必須のメソッドがそれを使っていない場合です。",
		},
		Why: msg.Text{
			EN: "With the AUTHORIZER source, API Gateway ignores the `x-api-key` header and takes the key from the `usageIdentifierKey` that a Lambda authorizer returns. A key-required method without such an authorizer never gets a key, so every call to it is refused.",
			JA: "ソースが AUTHORIZER のとき、API Gateway は `x-api-key` ヘッダーを無視し、Lambda オーソライザーが返す `usageIdentifierKey` からキーを取ります。そのようなオーソライザーのないキー必須メソッドにはキーが渡らず、すべての呼び出しが拒否されます。",
		},
		Returns: msg.Text{
			EN: "`403` with `x-amzn-errortype: ForbiddenException` and `{\"message\":\"Forbidden\"}` for every call to a key-required method.",
			JA: "キー必須のメソッドへのすべての呼び出しに `403`、`x-amzn-errortype: ForbiddenException`、`{\"message\":\"Forbidden\"}` が返ります。",
		},
		Example: msg.Text{
			EN: "```yaml\nOrdersApi:\n  Type: AWS::Serverless::Api\n  Properties:\n    StageName: prod\n    ApiKeySourceType: AUTHORIZER   # no Auth.Authorizers\n    Auth:\n      ApiKeyRequired: true\n```",
			JA: "```yaml\nOrdersApi:\n  Type: AWS::Serverless::Api\n  Properties:\n    StageName: prod\n    ApiKeySourceType: AUTHORIZER   # Auth.Authorizers がない\n    Auth:\n      ApiKeyRequired: true\n```",
		},
		Fix: msg.Text{
			EN: "Either read keys from the `x-api-key` header (`ApiKeySourceType: HEADER`, the default), or protect the key-required methods with a Lambda authorizer whose response carries `usageIdentifierKey`. When the API has no Lambda authorizer at all, the quick fix sets the source to `HEADER`: that is the only source that can work, so the fix is safe.",
			JA: "キーを `x-api-key` ヘッダーから読む（`ApiKeySourceType: HEADER`、既定値）か、キー必須のメソッドを `usageIdentifierKey` を返す Lambda オーソライザーで保護します。API に Lambda オーソライザーが一つもない場合、クイックフィックスはソースを `HEADER` にします。動きうる唯一のソースなので安全な修正です。",
		},
		References: []string{
			"https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-api-key-source.html",
			"https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-lambda-authorizer-output.html",
		},
	},
	Run: runAPIKeySourceAuthorizerWithoutAuthorizer,
}

func init() { analyzer.Register(APIKeySourceAuthorizerWithoutAuthorizer) }

// lambdaAuth reports an auth type that may be a Lambda authorizer.
func lambdaAuth(t apimodel.AuthType) bool {
	return t == apimodel.AuthToken || t == apimodel.AuthRequest || t == apimodel.AuthUnknown
}

func runAPIKeySourceAuthorizerWithoutAuthorizer(p *analyzer.Pass) error {
	snap := p.Snap
	for _, a := range snap.Model.APIs {
		if a.Kind != apimodel.REST || !strings.EqualFold(a.APIKeySource, "AUTHORIZER") || !literalAt(snap, a.APIKeySourceLoc) ||
			definitionUnknown(a) ||
			anyMayName(snap, "RestApiId", false, apiTarget(a), "AWS::ApiGateway::Authorizer") {
			continue // another stack may add the authorizer
		}
		keyRoutes := keyRequired(snap, a)
		if len(keyRoutes) == 0 {
			continue
		}
		hasLambda := false
		for _, au := range a.Authorizers {
			if lambdaAuth(au.Type) {
				hasLambda = true
			}
		}
		var bare []*apimodel.Route
		for _, r := range keyRoutes {
			if !lambdaAuth(r.Auth.Type) {
				bare = append(bare, r)
			}
		}
		if len(bare) == 0 {
			continue
		}
		loc := a.APIKeySourceLoc
		d := analyzer.Diagnostic{Path: loc.Path, Span: loc.Span}
		if !hasLambda {
			d.Message = msg.T(
				"%[1]s takes API keys from a Lambda authorizer (%[3]s AUTHORIZER) but has no Lambda authorizer: every call to its key-required methods (%[2]s) gets 403 Forbidden",
				"%[1]s は API キーを Lambda オーソライザーから受け取る設定（%[3]s AUTHORIZER）ですが、Lambda オーソライザーがありません。キー必須の %[2]s はすべての呼び出しが 403 Forbidden になります",
				a.Name, routeNames(keyRoutes), keySourceName(a))
			if f, ok := headerSourceFix(snap, a); ok {
				d.Fixes = []analyzer.Fix{f}
			}
		} else {
			d.Message = msg.T(
				"%[1]s takes API keys from a Lambda authorizer (%[3]s AUTHORIZER) but its key-required methods %[2]s use no Lambda authorizer: every call to them gets 403 Forbidden",
				"%[1]s は API キーを Lambda オーソライザーから受け取る設定（%[3]s AUTHORIZER）ですが、キー必須の %[2]s は Lambda オーソライザーを使っていません。これらへの呼び出しはすべて 403 Forbidden になります",
				a.Name, routeNames(bare), keySourceName(a))
			for _, r := range bare {
				if l := r.Auth.APIKeyLoc; !l.IsZero() {
					d.Related = append(d.Related, analyzer.Related{Path: l.Path, Span: l.Span,
						Message: msg.T("%s %s requires an API key", "%s %s は API キー必須", r.Method, r.Path)})
				}
			}
		}
		p.Report(d)
	}
	return nil
}

// headerSourceFix sets the API key source to HEADER.
func headerSourceFix(snap *link.Snapshot, a *apimodel.API) (analyzer.Fix, bool) {
	if tfFile(snap, a.APIKeySourceLoc.Path) {
		e, ok := tfSetValue(snap, a.APIKeySourceLoc, `"HEADER"`)
		if !ok {
			return analyzer.Fix{}, false
		}
		return analyzer.Fix{
			Title: msg.T("Read API keys from the x-api-key header (HEADER)", "API キーを x-api-key ヘッダーから読む (HEADER)"),
			Edits: []analyzer.Edit{e}, Safe: true, Preferred: true,
		}, true
	}
	doc, n := nodeAt(snap, a.APIKeySourceLoc)
	if n == nil || !yamlpos.LiteralScalar(n) {
		return analyzer.Fix{}, false
	}
	e, err := doc.SetScalar(n, "HEADER")
	if err != nil {
		return analyzer.Fix{}, false
	}
	return analyzer.Fix{
		Title: msg.T("Read API keys from the x-api-key header (HEADER)", "API キーを x-api-key ヘッダーから読む (HEADER)"),
		Edits: toEdits(a.APIKeySourceLoc.Path, e),
		Safe:  true, Preferred: true,
	}, true
}

// keySourceName is the name of the key source setting where a's is written.
func keySourceName(a *apimodel.API) string {
	return settingName(a.Origin, "ApiKeySourceType", "api_key_source", "apiKeySourceType")
}
