package rules

import (
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/gw403/gw403-lsp/analyzer"
	"github.com/gw403/gw403-lsp/analyzer/link"
	"github.com/gw403/gw403-lsp/analyzer/msg"
	"github.com/gw403/gw403-lsp/schemas/apimodel"
	"github.com/gw403/gw403-lsp/schemas/yamlpos"
)

// PrivateAPIWithoutPolicy is GW211.
var PrivateAPIWithoutPolicy = &analyzer.Rule{
	Code: "GW211", Slug: "private-api-without-policy",
	Title: msg.Text{
		EN: "Private API without a resource policy",
		JA: "リソースポリシーのないプライベート API",
	},
	Severity: analyzer.Error, Scope: analyzer.TemplateScope,
	Fix: analyzer.FixSometimes, ErrorType: "AccessDeniedException", Status: 403,
	Doc: analyzer.Doc{
		What: msg.Text{
			EN: "Finds REST APIs whose `EndpointConfiguration` is `PRIVATE` and that have no resource policy: no `Policy` property, no SAM `Auth.ResourcePolicy` (or one that generates nothing because the API has no paths), no `x-amazon-apigateway-policy` in the definition.",
			JA: "`EndpointConfiguration` が `PRIVATE` なのにリソースポリシーのない REST API を見つけます。`Policy` プロパティも、SAM の `Auth.ResourcePolicy`（API にパスがなく何も生成しないものを含む）も、定義の `x-amazon-apigateway-policy` もない場合です。",
		},
		Why: msg.Text{
			EN: "A private API is reachable only through interface VPC endpoints, and only callers that its resource policy allows may invoke it. Without a policy nobody is allowed. API Gateway now even refuses to deploy such an API (\"Private REST API doesn't have a resource policy attached to it\"); a stage deployed before that answers every request with a 403.",
			JA: "プライベート API にはインターフェイス VPC エンドポイント経由でしか到達できず、呼び出せるのはリソースポリシーが許可した呼び出し元だけです。ポリシーがなければ誰も許可されません。現在の API Gateway はこのような API のデプロイ自体を拒否します（\"Private REST API doesn't have a resource policy attached to it\"）。それ以前にデプロイされたステージはすべてのリクエストに 403 を返します。",
		},
		Returns: msg.Text{
			EN: "`403` with `x-amzn-errortype: AccessDeniedException` and `User: anonymous is not authorized to perform: execute-api:Invoke on resource: …`.",
			JA: "`403`、`x-amzn-errortype: AccessDeniedException`、`User: anonymous is not authorized to perform: execute-api:Invoke on resource: …` が返ります。",
		},
		Example: msg.Text{
			EN: "```yaml\nInternalApi:\n  Type: AWS::ApiGateway::RestApi\n  Properties:\n    Name: internal\n    EndpointConfiguration:\n      Types: [PRIVATE]\n      VpcEndpointIds: [vpce-0a1b2c3d4e5f67890]\n    # no Policy\n```",
			JA: "```yaml\nInternalApi:\n  Type: AWS::ApiGateway::RestApi\n  Properties:\n    Name: internal\n    EndpointConfiguration:\n      Types: [PRIVATE]\n      VpcEndpointIds: [vpce-0a1b2c3d4e5f67890]\n    # Policy がない\n```",
		},
		Fix: msg.Text{
			EN: "Attach a policy that allows `execute-api:Invoke` on `execute-api:/*` from your VPC endpoints (`aws:SourceVpce`). When the API lists its `VpcEndpointIds`, the quick fix adds exactly that: a `Policy` property on an `AWS::ApiGateway::RestApi`, or `Auth.ResourcePolicy.SourceVpcWhitelist` (`IntrinsicVpceWhitelist` for `!Ref` values) on a SAM API, which SAM expands into an Allow plus a Deny for other endpoints; in Terraform, an `aws_api_gateway_rest_api_policy` whose condition reads the API's `vpc_endpoint_ids`; in a `serverless.yml` (for `provider.vpcEndpointIds`), `provider.apiGateway.resourcePolicy`. The fix is safe: it admits only the endpoints the API is already associated with; except for SAM's implicit API when the template also declares `AWS::Serverless::Api` resources, as the policy then goes in `Globals.Api` and would apply to them too (offered, not applied by `check --fix`).\n\n```yaml\n    Policy:\n      Version: \"2012-10-17\"\n      Statement:\n        - Effect: Allow\n          Principal: \"*\"\n          Action: execute-api:Invoke\n          Resource: execute-api:/*\n          Condition:\n            StringEquals:\n              aws:SourceVpce: vpce-0a1b2c3d4e5f67890\n```",
			JA: "VPC エンドポイントから（`aws:SourceVpce`）の `execute-api:/*` への `execute-api:Invoke` を許可するポリシーを付けます。API が `VpcEndpointIds` を指定していれば、クイックフィックスがそのとおりに追加します。`AWS::ApiGateway::RestApi` には `Policy` プロパティを、SAM の API には `Auth.ResourcePolicy.SourceVpcWhitelist`（`!Ref` の値には `IntrinsicVpceWhitelist`）を追加し、SAM が Allow と他のエンドポイントを拒否する Deny に展開します。Terraform では、API の `vpc_endpoint_ids` を条件に使う `aws_api_gateway_rest_api_policy` を追加します。`serverless.yml` では（`provider.vpcEndpointIds` に対して）`provider.apiGateway.resourcePolicy` を追加します。API に関連付け済みのエンドポイントだけを許可するので安全な修正です。ただし SAM の暗黙の API で、テンプレートに `AWS::Serverless::Api` リソースもある場合は、ポリシーが `Globals.Api` に入りそれらにも適用されるため、提案のみで `check --fix` では適用しません。\n\n```yaml\n    Policy:\n      Version: \"2012-10-17\"\n      Statement:\n        - Effect: Allow\n          Principal: \"*\"\n          Action: execute-api:Invoke\n          Resource: execute-api:/*\n          Condition:\n            StringEquals:\n              aws:SourceVpce: vpce-0a1b2c3d4e5f67890\n```",
		},
		References: []string{
			"https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-private-api-create.html",
			"https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-resource-policies-examples.html",
			"https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-property-api-resourcepolicystatement.html",
		},
	},
	Run: runPrivateAPIWithoutPolicy,
}

func init() { analyzer.Register(PrivateAPIWithoutPolicy) }

func runPrivateAPIWithoutPolicy(p *analyzer.Pass) error {
	snap := p.Snap
	for _, a := range snap.Model.APIs {
		if a.Kind != apimodel.REST || a.EndpointType != apimodel.Private || definitionUnknown(a) || eventResourcePolicy(snap, a) ||
			!literalAt(snap, a.EndpointLoc) {
			continue
		}
		empty := samPolicyGeneratesNothing(snap, a)
		if a.Policy != nil && !empty {
			continue
		}
		loc := a.EndpointLoc
		if loc.IsZero() {
			loc = a.Loc
		}
		d := analyzer.Diagnostic{
			Path: loc.Path, Span: loc.Span,
			Message: msg.T(
				"%s is a private API (%s PRIVATE) without a resource policy: nobody may invoke it, requests get 403 AccessDeniedException (and API Gateway refuses new deployments)",
				"%s はリソースポリシーのないプライベート API（%s PRIVATE）です。誰も呼び出せず、リクエストは 403 AccessDeniedException になります（API Gateway は新しいデプロイも拒否します）",
				a.Name, settingName(a.Origin, "EndpointConfiguration", "endpoint_configuration types", "endpointType")),
		}
		if empty {
			d.Message = msg.T(
				"%s is a private API (EndpointConfiguration PRIVATE) whose Auth.ResourcePolicy generates no policy because the API has no paths: nobody may invoke it, requests get 403 AccessDeniedException",
				"%s はプライベート API（EndpointConfiguration PRIVATE）ですが、API にパスがないため Auth.ResourcePolicy からポリシーが生成されません。誰も呼び出せず、リクエストは 403 AccessDeniedException になります",
				a.Name)
		} else if f, ok := privatePolicyFix(snap, a); ok {
			d.Fixes = []analyzer.Fix{f}
		}
		p.Report(d)
	}
	return nil
}

// samPolicyGeneratesNothing reports a SAM Auth.ResourcePolicy without
// CustomStatements on an API without paths: SAM writes its statements per
// path, so none is generated.
func samPolicyGeneratesNothing(snap *link.Snapshot, a *apimodel.API) bool {
	if a.Policy == nil || a.SAM == nil || len(a.Routes) > 0 || !a.RoutesKnown {
		return false
	}
	d, n := nodeAt(snap, a.Policy.Loc)
	if n == nil {
		return false
	}
	k := d.KeyOf(n)
	if k == nil || k.Value != "ResourcePolicy" {
		return false
	}
	ck, _ := yamlpos.Get(n, "CustomStatements")
	return ck == nil
}

// vpceValue returns the API's VPC endpoint ids as a condition value: the
// literal ids, the source text of the `!Ref` items, or the whole intrinsic
// that yields the list (whole). ok is false when there are none or they
// cannot be copied.
func vpceValue(snap *link.Snapshot, a *apimodel.API) (v any, literal, whole, ok bool) {
	t := snap.Template(a.File)
	var node *yaml.Node
	if t != nil {
		switch a.Origin {
		case apimodel.CFN:
			if r := t.Resource(a.LogicalID); r != nil {
				node = yamlpos.Value(r.Prop("EndpointConfiguration"), "VpcEndpointIds")
			}
		case apimodel.SAMApi, apimodel.SAMImplicit:
			var ec *yaml.Node
			if r := t.Resource(a.LogicalID); r != nil && a.Origin == apimodel.SAMApi {
				ec = r.Prop("EndpointConfiguration")
			}
			if ec == nil {
				ec = yamlpos.Value(yamlpos.Value(t.Globals, "Api"), "EndpointConfiguration")
			}
			// SAM reads either spelling.
			if node = yamlpos.Value(ec, "VPCEndpointIds"); node == nil {
				node = yamlpos.Value(ec, "VpcEndpointIds")
			}
		}
	}
	if node == nil {
		// Only the definition's x-amazon-apigateway-endpoint-configuration.
		var ids []any
		for _, id := range a.VpcEndpointIDs {
			if !id.Known {
				return nil, false, false, false
			}
			ids = append(ids, id.S)
		}
		return single(ids), true, false, len(ids) > 0
	}
	if !yamlpos.IsSeq(node) {
		raw, ok := t.Doc.RawNode(node)
		return raw, false, true, ok
	}
	var items []any
	literal = true
	for _, it := range yamlpos.Items(node) {
		if yamlpos.LiteralScalar(it) {
			items = append(items, it.Value)
			continue
		}
		raw, ok := t.Doc.RawNode(it)
		if !ok {
			return nil, false, false, false
		}
		items = append(items, raw)
		literal = false
	}
	return single(items), literal, false, len(items) > 0
}

// single unwraps a one-item list.
func single(items []any) any {
	if len(items) == 1 {
		return items[0]
	}
	return items
}

// list wraps a value in a list unless it is one.
func list(v any) any {
	if _, ok := v.([]any); ok {
		return v
	}
	return []any{v}
}

// privatePolicyFix adds a policy admitting the API's VPC endpoints.
func privatePolicyFix(snap *link.Snapshot, a *apimodel.API) (analyzer.Fix, bool) {
	if a.Origin == apimodel.Terraform {
		return tfPolicyFix(snap, a)
	}
	if a.Origin == apimodel.Serverless {
		return serverlessPolicyFix(snap, a)
	}
	t := snap.Template(a.File)
	if t == nil {
		return analyzer.Fix{}, false
	}
	vpce, literal, whole, ok := vpceValue(snap, a)
	if !ok {
		return analyzer.Fix{}, false
	}
	if literal {
		for _, s := range list(vpce).([]any) {
			if str, ok := s.(string); !ok || !strings.HasPrefix(str, "vpce-") {
				return analyzer.Fix{}, false
			}
		}
	}
	d := t.Doc
	var e yamlpos.Edit
	var err error
	title := msg.T("Add a resource policy that allows the API's VPC endpoints", "API の VPC エンドポイントを許可するリソースポリシーを追加")
	switch a.Origin {
	case apimodel.CFN:
		r := t.Resource(a.LogicalID)
		if r == nil || r.Type != "AWS::ApiGateway::RestApi" || r.Properties == nil {
			return analyzer.Fix{}, false
		}
		e, err = d.InsertKey(r.Properties, "Policy", yamlpos.Map{
			{Key: "Version", Value: "2012-10-17"},
			{Key: "Statement", Value: []any{yamlpos.Map{
				{Key: "Effect", Value: "Allow"},
				{Key: "Principal", Value: "*"},
				{Key: "Action", Value: "execute-api:Invoke"},
				{Key: "Resource", Value: "execute-api:/*"},
				{Key: "Condition", Value: yamlpos.Map{{Key: "StringEquals", Value: yamlpos.Map{{Key: "aws:SourceVpce", Value: vpce}}}}},
			}}},
		})
	case apimodel.SAMApi, apimodel.SAMImplicit:
		// SAM writes the policy for each path of the definition; Auth
		// needs a DefinitionBody (SAM generates one from the events).
		if len(a.Routes) == 0 || !a.DefinitionLoc.IsZero() && a.DefinitionFile != a.File {
			return analyzer.Fix{}, false
		}
		key := "SourceVpcWhitelist"
		if !literal {
			key = "IntrinsicVpceWhitelist"
		}
		var base *yaml.Node
		var keys []string
		if a.Origin == apimodel.SAMApi {
			r := t.Resource(a.LogicalID)
			if r == nil {
				return analyzer.Fix{}, false
			}
			base, keys = r.Node, []string{"Properties", "Auth", "ResourcePolicy"}
		} else {
			base, keys = t.Globals, []string{"Api", "Auth", "ResourcePolicy"}
		}
		if base == nil {
			return analyzer.Fix{}, false
		}
		if whole {
			return analyzer.Fix{}, false // SAM wants a list, not an intrinsic
		}
		e, err = d.InsertPath(base, keys, yamlpos.Map{{Key: key, Value: list(vpce)}})
		title = msg.T("Add Auth.ResourcePolicy that allows the API's VPC endpoints", "API の VPC エンドポイントを許可する Auth.ResourcePolicy を追加")
	default:
		return analyzer.Fix{}, false
	}
	if err != nil {
		return analyzer.Fix{}, false
	}
	f := analyzer.Fix{Title: title, Edits: toEdits(a.File, e), Safe: true, Preferred: true}
	if a.Origin == apimodel.SAMImplicit {
		f = globalsFix(t, f)
	}
	return f, true
}

// serverlessPolicyFix adds provider.apiGateway.resourcePolicy to a
// serverless.yml, allowing the provider.vpcEndpointIds it lists.
func serverlessPolicyFix(snap *link.Snapshot, a *apimodel.API) (analyzer.Fix, bool) {
	svc := slsService(snap, a.File)
	if svc == nil {
		return analyzer.Fix{}, false
	}
	var ids []any
	for _, id := range a.VpcEndpointIDs {
		if !id.Known || !strings.HasPrefix(id.S, "vpce-") {
			return analyzer.Fix{}, false
		}
		ids = append(ids, id.S)
	}
	if len(ids) == 0 {
		return analyzer.Fix{}, false
	}
	e, err := svc.Doc.InsertPath(svc.Doc.Root, []string{"provider", "apiGateway", "resourcePolicy"}, []any{yamlpos.Map{
		{Key: "Effect", Value: "Allow"},
		{Key: "Principal", Value: "*"},
		{Key: "Action", Value: "execute-api:Invoke"},
		{Key: "Resource", Value: "execute-api:/*"},
		{Key: "Condition", Value: yamlpos.Map{{Key: "StringEquals", Value: yamlpos.Map{{Key: "aws:SourceVpce", Value: single(ids)}}}}},
	}})
	if err != nil {
		return analyzer.Fix{}, false
	}
	return analyzer.Fix{
		Title: msg.T("Add provider.apiGateway.resourcePolicy that allows the API's VPC endpoints", "API の VPC エンドポイントを許可する provider.apiGateway.resourcePolicy を追加"),
		Edits: toEdits(a.File, e), Safe: true, Preferred: true,
	}, true
}
