package rules

import (
	"strings"
	"time"

	"github.com/gw403/gw403-lsp/analyzer"
	"github.com/gw403/gw403-lsp/analyzer/link"
	"github.com/gw403/gw403-lsp/analyzer/msg"
	"github.com/gw403/gw403-lsp/schemas/apimodel"
)

// ResourcePolicyVpceMismatch is GW214.
var ResourcePolicyVpceMismatch = &analyzer.Rule{
	Code: "GW214", Slug: "resource-policy-vpce-mismatch",
	Title: msg.Text{
		EN: "Resource policy admits other VPC endpoints than the API's",
		JA: "リソースポリシーが API とは別の VPC エンドポイントを許可している",
	},
	Severity: analyzer.Warning, Scope: analyzer.TemplateScope,
	Fix: analyzer.FixNone, ErrorType: "AccessDeniedException", Status: 403,
	Doc: analyzer.Doc{
		What: msg.Text{
			EN: "For private REST APIs, compares the VPC endpoints the resource policy admits (`aws:SourceVpce` in the conditions of its Allows, or of a Deny with `StringNotEquals`, including SAM `SourceVpcWhitelist`) with the endpoints in `EndpointConfiguration.VpcEndpointIds`. Reported when both lists are literal and share no endpoint.",
			JA: "プライベート REST API について、リソースポリシーが許可する VPC エンドポイント（Allow の条件、または `StringNotEquals` の Deny の条件にある `aws:SourceVpce`。SAM の `SourceVpcWhitelist` を含む）と `EndpointConfiguration.VpcEndpointIds` のエンドポイントを比べます。両方がリテラルで、共通のエンドポイントがない場合に報告します。",
		},
		Why: msg.Text{
			EN: "Clients reach a private API through the endpoints associated with it (its `https://<api-id>-<vpce-id>.execute-api…` names, or private DNS). If the policy admits only other endpoints, requests through the associated ones are denied. Calls through the admitted endpoint with private DNS may still work, hence a warning.",
			JA: "クライアントはプライベート API に関連付けられたエンドポイント（`https://<api-id>-<vpce-id>.execute-api…` の名前やプライベート DNS）経由で到達します。ポリシーが別のエンドポイントだけを許可していると、関連付けたエンドポイント経由のリクエストは拒否されます。許可されたエンドポイントのプライベート DNS 経由なら動く場合もあるため、警告としています。",
		},
		Returns: msg.Text{
			EN: "`403` with `x-amzn-errortype: AccessDeniedException` and `User: anonymous is not authorized to perform: execute-api:Invoke on resource: …` (`… with an explicit deny` when a Deny excludes the endpoint).",
			JA: "`403`、`x-amzn-errortype: AccessDeniedException`、`User: anonymous is not authorized to perform: execute-api:Invoke on resource: …`（Deny で除外された場合は `… with an explicit deny`）が返ります。",
		},
		Example: msg.Text{
			EN: "```yaml\nEndpointConfiguration:\n  Types: [PRIVATE]\n  VpcEndpointIds: [vpce-0aaa1111bbbb2222c]\nPolicy:\n  Statement:\n    - Effect: Allow\n      Principal: \"*\"\n      Action: execute-api:Invoke\n      Resource: execute-api:/*\n      Condition:\n        StringEquals:\n          aws:SourceVpce: vpce-0ddd3333eeee4444f   # another endpoint\n```",
			JA: "```yaml\nEndpointConfiguration:\n  Types: [PRIVATE]\n  VpcEndpointIds: [vpce-0aaa1111bbbb2222c]\nPolicy:\n  Statement:\n    - Effect: Allow\n      Principal: \"*\"\n      Action: execute-api:Invoke\n      Resource: execute-api:/*\n      Condition:\n        StringEquals:\n          aws:SourceVpce: vpce-0ddd3333eeee4444f   # 別のエンドポイント\n```",
		},
		Fix: msg.Text{
			EN: "Use the same endpoint ids in both places; better, reference one parameter or resource from both. There is no quick fix: which list is right is a decision.",
			JA: "両方に同じエンドポイント ID を書きます。一つのパラメーターやリソースを両方から参照するとさらに確実です。どちらのリストが正しいかは判断が必要なため、クイックフィックスはありません。",
		},
		References: []string{
			"https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-private-api-create.html",
			"https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-resource-policies-examples.html#apigateway-resource-policies-source-vpc-example",
		},
	},
	Run: runResourcePolicyVpceMismatch,
}

func init() { analyzer.Register(ResourcePolicyVpceMismatch) }

func runResourcePolicyVpceMismatch(p *analyzer.Pass) error {
	snap := p.Snap
	at := time.Now()
	for _, a := range snap.Model.APIs {
		if a.Kind != apimodel.REST || a.EndpointType != apimodel.Private || a.Policy == nil || len(a.VpcEndpointIDs) == 0 || eventResourcePolicy(snap, a) ||
			!literalAt(snap, a.EndpointLoc) || policyBlocksAll(snap, a, at) {
			continue
		}
		ids := map[string]bool{}
		known := true
		var idList []string
		for _, v := range a.VpcEndpointIDs {
			if !v.Known {
				known = false
				break
			}
			ids[v.S] = true
			idList = append(idList, v.S)
		}
		if !known {
			continue
		}
		c, admitted := vpceRestriction(snap, a.Policy, at)
		if c == nil || admitsAny(admitted, ids) {
			continue
		}
		d := analyzer.Diagnostic{
			Path: c.Loc.Path, Span: c.Loc.Span,
			Message: msg.T(
				"The resource policy of %[1]s admits only VPC endpoint %[2]s (aws:SourceVpce), but the API is associated with %[3]s (%[4]s): requests through its endpoints get 403 AccessDeniedException",
				"%[1]s のリソースポリシーが許可する VPC エンドポイントは %[2]s（aws:SourceVpce）だけですが、API に関連付けられているのは %[3]s（%[4]s）です。関連付けたエンドポイント経由のリクエストは 403 AccessDeniedException になります",
				a.Name, strings.Join(admitted, ", "), strings.Join(idList, ", "), settingName(a.Origin, "VpcEndpointIds", "vpc_endpoint_ids", "vpcEndpointIds")),
		}
		if l := a.VpcEndpointIDs[0].Loc; !l.IsZero() {
			d.Related = []analyzer.Related{{Path: l.Path, Span: l.Span, Message: msg.T("VPC endpoints of %s", "%s の VPC エンドポイント", a.Name)}}
		}
		p.Report(d)
	}
	return nil
}

// vpceRestriction returns a condition of the policy that limits callers to
// a literal list of VPC endpoints, and that list: an unconditional-but-for-
// the-endpoint Deny (StringNotEquals aws:SourceVpce), or the endpoints of
// the Allows when every Allow is limited to endpoints.
func vpceRestriction(snap *link.Snapshot, pol *apimodel.Policy, at time.Time) (*apimodel.Condition, []string) {
	// A Deny for everyone except some endpoints.
	for _, st := range pol.Statements {
		if !strings.EqualFold(st.Effect, "Deny") || st.Principal != "*" || st.NotResource || !st.CoversInvokeSurely() || len(st.Conditions) != 1 {
			continue
		}
		// SAM writes its Deny for the same paths as its Allow.
		all := !userStatement(snap, st)
		for _, r := range st.Resources {
			if apimodel.ParseAPIRes(r).All {
				all = true
			}
		}
		c := &st.Conditions[0]
		op := strings.TrimSuffix(c.Operator, "IfExists")
		if !all || !strings.EqualFold(c.Key, "aws:SourceVpce") || (op != "StringNotEquals" && op != "StringNotEqualsIgnoreCase") {
			continue
		}
		if vals, ok := literalValues(c.Values); ok {
			return c, vals
		}
	}
	// Every Allow limited to endpoints.
	var first *apimodel.Condition
	var vals []string
	for _, st := range pol.Statements {
		if !mayAllow(snap, st, at) {
			continue
		}
		limited := false
		for i := range st.Conditions {
			c := &st.Conditions[i]
			switch c.Operator {
			case "StringEquals", "StringEqualsIgnoreCase", "StringLike", "ForAnyValue:StringEquals", "ForAnyValue:StringLike":
			default:
				continue
			}
			if !strings.EqualFold(c.Key, "aws:SourceVpce") {
				continue
			}
			vs, ok := literalValues(c.Values)
			if !ok {
				return nil, nil
			}
			limited = true
			vals = append(vals, vs...)
			if first == nil {
				first = c
			}
		}
		if !limited {
			return nil, nil // an Allow open to any endpoint
		}
	}
	return first, vals
}

// literalValues returns the values when all are known.
func literalValues(vs []apimodel.Value) ([]string, bool) {
	var out []string
	for _, v := range vs {
		if !v.Known || v.S == "" {
			return nil, false
		}
		out = append(out, v.S)
	}
	return out, len(out) > 0
}

// admitsAny reports whether one of the admitted patterns matches one of
// the ids.
func admitsAny(admitted []string, ids map[string]bool) bool {
	for _, pat := range admitted {
		for id := range ids {
			if apimodel.IAMMatch(pat, id, true) {
				return true
			}
		}
	}
	return false
}
