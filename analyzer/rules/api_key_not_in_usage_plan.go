package rules

import (
	"github.com/gw403/gw403-lsp/analyzer"
	"github.com/gw403/gw403-lsp/analyzer/msg"
	"github.com/gw403/gw403-lsp/schemas/template"
)

// APIKeyNotInUsagePlan is GW203.
var APIKeyNotInUsagePlan = &analyzer.Rule{
	Code: "GW203", Slug: "api-key-not-in-usage-plan",
	Title: msg.Text{
		EN: "API key is attached to no usage plan",
		JA: "API キーがどの使用量プランにも関連付けられていない",
	},
	Severity: analyzer.Warning, Scope: analyzer.TemplateScope,
	Fix: analyzer.FixNone, ErrorType: "ForbiddenException", Status: 403,
	Doc: analyzer.Doc{
		What: msg.Text{
			EN: "Finds `AWS::ApiGateway::ApiKey` resources that no `AWS::ApiGateway::UsagePlanKey` of the workspace attaches to a usage plan (and that nothing else in the template uses, such as a custom resource that could attach them).",
			JA: "ワークスペースのどの `AWS::ApiGateway::UsagePlanKey` も使用量プランに関連付けていない `AWS::ApiGateway::ApiKey` リソースを見つけます（カスタムリソースなど、キーを関連付けうるものがテンプレート内でそのキーを使っていない場合）。",
		},
		Why: msg.Text{
			EN: "API Gateway accepts a key only for the stages of the usage plans the key belongs to. A key in no plan is valid nowhere: requests that send it to a key-required method are refused. The key may still be added to a plan outside the workspace (console, CLI, another stack), hence a warning.",
			JA: "API Gateway がキーを受け付けるのは、そのキーが属する使用量プランのステージだけです。どのプランにも属さないキーはどこでも有効にならず、キー必須のメソッドにこのキーを送るリクエストは拒否されます。ワークスペースの外（コンソール、CLI、別スタック）でプランに追加される可能性もあるため、警告としています。",
		},
		Returns: msg.Text{
			EN: "`403` with `x-amzn-errortype: ForbiddenException` and `{\"message\":\"Forbidden\"}` (or `\"Invalid API Key identifier specified\"`) for requests that send this key.",
			JA: "このキーを送るリクエストに `403`、`x-amzn-errortype: ForbiddenException`、`{\"message\":\"Forbidden\"}`（または `\"Invalid API Key identifier specified\"`）が返ります。",
		},
		Example: msg.Text{
			EN: "```yaml\nPartnerKey:\n  Type: AWS::ApiGateway::ApiKey\n  Properties:\n    Enabled: true\nPartnerPlan:\n  Type: AWS::ApiGateway::UsagePlan\n  Properties:\n    ApiStages:\n      - ApiId: !Ref OrdersApi\n        Stage: prod\n# no AWS::ApiGateway::UsagePlanKey ties PartnerKey to PartnerPlan\n```",
			JA: "```yaml\nPartnerKey:\n  Type: AWS::ApiGateway::ApiKey\n  Properties:\n    Enabled: true\nPartnerPlan:\n  Type: AWS::ApiGateway::UsagePlan\n  Properties:\n    ApiStages:\n      - ApiId: !Ref OrdersApi\n        Stage: prod\n# PartnerKey と PartnerPlan を結ぶ AWS::ApiGateway::UsagePlanKey がない\n```",
		},
		Fix: msg.Text{
			EN: "Add an `AWS::ApiGateway::UsagePlanKey` with `KeyId: !Ref PartnerKey`, `KeyType: API_KEY` and the plan's `UsagePlanId`. There is no quick fix: which plan the key belongs to is a decision.\n\n```yaml\nPartnerPlanKey:\n  Type: AWS::ApiGateway::UsagePlanKey\n  Properties:\n    KeyId: !Ref PartnerKey\n    KeyType: API_KEY\n    UsagePlanId: !Ref PartnerPlan\n```",
			JA: "`KeyId: !Ref PartnerKey`、`KeyType: API_KEY`、プランの `UsagePlanId` を指定した `AWS::ApiGateway::UsagePlanKey` を追加します。キーをどのプランに入れるかは判断が必要なため、クイックフィックスはありません。\n\n```yaml\nPartnerPlanKey:\n  Type: AWS::ApiGateway::UsagePlanKey\n  Properties:\n    KeyId: !Ref PartnerKey\n    KeyType: API_KEY\n    UsagePlanId: !Ref PartnerPlan\n```",
		},
		References: []string{
			"https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-apigateway-usageplankey.html",
			"https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-api-usage-plans.html",
		},
	},
	Run: runAPIKeyNotInUsagePlan,
}

func init() { analyzer.Register(APIKeyNotInUsagePlan) }

func runAPIKeyNotInUsagePlan(p *analyzer.Pass) error {
	snap := p.Snap
	runAPIKeyNotInUsagePlanTerraform(p)
	for _, t := range snap.Templates() {
		var used map[string]bool // keysInUse(t), once a key needs it
		for _, r := range t.Resources {
			if r.Type != "AWS::ApiGateway::ApiKey" || !t.Created(r) {
				continue
			}
			if used == nil {
				used = keysInUse(t)
			}
			if used[r.LogicalID] {
				continue
			}
			// StageKeys is the legacy way to tie a key to stages; another
			// stack may attach an exported key.
			if r.Prop("StageKeys") != nil || anyMayName(snap, "KeyId", false, stackResource{File: t.Path(), ID: r.LogicalID}, "AWS::ApiGateway::UsagePlanKey") {
				continue
			}
			p.Report(analyzer.Diagnostic{
				Path: t.Path(), Span: r.KeySpan,
				Message: msg.T(
					"API key %s is attached to no usage plan (no AWS::ApiGateway::UsagePlanKey names it): requests that send this key get 403 Forbidden",
					"API キー %s はどの使用量プランにも関連付けられていません（これを指す AWS::ApiGateway::UsagePlanKey がありません）。このキーを送るリクエストは 403 Forbidden になります",
					r.LogicalID),
			})
		}
	}
	return nil
}

// keysInUse returns the logical ids of resources that another resource of
// t refers to: keys named by a UsagePlanKey, or passed to anything else
// (a custom resource, a function) that may attach them to a plan.
func keysInUse(t *template.Template) map[string]bool {
	used := map[string]bool{}
	for _, deps := range t.Dependencies() {
		for _, d := range deps {
			used[d] = true
		}
	}
	return used
}
