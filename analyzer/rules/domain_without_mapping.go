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

// DomainWithoutMapping is GW232.
var DomainWithoutMapping = &analyzer.Rule{
	Code: "GW232", Slug: "domain-without-mapping",
	Title: msg.Text{
		EN: "Custom domain without a base path or API mapping",
		JA: "ベースパスマッピング（API マッピング）のないカスタムドメイン名",
	},
	Severity: analyzer.Warning, Scope: analyzer.TemplateScope,
	Fix: analyzer.FixSometimes, ErrorType: "ForbiddenException", Status: 403,
	Doc: analyzer.Doc{
		What: msg.Text{
			EN: "Finds custom domain names (`AWS::ApiGateway::DomainName`, `AWS::ApiGateway::DomainNameV2`, `AWS::ApiGatewayV2::DomainName`) that no `AWS::ApiGateway::BasePathMapping`, `AWS::ApiGateway::BasePathMappingV2`, `AWS::ApiGatewayV2::ApiMapping` or routing rule of the workspace maps to an API. A SAM `Domain` always creates its mapping and is not reported.",
			JA: "ワークスペースのどの `AWS::ApiGateway::BasePathMapping`、`AWS::ApiGateway::BasePathMappingV2`、`AWS::ApiGatewayV2::ApiMapping`、ルーティングルールも API にマッピングしていないカスタムドメイン名（`AWS::ApiGateway::DomainName`、`AWS::ApiGateway::DomainNameV2`、`AWS::ApiGatewayV2::DomainName`）を見つけます。SAM の `Domain` は常にマッピングを作るので対象外です。",
		},
		Why: msg.Text{
			EN: "A custom domain only routes requests through its base path mappings. Without any, every request to the domain matches no API. A mapping created in another stack or by hand would serve it, hence a warning.",
			JA: "カスタムドメインはベースパスマッピングを通してだけリクエストをルーティングします。マッピングがなければ、ドメインへのリクエストはどの API にも一致しません。別スタックや手作業でマッピングを作っている場合は動くため、警告としています。",
		},
		Returns: msg.Text{
			EN: "`403` with `x-amzn-errortype: ForbiddenException` and `{\"message\":\"Forbidden\"}` for every request to the domain.",
			JA: "ドメインへのすべてのリクエストに `403`、`x-amzn-errortype: ForbiddenException`、`{\"message\":\"Forbidden\"}` が返ります。",
		},
		Example: msg.Text{
			EN: "```yaml\nApiDomain:\n  Type: AWS::ApiGateway::DomainName\n  Properties:\n    DomainName: api.example.com\n    RegionalCertificateArn: !Ref Certificate\n    EndpointConfiguration:\n      Types: [REGIONAL]\n# no AWS::ApiGateway::BasePathMapping for ApiDomain\n```",
			JA: "```yaml\nApiDomain:\n  Type: AWS::ApiGateway::DomainName\n  Properties:\n    DomainName: api.example.com\n    RegionalCertificateArn: !Ref Certificate\n    EndpointConfiguration:\n      Types: [REGIONAL]\n# ApiDomain の AWS::ApiGateway::BasePathMapping がない\n```",
		},
		Fix: msg.Text{
			EN: "Add an `AWS::ApiGateway::BasePathMapping` (REST) or `AWS::ApiGatewayV2::ApiMapping` (HTTP) from the domain to the API and stage. When the template defines exactly one API of the domain's kind with one stage, the quick fix writes that mapping, referencing the stage so that CloudFormation creates it first. It is not applied by `check --fix`: exposing an API under a domain is a decision, and a mapping made elsewhere would clash. In Terraform, it writes an `aws_api_gateway_base_path_mapping` (or `aws_apigatewayv2_api_mapping`) after the domain, for the only API of the module.\n\n```yaml\nApiDomainMapping:\n  Type: AWS::ApiGateway::BasePathMapping\n  Properties:\n    DomainName: !Ref ApiDomain\n    RestApiId: !Ref OrdersApi\n    Stage: !Ref ProdStage\n```",
			JA: "ドメインから API とステージへの `AWS::ApiGateway::BasePathMapping`（REST）または `AWS::ApiGatewayV2::ApiMapping`（HTTP）を追加します。テンプレートにドメインと同じ種類の API が一つだけあり、ステージも一つなら、クイックフィックスがそのマッピングを書きます。ステージは参照で指定するので CloudFormation が先に作成します。API をドメインで公開するのは判断が必要で、別の場所で作ったマッピングと衝突しうるため、`check --fix` では適用しません。Terraform では、モジュール内の唯一の API について、ドメインの後ろに `aws_api_gateway_base_path_mapping`（または `aws_apigatewayv2_api_mapping`）を書きます。\n\n```yaml\nApiDomainMapping:\n  Type: AWS::ApiGateway::BasePathMapping\n  Properties:\n    DomainName: !Ref ApiDomain\n    RestApiId: !Ref OrdersApi\n    Stage: !Ref ProdStage\n```",
		},
		References: []string{
			"https://docs.aws.amazon.com/apigateway/latest/developerguide/rest-api-mappings.html",
			"https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-apigateway-basepathmapping.html",
			"https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-apigatewayv2-apimapping.html",
		},
	},
	Run: runDomainWithoutMapping,
}

func init() { analyzer.Register(DomainWithoutMapping) }

func runDomainWithoutMapping(p *analyzer.Pass) error {
	snap := p.Snap
	for _, d := range snap.Model.Domains {
		if d.External || d.LogicalID == "" || d.File == "" || len(d.Mappings) > 0 || d.RoutingRules || sameNameMapped(snap.Model, d) ||
			domainMayBeMapped(snap, d) {
			continue
		}
		if tfFile(snap, d.File) {
			runDomainWithoutMappingTerraform(p, d)
			continue
		}
		t := snap.Template(d.File)
		r := resourceOf(snap, d.File, d.LogicalID)
		if t == nil || r == nil {
			continue
		}
		name := d.Name.S
		if !d.Name.Known {
			name = d.LogicalID
		}
		diag := analyzer.Diagnostic{
			Path: d.File, Span: r.KeySpan,
			Message: msg.T(
				"Custom domain %[1]s (%[2]s) has no base path mapping: every request to it gets 403 Forbidden",
				"カスタムドメイン名 %[1]s（%[2]s）にベースパスマッピングがありません。このドメインへのリクエストはすべて 403 Forbidden になります",
				name, d.LogicalID),
		}
		if f, ok := mappingFix(snap, t, r, d); ok {
			diag.Fixes = []analyzer.Fix{f}
		}
		p.Report(diag)
	}
	return nil
}

// domainMayBeMapped reports a mapping or routing rule of another stack
// that may name d through an import or a parameter.
func domainMayBeMapped(snap *link.Snapshot, d *apimodel.Domain) bool {
	target := stackResource{File: d.File, ID: d.LogicalID}
	return anyMayName(snap, "DomainName", true, target, "AWS::ApiGateway::BasePathMapping", "AWS::ApiGatewayV2::ApiMapping") ||
		anyMayName(snap, "DomainNameArn", false, target, "AWS::ApiGateway::BasePathMappingV2", "AWS::ApiGatewayV2::RoutingRule")
}

// sameNameMapped reports another domain of the model with d's name that
// has mappings (an AWS::ApiGatewayV2::ApiMapping may map a REST domain by
// name).
func sameNameMapped(m *apimodel.Model, d *apimodel.Domain) bool {
	if !d.Name.Known {
		return false
	}
	for _, o := range m.Domains {
		if o != d && o.Name.Known && o.Name.S == d.Name.S && len(o.Mappings) > 0 {
			return true
		}
	}
	return false
}

// soleDeployedStage returns the API's only deployed stage a mapping fix may
// name, nil when it has none or more than one. SAM's implicit "Stage"
// stage of a REST API does not count.
func soleDeployedStage(api *apimodel.API) *apimodel.Stage {
	var stage *apimodel.Stage
	for _, s := range api.Stages {
		if !s.Deployed || s.Implicit && s.Name == "Stage" && api.Kind == apimodel.REST {
			continue
		}
		if stage != nil {
			return nil
		}
		stage = s
	}
	return stage
}

// mappingFix maps the template's only API of the domain's kind, with its
// only stage, to the domain.
func mappingFix(snap *link.Snapshot, t *template.Template, dr *template.Resource, d *apimodel.Domain) (analyzer.Fix, bool) {
	var kind apimodel.Kind
	var typ, apiKey string
	switch dr.Type {
	case "AWS::ApiGateway::DomainName":
		kind, typ, apiKey = apimodel.REST, "AWS::ApiGateway::BasePathMapping", "RestApiId"
	case "AWS::ApiGatewayV2::DomainName":
		kind, typ, apiKey = apimodel.HTTP, "AWS::ApiGatewayV2::ApiMapping", "ApiId"
	default:
		return analyzer.Fix{}, false
	}
	var api *apimodel.API
	for _, a := range snap.Model.APIs {
		if a.File != t.Path() || a.Kind != kind || a.LogicalID == "" {
			continue
		}
		if api != nil {
			return analyzer.Fix{}, false // more than one: a decision
		}
		api = a
	}
	if api == nil || api.Origin == apimodel.SAMImplicit || !api.StagesKnown {
		return analyzer.Fix{}, false
	}
	stage := soleDeployedStage(api)
	if stage == nil {
		return analyzer.Fix{}, false
	}
	doc := t.Doc
	var stageValue any
	var dependsOn string
	switch src := t.ResourceAround(stage.Loc.Span); {
	case src == nil:
		return analyzer.Fix{}, false
	case src.Type == "AWS::ApiGateway::Stage" || src.Type == "AWS::ApiGatewayV2::Stage":
		stageValue = template.RefValue(doc, src.LogicalID)
	case src.Type == "AWS::Serverless::Api" || src.Type == "AWS::Serverless::HttpApi":
		stageValue = template.RefValue(doc, src.LogicalID+".Stage")
	case src.Type == "AWS::ApiGateway::Deployment":
		stageValue, dependsOn = stage.Name, src.LogicalID
	case src.Type == "AWS::ApiGatewayV2::Api" && stage.Name == "$default":
		stageValue = stage.Name
	default:
		return analyzer.Fix{}, false
	}
	res := yamlpos.Value(doc.Root, "Resources")
	if res == nil || res.Kind != yaml.MappingNode {
		return analyzer.Fix{}, false
	}
	id := t.UniqueID(dr.LogicalID+"Mapping", map[string]bool{})
	m := yamlpos.Map{{Key: "Type", Value: typ}}
	if dependsOn != "" {
		m = append(m, yamlpos.KV{Key: "DependsOn", Value: dependsOn})
	}
	m = append(m, yamlpos.KV{Key: "Properties", Value: yamlpos.Map{
		{Key: "DomainName", Value: template.RefValue(doc, dr.LogicalID)},
		{Key: apiKey, Value: template.RefValue(doc, api.LogicalID)},
		{Key: "Stage", Value: stageValue},
	}})
	e, err := doc.InsertKey(res, id, m)
	if err != nil {
		return analyzer.Fix{}, false
	}
	return analyzer.Fix{
		Title: msg.T("Map %s (stage %q) to the domain", "%s（ステージ %q）をドメインにマッピング", api.Name, stage.Name),
		Edits: toEdits(t.Path(), e),
	}, true
}
