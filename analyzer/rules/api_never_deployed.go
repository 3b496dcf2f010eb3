package rules

import (
	"slices"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/gw403/gw403-lsp/analyzer"
	"github.com/gw403/gw403-lsp/analyzer/link"
	"github.com/gw403/gw403-lsp/analyzer/msg"
	"github.com/gw403/gw403-lsp/schemas/apimodel"
	"github.com/gw403/gw403-lsp/schemas/template"
	"github.com/gw403/gw403-lsp/schemas/yamlpos"
)

// APINeverDeployed is GW222.
var APINeverDeployed = &analyzer.Rule{
	Code: "GW222", Slug: "api-never-deployed",
	Title: msg.Text{
		EN: "REST API is never deployed to a stage",
		JA: "REST API がどのステージにもデプロイされていない",
	},
	Severity: analyzer.Warning, Scope: analyzer.TemplateScope,
	Fix: analyzer.FixSometimes, ErrorType: "ForbiddenException", Status: 403,
	Doc: analyzer.Doc{
		What: msg.Text{
			EN: "Finds CloudFormation `AWS::ApiGateway::RestApi` resources with methods (`AWS::ApiGateway::Method` resources or a `Body`) but no `AWS::ApiGateway::Deployment` and no `AWS::ApiGateway::Stage` for them. SAM APIs are always deployed and are not checked. In Terraform: an `aws_api_gateway_rest_api` with methods and no `aws_api_gateway_deployment` or `aws_api_gateway_stage`, whose id no output, module or data source reads (a pipeline may deploy it).",
			JA: "メソッド（`AWS::ApiGateway::Method` リソースまたは `Body`）があるのに、`AWS::ApiGateway::Deployment` も `AWS::ApiGateway::Stage` もない CloudFormation の `AWS::ApiGateway::RestApi` リソースを見つけます。SAM の API は常にデプロイされるため対象外です。Terraform では、メソッドがあるのに `aws_api_gateway_deployment` も `aws_api_gateway_stage` もなく、その ID を output・module・data source のどれも読まない（パイプラインがデプロイする可能性がない）`aws_api_gateway_rest_api` を見つけます。",
		},
		Why: msg.Text{
			EN: "Creating a RestApi and its methods does not publish anything: clients can only call a stage, and a stage exists only after a deployment. Without one, every URL of the API names a stage that does not exist. Deployments made outside CloudFormation (CLI, a pipeline step) would publish it, hence a warning.",
			JA: "RestApi とメソッドを作成しただけでは何も公開されません。クライアントが呼び出せるのはステージだけで、ステージはデプロイによって初めて作られます。デプロイがなければ、API のどの URL も存在しないステージを指します。CloudFormation の外（CLI やパイプライン）でデプロイしている場合は公開されるため、警告としています。",
		},
		Returns: msg.Text{
			EN: "`403` with `x-amzn-errortype: ForbiddenException` and `{\"message\":\"Forbidden\"}` (or `MissingAuthenticationTokenException`) on every URL.",
			JA: "すべての URL で `403`、`x-amzn-errortype: ForbiddenException`、`{\"message\":\"Forbidden\"}`（または `MissingAuthenticationTokenException`）が返ります。",
		},
		Example: msg.Text{
			EN: "```yaml\nOrdersApi:\n  Type: AWS::ApiGateway::RestApi\n  Properties:\n    Name: orders\nGetOrders:\n  Type: AWS::ApiGateway::Method\n  Properties:\n    RestApiId: !Ref OrdersApi\n    ...\n# no AWS::ApiGateway::Deployment, no AWS::ApiGateway::Stage\n```",
			JA: "```yaml\nOrdersApi:\n  Type: AWS::ApiGateway::RestApi\n  Properties:\n    Name: orders\nGetOrders:\n  Type: AWS::ApiGateway::Method\n  Properties:\n    RestApiId: !Ref OrdersApi\n    ...\n# AWS::ApiGateway::Deployment も AWS::ApiGateway::Stage もない\n```",
		},
		Fix: msg.Text{
			EN: "Add an `AWS::ApiGateway::Deployment` that `DependsOn` every method and an `AWS::ApiGateway::Stage` that uses it. The quick fix writes both (the stage name comes from a usage plan, mapping or WebACL that names one, else `prod`); in Terraform, an `aws_api_gateway_deployment` whose `triggers` hash the API's methods and an `aws_api_gateway_stage`. It is not applied by `check --fix`: publishing an API is a decision, and a deployment made by a pipeline would clash with the new stage.\n\n```yaml\nOrdersApiDeployment:\n  Type: AWS::ApiGateway::Deployment\n  DependsOn:\n    - GetOrders\n  Properties:\n    RestApiId: !Ref OrdersApi\nOrdersApiProdStage:\n  Type: AWS::ApiGateway::Stage\n  Properties:\n    RestApiId: !Ref OrdersApi\n    DeploymentId: !Ref OrdersApiDeployment\n    StageName: prod\n```",
			JA: "すべてのメソッドに `DependsOn` する `AWS::ApiGateway::Deployment` と、それを使う `AWS::ApiGateway::Stage` を追加します。クイックフィックスは両方を書きます（ステージ名は、使用量プラン・マッピング・WebACL が指定していればその名前、なければ `prod`。Terraform では、`triggers` で API のメソッドのハッシュを取る `aws_api_gateway_deployment` と `aws_api_gateway_stage`）。API の公開は判断が必要で、パイプラインでデプロイしている場合は新しいステージと衝突するため、`check --fix` では適用しません。\n\n```yaml\nOrdersApiDeployment:\n  Type: AWS::ApiGateway::Deployment\n  DependsOn:\n    - GetOrders\n  Properties:\n    RestApiId: !Ref OrdersApi\nOrdersApiProdStage:\n  Type: AWS::ApiGateway::Stage\n  Properties:\n    RestApiId: !Ref OrdersApi\n    DeploymentId: !Ref OrdersApiDeployment\n    StageName: prod\n```",
		},
		References: []string{
			"https://docs.aws.amazon.com/apigateway/latest/developerguide/how-to-deploy-api.html",
			"https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-apigateway-deployment.html",
			"https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-apigateway-stage.html",
		},
	},
	Run: runAPINeverDeployed,
}

func init() { analyzer.Register(APINeverDeployed) }

var deployTypes = []string{"AWS::ApiGateway::Deployment", "AWS::ApiGateway::Stage"}

func runAPINeverDeployed(p *analyzer.Pass) error {
	runAPINeverDeployedTerraform(p)
	snap := p.Snap
	for _, t := range snap.Templates() {
		deployed := map[string]bool{}
		for _, r := range t.Resources {
			if slices.Contains(deployTypes, r.Type) {
				deployed[t.RefTo(r.Prop("RestApiId"))] = true
			}
		}
		var g template.DepGraph
		for _, r := range t.Resources {
			if r.Type != "AWS::ApiGateway::RestApi" || !t.Created(r) || deployed[r.LogicalID] || r.Prop("CloneFrom") != nil {
				continue
			}
			a := modelAPI(snap.Model, t.Path(), r.LogicalID)
			methods := methodsOf(t, r.LogicalID)
			if a == nil || len(methods) == 0 && len(a.Routes) == 0 {
				continue // nothing to call yet
			}
			if g == nil {
				g = t.Dependencies()
			}
			if customUser(t, g, r.LogicalID) || anyMayName(snap, "RestApiId", false, apiTarget(a), deployTypes...) {
				continue // a custom resource or another stack may deploy it
			}
			d := analyzer.Diagnostic{
				Path: t.Path(), Span: r.KeySpan,
				Message: msg.T(
					"%s has methods but no AWS::ApiGateway::Deployment or AWS::ApiGateway::Stage: it is never deployed, so no stage exists and every URL gets 403 Forbidden",
					"%s にはメソッドがありますが、AWS::ApiGateway::Deployment も AWS::ApiGateway::Stage もありません。デプロイされないのでステージが存在せず、すべての URL が 403 Forbidden になります",
					r.LogicalID),
			}
			if f, ok := deployFix(snap, t, r, a, methods); ok {
				d.Fixes = []analyzer.Fix{f}
			}
			p.Report(d)
		}
	}
	return nil
}

// modelAPI returns the API of the template at path with that logical id.
func modelAPI(m *apimodel.Model, path, id string) *apimodel.API {
	for _, a := range m.APIs {
		if a.File == path && a.LogicalID == id {
			return a
		}
	}
	return nil
}

// customUser reports a custom resource that refers to the resource id.
func customUser(t *template.Template, g template.DepGraph, id string) bool {
	for from, deps := range g {
		r := t.Resource(from)
		if r == nil || !strings.HasPrefix(r.Type, "Custom::") && r.Type != "AWS::CloudFormation::CustomResource" {
			continue
		}
		for _, d := range deps {
			if d == id {
				return true
			}
		}
	}
	return false
}

// wantedStage returns a stage name that something names for the API (a
// usage plan, a mapping, a WebACL association), else "prod".
func wantedStage(m *apimodel.Model, a *apimodel.API) string {
	for _, up := range m.UsagePlans {
		for _, s := range up.Stages {
			if s.API == a && s.Stage.Known && s.Stage.S != "" {
				return s.Stage.S
			}
		}
	}
	for _, d := range m.Domains {
		for _, mp := range d.Mappings {
			if mp.API == a && mp.Stage != "" {
				return mp.Stage
			}
		}
	}
	for _, w := range m.WebACLs {
		for _, as := range w.Associations {
			if as.API == a && as.Stage != "" {
				return as.Stage
			}
		}
	}
	return "prod"
}

// deployFix adds a Deployment that depends on the methods and a Stage.
func deployFix(snap *link.Snapshot, t *template.Template, r *template.Resource, a *apimodel.API, methods []*template.Resource) (analyzer.Fix, bool) {
	res := yamlpos.Value(t.Doc.Root, "Resources")
	if res == nil || res.Kind != yaml.MappingNode {
		return analyzer.Fix{}, false
	}
	d := t.Doc
	stage := wantedStage(snap.Model, a)
	taken := map[string]bool{}
	depID := t.UniqueID(r.LogicalID+"Deployment", taken)
	name := alnum(stage)
	if name != "" {
		name = strings.ToUpper(name[:1]) + name[1:]
	}
	stageID := t.UniqueID(r.LogicalID+name+"Stage", taken)
	var deps []any
	for _, m := range methods {
		if !t.Conditional(m) {
			deps = append(deps, m.LogicalID)
		}
	}
	dep := yamlpos.Map{{Key: "Type", Value: "AWS::ApiGateway::Deployment"}}
	if len(deps) > 0 {
		dep = append(dep, yamlpos.KV{Key: "DependsOn", Value: deps})
	}
	dep = append(dep, yamlpos.KV{Key: "Properties", Value: yamlpos.Map{{Key: "RestApiId", Value: template.RefValue(d, r.LogicalID)}}})
	st := yamlpos.Map{
		{Key: "Type", Value: "AWS::ApiGateway::Stage"},
		{Key: "Properties", Value: yamlpos.Map{
			{Key: "RestApiId", Value: template.RefValue(d, r.LogicalID)},
			{Key: "DeploymentId", Value: template.RefValue(d, depID)},
			{Key: "StageName", Value: stage},
		}},
	}
	e1, err := d.InsertKey(res, depID, dep)
	if err != nil {
		return analyzer.Fix{}, false
	}
	e2, err := d.InsertKey(res, stageID, st)
	if err != nil || e2.Span != e1.Span {
		return analyzer.Fix{}, false
	}
	e1.NewText += e2.NewText
	return analyzer.Fix{
		Title: msg.T("Add a Deployment and a %q stage", "Deployment と %q ステージを追加", stage),
		Edits: toEdits(t.Path(), e1),
	}, true
}

// alnum keeps the letters and digits of s (logical ids allow no others).
func alnum(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r < 128 && (r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') {
			b.WriteRune(r)
		}
	}
	return b.String()
}
