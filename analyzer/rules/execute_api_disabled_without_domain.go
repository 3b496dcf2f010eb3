package rules

import (
	"github.com/gw403/gw403-lsp/analyzer"
	"github.com/gw403/gw403-lsp/analyzer/link"
	"github.com/gw403/gw403-lsp/analyzer/msg"
	"github.com/gw403/gw403-lsp/schemas/apimodel"
	"github.com/gw403/gw403-lsp/schemas/template"
	"github.com/gw403/gw403-lsp/schemas/yamlpos"
)

// ExecuteAPIDisabledWithoutDomain is GW231.
var ExecuteAPIDisabledWithoutDomain = &analyzer.Rule{
	Code: "GW231", Slug: "execute-api-disabled-without-domain",
	Title: msg.Text{
		EN: "Default endpoint disabled and no custom domain maps the API",
		JA: "デフォルトエンドポイントが無効なのにカスタムドメインがマッピングされていない",
	},
	Severity: analyzer.Warning, Scope: analyzer.TemplateScope,
	Fix: analyzer.FixNone, ErrorType: "ForbiddenException", Status: 403,
	Doc: analyzer.Doc{
		What: msg.Text{
			EN: "Finds REST and HTTP APIs with `DisableExecuteApiEndpoint: true` (or `disableExecuteApiEndpoint` in `x-amazon-apigateway-endpoint-configuration`) that no custom domain of the workspace maps: no `AWS::ApiGateway::BasePathMapping`, `AWS::ApiGatewayV2::ApiMapping`, routing rule or SAM `Domain` names them.",
			JA: "`DisableExecuteApiEndpoint: true`（または `x-amazon-apigateway-endpoint-configuration` の `disableExecuteApiEndpoint`）なのに、ワークスペースのどのカスタムドメインにもマッピングされていない REST API と HTTP API を見つけます。`AWS::ApiGateway::BasePathMapping`、`AWS::ApiGatewayV2::ApiMapping`、ルーティングルール、SAM の `Domain` のどれもその API を指していない場合です。",
		},
		Why: msg.Text{
			EN: "With the default `https://{api-id}.execute-api.{region}.amazonaws.com` endpoint disabled, a custom domain name is the only way in. Without a mapping the API cannot be reached at all. A domain configured in another stack or by hand would make it reachable, hence a warning.",
			JA: "デフォルトの `https://{api-id}.execute-api.{region}.amazonaws.com` エンドポイントを無効にすると、カスタムドメイン名が唯一の入口になります。マッピングがなければ API にはまったく到達できません。別スタックや手作業でドメインを設定している場合は到達できるため、警告としています。",
		},
		Returns: msg.Text{
			EN: "`403` with `x-amzn-errortype: ForbiddenException` and `{\"message\":\"Forbidden\"}` on the default endpoint.",
			JA: "デフォルトエンドポイントで `403`、`x-amzn-errortype: ForbiddenException`、`{\"message\":\"Forbidden\"}` が返ります。",
		},
		Example: msg.Text{
			EN: "```yaml\nOrdersApi:\n  Type: AWS::Serverless::Api\n  Properties:\n    StageName: prod\n    DisableExecuteApiEndpoint: true   # and no Domain, no BasePathMapping\n```",
			JA: "```yaml\nOrdersApi:\n  Type: AWS::Serverless::Api\n  Properties:\n    StageName: prod\n    DisableExecuteApiEndpoint: true   # Domain も BasePathMapping もない\n```",
		},
		Fix: msg.Text{
			EN: "Map the API to a custom domain (SAM `Domain`, `AWS::ApiGateway::BasePathMapping`, `AWS::ApiGatewayV2::ApiMapping`), or keep the default endpoint enabled. There is no quick fix: which one is meant is a decision.",
			JA: "API をカスタムドメインにマッピングする（SAM の `Domain`、`AWS::ApiGateway::BasePathMapping`、`AWS::ApiGatewayV2::ApiMapping`）か、デフォルトエンドポイントを有効のままにします。どちらが意図かは判断が必要なため、クイックフィックスはありません。",
		},
		References: []string{
			"https://docs.aws.amazon.com/apigateway/latest/developerguide/rest-api-disable-default-endpoint.html",
			"https://docs.aws.amazon.com/apigateway/latest/developerguide/how-to-custom-domains.html",
		},
	},
	Run: runExecuteAPIDisabledWithoutDomain,
}

func init() { analyzer.Register(ExecuteAPIDisabledWithoutDomain) }

// disableName is the name of the setting that disables a's default
// endpoint where it is written.
func disableName(a *apimodel.API) string {
	return settingName(a.Origin, "DisableExecuteApiEndpoint", "disable_execute_api_endpoint", "disableDefaultEndpoint")
}

func runExecuteAPIDisabledWithoutDomain(p *analyzer.Pass) error {
	snap := p.Snap
	for _, a := range snap.Model.APIs {
		if !a.DisableExecute || !literalAt(snap, a.DisableLoc) || mapped(snap, a) || mayBeMapped(snap, a) {
			continue
		}
		p.Report(analyzer.Diagnostic{
			Path: a.DisableLoc.Path, Span: a.DisableLoc.Span,
			Message: msg.T(
				"%s disables its default execute-api endpoint (%s) and no custom domain maps it: the API cannot be reached, requests get 403 Forbidden",
				"%s はデフォルトの execute-api エンドポイントを無効にしています（%s）が、どのカスタムドメインにもマッピングされていません。API に到達できず、リクエストは 403 Forbidden になります",
				a.Name, disableName(a)),
		})
	}
	return nil
}

// mayBeMapped reports a base path mapping, API mapping or routing rule of
// another stack that may name a through an import or a parameter.
func mayBeMapped(snap *link.Snapshot, a *apimodel.API) bool {
	target := apiTarget(a)
	if anyMayName(snap, "RestApiId", false, target, "AWS::ApiGateway::BasePathMapping", "AWS::ApiGateway::BasePathMappingV2") ||
		anyMayName(snap, "ApiId", false, target, "AWS::ApiGatewayV2::ApiMapping") {
		return true
	}
	for _, t := range snap.Templates() {
		for _, r := range t.Resources {
			if r.Type != "AWS::ApiGatewayV2::RoutingRule" || !t.Created(r) {
				continue
			}
			for _, act := range yamlpos.Items(r.Prop("Actions")) {
				if mayName(snap, t, yamlpos.Value(yamlpos.Value(act, "InvokeApi"), "ApiId"), target, false) {
					return true
				}
			}
		}
	}
	return false
}

// forRoutingRuleTargets calls fn with the logical id of the API of every
// InvokeApi action of the workspace's routing rules ("" when not a
// reference to a resource of the template).
func forRoutingRuleTargets(snap *link.Snapshot, fn func(t *template.Template, id string)) {
	for _, t := range snap.Templates() {
		for _, r := range t.Resources {
			if r.Type != "AWS::ApiGatewayV2::RoutingRule" || !t.Created(r) {
				continue
			}
			for _, act := range yamlpos.Items(r.Prop("Actions")) {
				if inv := yamlpos.Value(act, "InvokeApi"); inv != nil {
					fn(t, t.RefTo(yamlpos.Value(inv, "ApiId")))
				}
			}
		}
	}
}

// mapped reports whether a custom domain maps a (a mapping or a routing
// rule).
func mapped(snap *link.Snapshot, a *apimodel.API) bool {
	for _, d := range snap.Model.Domains {
		for _, m := range d.Mappings {
			if m.API == a {
				return true
			}
		}
	}
	found := false
	forRoutingRuleTargets(snap, func(t *template.Template, id string) {
		if t.Path() == a.File && id == a.LogicalID {
			found = true
		}
	})
	return found
}
