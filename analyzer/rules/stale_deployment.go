package rules

import (
	"strings"

	"github.com/gw403/gw403-lsp/analyzer"
	"github.com/gw403/gw403-lsp/analyzer/msg"
	"github.com/gw403/gw403-lsp/schemas/template"
	"github.com/gw403/gw403-lsp/schemas/yamlpos"
)

// StaleDeployment is GW221.
var StaleDeployment = &analyzer.Rule{
	Code: "GW221", Slug: "stale-deployment",
	Title: msg.Text{
		EN: "Deployment does not depend on every method of its API",
		JA: "デプロイが API のすべてのメソッドに依存していない",
	},
	Severity: analyzer.Warning, Scope: analyzer.TemplateScope,
	Fix: analyzer.FixSometimes, ErrorType: "MissingAuthenticationTokenException", Status: 403,
	Doc: analyzer.Doc{
		What: msg.Text{
			EN: "Finds `AWS::ApiGateway::Deployment` resources that do not depend, directly or through other resources (`DependsOn`, `Ref`, `GetAtt`, `Sub`), on every `AWS::ApiGateway::Method` of their RestApi. In Terraform, finds an `aws_api_gateway_deployment` without `triggers` (or another attribute that changes with the API, such as a `description` computed from it) that does not depend, through `depends_on` or references, on every `aws_api_gateway_method` of its `aws_api_gateway_rest_api`, or whose API defines its methods in a `body` (Terraform updates the body in place and keeps the old deployment).",
			JA: "RestApi のすべての `AWS::ApiGateway::Method` に、直接または他のリソースを経由して（`DependsOn`、`Ref`、`GetAtt`、`Sub`）依存していない `AWS::ApiGateway::Deployment` リソースを見つけます。Terraform では、`triggers`（または API から計算した `description` など、API とともに変わる属性）がなく、`depends_on` や参照を通じて `aws_api_gateway_rest_api` のすべての `aws_api_gateway_method` に依存していない `aws_api_gateway_deployment`、またはメソッドを `body` で定義する API の `aws_api_gateway_deployment`（Terraform は body をその場で更新し、古いデプロイを残します）を見つけます。",
		},
		Why: msg.Text{
			EN: "A deployment is a snapshot of the API at the time CloudFormation creates it. Nothing orders it after methods it does not depend on, so it may be created before them (\"The REST API doesn't contain any methods\") or without them: those paths are then missing from the stage. Terraform, in addition, never replaces a deployment whose arguments did not change: without `triggers`, methods added later are not deployed.",
			JA: "デプロイは CloudFormation が作成した時点の API のスナップショットです。依存していないメソッドより後に作られる保証はないため、メソッドより先に作られたり（\"The REST API doesn't contain any methods\"）、メソッドを含まずに作られたりします。その場合、そのパスはステージに存在しません。さらに Terraform は引数の変わらないデプロイを作り直さないため、`triggers` がなければ後から追加したメソッドはデプロイされません。",
		},
		Returns: msg.Text{
			EN: "`403` with `x-amzn-errortype: MissingAuthenticationTokenException` and `{\"message\":\"Missing Authentication Token\"}` on the paths that were not deployed.",
			JA: "デプロイされなかったパスで `403`、`x-amzn-errortype: MissingAuthenticationTokenException`、`{\"message\":\"Missing Authentication Token\"}` が返ります。",
		},
		Example: msg.Text{
			EN: "```yaml\nDeployment:\n  Type: AWS::ApiGateway::Deployment\n  DependsOn: GetOrders        # PostOrder is not listed\n  Properties:\n    RestApiId: !Ref OrdersApi\n```",
			JA: "```yaml\nDeployment:\n  Type: AWS::ApiGateway::Deployment\n  DependsOn: GetOrders        # PostOrder がない\n  Properties:\n    RestApiId: !Ref OrdersApi\n```",
		},
		Fix: msg.Text{
			EN: "List every method in the deployment's `DependsOn`. The quick fix adds the missing ones (turning a single `DependsOn` into a list); it is safe, it only orders creation. On a stack that already exists, CloudFormation does not redeploy an unchanged deployment: also give it a new logical id (or change its `Description`) so that the new methods reach the stage.\n\n```yaml\nDeployment:\n  Type: AWS::ApiGateway::Deployment\n  DependsOn:\n    - GetOrders\n    - PostOrder\n```\n\nIn Terraform, the quick fix adds `triggers` that hash the API's resources, methods and integrations (or its `body`), and `lifecycle { create_before_destroy = true }` so that the stage moves to the new deployment before the old one is deleted. It is applied by `check --fix` unless the deployment creates its stage itself (`stage_name`), where a replacement would conflict with the stage.\n\n```hcl\nresource \"aws_api_gateway_deployment\" \"orders\" {\n  rest_api_id = aws_api_gateway_rest_api.orders.id\n\n  triggers = {\n    redeployment = sha1(jsonencode([\n      aws_api_gateway_method.get_orders.id,\n      aws_api_gateway_integration.get_orders.id,\n    ]))\n  }\n\n  lifecycle {\n    create_before_destroy = true\n  }\n}\n```",
			JA: "Terraform では、クイックフィックスが API のリソース・メソッド・統合（または `body`）のハッシュを取る `triggers` と、古いデプロイを削除する前にステージを新しいデプロイへ移す `lifecycle { create_before_destroy = true }` を追加します（デプロイ自身が `stage_name` でステージを作る場合は置き換えがステージと衝突するため、`check --fix` では適用しません）。\n\nCloudFormation ではデプロイの `DependsOn` にすべてのメソッドを並べます。クイックフィックスは足りないものを追加します（単一の `DependsOn` はリストにします）。作成順を決めるだけなので安全です。既存のスタックでは、CloudFormation は変更のないデプロイを作り直さないため、新しいメソッドをステージに反映するには論理 ID を変える（または `Description` を変える）必要もあります。\n\n```yaml\nDeployment:\n  Type: AWS::ApiGateway::Deployment\n  DependsOn:\n    - GetOrders\n    - PostOrder\n```",
		},
		References: []string{
			"https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-apigateway-deployment.html",
			"https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-attribute-dependson.html",
			"https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/api_gateway_deployment",
		},
	},
	Run: runStaleDeployment,
}

func init() { analyzer.Register(StaleDeployment) }

func runStaleDeployment(p *analyzer.Pass) error {
	runStaleDeploymentTerraform(p)
	for _, t := range p.Snap.Templates() {
		var g template.DepGraph
		for _, r := range t.Resources {
			if r.Type != "AWS::ApiGateway::Deployment" || !t.Created(r) {
				continue
			}
			apiID := t.RefTo(r.Prop("RestApiId"))
			if api := t.Resource(apiID); api == nil || api.Type != "AWS::ApiGateway::RestApi" {
				continue
			}
			if g == nil {
				g = t.Dependencies()
			}
			reach := g.Reaches(r.LogicalID)
			var missing []string
			for _, m := range methodsOf(t, apiID) {
				// A conditional method cannot be a DependsOn target, and
				// one that depends on the deployment would make a cycle.
				if reach[m.LogicalID] || t.Conditional(m) || g.Reaches(m.LogicalID)[r.LogicalID] {
					continue
				}
				missing = append(missing, m.LogicalID)
			}
			if len(missing) == 0 {
				continue
			}
			sp := r.KeySpan
			if r.DependsOnNode != nil {
				if k, _ := yamlpos.Get(r.Node, "DependsOn"); k != nil {
					sp = t.Doc.Span(k)
				}
			}
			d := analyzer.Diagnostic{
				Path: t.Path(), Span: sp,
				Message: msg.T(
					"Deployment %[1]s does not depend on %[2]s of %[3]s: CloudFormation may create it before them, and their paths then answer 403 Missing Authentication Token",
					"デプロイ %[1]s は %[3]s の %[2]s に依存していません。CloudFormation がそれらより先にデプロイを作成すると、そのパスは 403 Missing Authentication Token になります",
					r.LogicalID, strings.Join(missing, ", "), apiID),
				Related: methodLocs(t, missing),
			}
			if e, err := t.Doc.AppendItems(r.Node, "DependsOn", missing); err == nil {
				d.Fixes = []analyzer.Fix{{
					Title: msg.T("Add %s to DependsOn", "DependsOn に %s を追加", strings.Join(missing, ", ")),
					Edits: toEdits(t.Path(), e),
					Safe:  true, Preferred: true,
				}}
			}
			p.Report(d)
		}
	}
	return nil
}

// methodLocs points at the logical ids of the methods.
func methodLocs(t *template.Template, ids []string) []analyzer.Related {
	var out []analyzer.Related
	for _, id := range ids {
		if m := t.Resource(id); m != nil {
			out = append(out, analyzer.Related{Path: t.Path(), Span: m.KeySpan, Message: msg.T("method %s", "メソッド %s", id)})
		}
	}
	return out
}
