package rules

import (
	"github.com/gw403/gw403-lsp/analyzer"
	"github.com/gw403/gw403-lsp/analyzer/link"
	"github.com/gw403/gw403-lsp/analyzer/msg"
	"github.com/gw403/gw403-lsp/analyzer/suggest"
	"github.com/gw403/gw403-lsp/schemas/apimodel"
	"github.com/gw403/gw403-lsp/schemas/terraform"
	"github.com/gw403/gw403-lsp/schemas/yamlpos"
)

// UsagePlanStageMismatch is GW202.
var UsagePlanStageMismatch = &analyzer.Rule{
	Code: "GW202", Slug: "usage-plan-stage-mismatch",
	Title: msg.Text{
		EN: "Usage plan names a stage the API does not have",
		JA: "使用量プランが API に存在しないステージを指定している",
	},
	Severity: analyzer.Error, Scope: analyzer.TemplateScope,
	Fix: analyzer.FixSometimes, ErrorType: "ForbiddenException", Status: 403,
	Doc: analyzer.Doc{
		What: msg.Text{
			EN: "Checks every `ApiStages` entry of an `AWS::ApiGateway::UsagePlan` against the stages the API really deploys (SAM `StageName` and its extra `Stage` stage, `AWS::ApiGateway::Stage`, `AWS::ApiGateway::Deployment.StageName`). Stage names are case-sensitive: `prod` is not SAM's `Prod`.",
			JA: "`AWS::ApiGateway::UsagePlan` の `ApiStages` の各エントリを、API が実際にデプロイするステージ（SAM の `StageName` と追加の `Stage` ステージ、`AWS::ApiGateway::Stage`、`AWS::ApiGateway::Deployment.StageName`）と照合します。ステージ名は大文字と小文字を区別します。`prod` は SAM の `Prod` とは別物です。",
		},
		Why: msg.Text{
			EN: "A usage plan covers exactly the API stages it names. Keys of a plan that names a stage the API does not have are valid for no stage at all, so calls to key-required methods are refused. CloudFormation may even fail to create the plan (\"Invalid stage identifier specified\").",
			JA: "使用量プランは指定された API ステージだけを対象にします。API にないステージを指定したプランのキーはどのステージでも有効にならず、キー必須のメソッドへの呼び出しは拒否されます。CloudFormation がプランの作成に失敗することもあります（\"Invalid stage identifier specified\"）。",
		},
		Returns: msg.Text{
			EN: "`403` with `x-amzn-errortype: ForbiddenException` and `{\"message\":\"Forbidden\"}` for calls with the plan's keys.",
			JA: "プランのキーを使った呼び出しに `403`、`x-amzn-errortype: ForbiddenException`、`{\"message\":\"Forbidden\"}` が返ります。",
		},
		Example: msg.Text{
			EN: "```yaml\nOrdersApi:\n  Type: AWS::Serverless::Api\n  Properties:\n    StageName: Prod\nOrdersPlan:\n  Type: AWS::ApiGateway::UsagePlan\n  Properties:\n    ApiStages:\n      - ApiId: !Ref OrdersApi\n        Stage: prod          # the stage is \"Prod\"\n```",
			JA: "```yaml\nOrdersApi:\n  Type: AWS::Serverless::Api\n  Properties:\n    StageName: Prod\nOrdersPlan:\n  Type: AWS::ApiGateway::UsagePlan\n  Properties:\n    ApiStages:\n      - ApiId: !Ref OrdersApi\n        Stage: prod          # ステージは \"Prod\"\n```",
		},
		Fix: msg.Text{
			EN: "Name the stage exactly as the API deploys it. Better, reference it (`Stage: !Ref OrdersApi.Stage` in SAM, `!Ref ProdStage` for an `AWS::ApiGateway::Stage`): the reference also makes CloudFormation create the stage first. The quick fix replaces a literal stage name with the API's stage that differs only in case (safe), or with the closest one (offered, not applied by `check --fix`).",
			JA: "API がデプロイするとおりのステージ名を書きます。参照にするとさらに確実です（SAM なら `Stage: !Ref OrdersApi.Stage`、`AWS::ApiGateway::Stage` なら `!Ref ProdStage`）。参照にすれば CloudFormation がステージを先に作成します。クイックフィックスは、リテラルのステージ名を大文字小文字だけが違う API のステージに置き換えます（安全）。それ以外は最も近いステージへの置き換えを提案します（`check --fix` では適用しません）。",
		},
		References: []string{
			"https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-apigateway-usageplan-apistage.html",
			"https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-api-usage-plans.html",
		},
	},
	Run: runUsagePlanStageMismatch,
}

func init() { analyzer.Register(UsagePlanStageMismatch) }

func runUsagePlanStageMismatch(p *analyzer.Pass) error {
	snap := p.Snap
	for _, up := range snap.Model.UsagePlans {
		if up.Generated {
			continue
		}
		for _, ps := range up.Stages {
			a := ps.API
			if a == nil || a.Kind != apimodel.REST || !a.StagesKnown || !ps.Stage.Known || stageFromParameter(a) {
				continue
			}
			// A reference (to a stage, or to a parameter a deployment may
			// override) is not compared: only a literal name is wrong for sure.
			if !literalAt(snap, ps.Stage.Loc) {
				continue
			}
			if st := a.StageNamed(ps.Stage.S); st != nil && st.Deployed {
				continue
			}
			if anyMayName(snap, "RestApiId", false, apiTarget(a), "AWS::ApiGateway::Stage", "AWS::ApiGateway::Deployment") {
				continue // another stack may deploy the stage
			}
			loc := ps.Stage.Loc
			if loc.IsZero() {
				loc = ps.Loc
			}
			d := analyzer.Diagnostic{
				Path: loc.Path, Span: loc.Span,
				Message: msg.T(
					"Usage plan %[1]s names stage %[2]q of %[3]s, which has no such stage (stages: %[4]s; names are case-sensitive): calls with the plan's keys get 403 Forbidden",
					"使用量プラン %[1]s が %[3]s にないステージ %[2]q を指定しています（ステージ: %[4]s。名前は大文字と小文字を区別します）。このプランのキーでの呼び出しは 403 Forbidden になります",
					up.LogicalID, ps.Stage.S, a.Name, deployedStageNames(a)),
			}
			for _, st := range a.Stages {
				if st.Deployed && !st.Loc.IsZero() {
					d.Related = append(d.Related, analyzer.Related{Path: st.Loc.Path, Span: st.Loc.Span,
						Message: msg.T("stage %[1]q of %[2]s", "%[2]s のステージ %[1]q", st.Name, a.Name)})
				}
			}
			if f, ok := stageFix(snap, ps, a); ok {
				d.Fixes = []analyzer.Fix{f}
			}
			p.Report(d)
		}
	}
	return nil
}

// stageFromParameter reports an API whose stage names come from template
// parameters: a deployment may give them other values.
func stageFromParameter(a *apimodel.API) bool {
	for _, s := range a.Stages {
		if len(s.Params) > 0 {
			return true
		}
	}
	return false
}

// stageFix replaces a literal stage name by the API's stage that differs
// only in case (safe) or by the closest one (not safe).
func stageFix(snap *link.Snapshot, ps *apimodel.UsagePlanStage, a *apimodel.API) (analyzer.Fix, bool) {
	if tfFile(snap, ps.Stage.Loc.Path) {
		best, safe := closestStage(ps.Stage.S, a)
		e, ok := tfSetValue(snap, ps.Stage.Loc, terraform.Quote(best))
		if best == "" || !ok {
			return analyzer.Fix{}, false
		}
		return analyzer.Fix{
			Title: msg.T("Replace %q with %q", "%q を %q に置き換え", ps.Stage.S, best),
			Edits: []analyzer.Edit{e}, Safe: safe, Preferred: true,
		}, true
	}
	doc, n := nodeAt(snap, ps.Stage.Loc)
	if n == nil || !yamlpos.LiteralScalar(n) {
		return analyzer.Fix{}, false
	}
	best, safe := closestStage(ps.Stage.S, a)
	if best == "" {
		return analyzer.Fix{}, false
	}
	e, err := doc.SetScalar(n, best)
	if err != nil {
		return analyzer.Fix{}, false
	}
	return analyzer.Fix{
		Title: msg.T("Replace %q with %q", "%q を %q に置き換え", ps.Stage.S, best),
		Edits: toEdits(ps.Stage.Loc.Path, e),
		Safe:  safe, Preferred: true,
	}, true
}

// closestStage returns the deployed stage of a that name was meant to be
// (suggest.Closest), when one is nearer than the others; it is safe when
// the two differ only in case.
func closestStage(name string, a *apimodel.API) (string, bool) {
	var names []string
	for _, s := range a.Stages {
		if s.Deployed && !s.IsDefault() {
			names = append(names, s.Name)
		}
	}
	m := suggest.Closest(name, names)
	if len(m) == 0 || len(m) > 1 && m[1].Dist == m[0].Dist {
		return "", false
	}
	return m[0].Name, m[0].Dist == 0
}
