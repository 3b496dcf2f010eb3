package rules

import (
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/gw403/gw403-lsp/analyzer"
	"github.com/gw403/gw403-lsp/analyzer/link"
	"github.com/gw403/gw403-lsp/analyzer/msg"
	"github.com/gw403/gw403-lsp/schemas/apimodel"
	"github.com/gw403/gw403-lsp/schemas/yamlpos"
)

// ResourcePolicyDeniesAll is GW212.
var ResourcePolicyDeniesAll = &analyzer.Rule{
	Code: "GW212", Slug: "resource-policy-denies-all",
	Title: msg.Text{
		EN: "Resource policy lets nobody invoke the API",
		JA: "リソースポリシーが誰にも API の呼び出しを許可していない",
	},
	Severity: analyzer.Error, Scope: analyzer.TemplateScope,
	Fix: analyzer.FixNone, ErrorType: "AccessDeniedException", Status: 403,
	Doc: analyzer.Doc{
		What: msg.Text{
			EN: "Reads the resource policy of each REST API (`Policy`, SAM `Auth.ResourcePolicy`, `x-amazon-apigateway-policy`) and reports it when it denies `execute-api:Invoke` to `Principal: \"*\"` on every resource without a condition, when no statement allows `execute-api:Invoke` at all (statements without `Effect` or `Principal` grant nothing; a policy without `Statement` neither), or when its only Allows are limited by `aws:CurrentTime` to a time that has passed.",
			JA: "各 REST API のリソースポリシー（`Policy`、SAM の `Auth.ResourcePolicy`、`x-amazon-apigateway-policy`）を読み、条件なしで `Principal: \"*\"` の `execute-api:Invoke` をすべてのリソースで拒否している場合、`execute-api:Invoke` を許可するステートメントが一つもない場合（`Effect` や `Principal` のないステートメントは何も許可しません。`Statement` のないポリシーも同じです）、許可が `aws:CurrentTime` で過ぎた期間に限られている場合に報告します。",
		},
		Why: msg.Text{
			EN: "An explicit Deny wins over every Allow, whatever the authorization type. When nothing is explicitly allowed, methods without IAM, Lambda or Cognito authorization are denied (API Gateway needs an explicit Allow from the resource policy for them); methods with IAM or an authorizer are only reported for the unconditional Deny, because an identity policy or authorizer in the same account can still allow them. Some of these policies are rejected at deployment instead.",
			JA: "明示的な Deny は認可の種類にかかわらずすべての Allow に優先します。明示的な許可がない場合、IAM・Lambda・Cognito の認可がないメソッドは拒否されます（リソースポリシーによる明示的な Allow が必要です）。IAM やオーソライザーを使うメソッドは、同じアカウントの ID ポリシーやオーソライザーが許可しうるため、無条件の Deny の場合だけ報告します。このようなポリシーはデプロイ時に拒否されることもあります。",
		},
		Returns: msg.Text{
			EN: "`403` with `x-amzn-errortype: AccessDeniedException` and `User: anonymous is not authorized to perform: execute-api:Invoke on resource: … with an explicit deny` (explicit Deny) or `… is not authorized to perform: execute-api:Invoke …` (no Allow).",
			JA: "`403`、`x-amzn-errortype: AccessDeniedException` と、明示的な Deny なら `User: anonymous is not authorized to perform: execute-api:Invoke on resource: … with an explicit deny`、Allow がなければ `… is not authorized to perform: execute-api:Invoke …` が返ります。",
		},
		Example: msg.Text{
			EN: "```yaml\nPolicy:\n  Version: \"2012-10-17\"\n  Statement:\n    - Effect: Deny          # no Condition: denies everyone\n      Principal: \"*\"\n      Action: execute-api:Invoke\n      Resource: execute-api:/*\n```",
			JA: "```yaml\nPolicy:\n  Version: \"2012-10-17\"\n  Statement:\n    - Effect: Deny          # Condition がないので全員を拒否\n      Principal: \"*\"\n      Action: execute-api:Invoke\n      Resource: execute-api:/*\n```",
		},
		Fix: msg.Text{
			EN: "Give the Deny a condition that excludes the legitimate callers (for example `StringNotEquals: {aws:SourceVpce: vpce-…}`), add an Allow statement with `Effect: Allow`, `Principal: \"*\"` (or the callers' principals), `Action: execute-api:Invoke` and `Resource: execute-api:/*`, or extend the time window. There is no quick fix: who may call the API is a decision.",
			JA: "Deny に正当な呼び出し元を除外する条件（例: `StringNotEquals: {aws:SourceVpce: vpce-…}`）を付けるか、`Effect: Allow`、`Principal: \"*\"`（または呼び出し元のプリンシパル）、`Action: execute-api:Invoke`、`Resource: execute-api:/*` の Allow ステートメントを追加するか、期間を延ばします。誰に呼び出しを許すかは判断が必要なため、クイックフィックスはありません。",
		},
		References: []string{
			"https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-authorization-flow.html",
			"https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-resource-policies-examples.html",
			"https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_Date",
		},
	},
	Run: runResourcePolicyDeniesAll,
}

func init() { analyzer.Register(ResourcePolicyDeniesAll) }

func runResourcePolicyDeniesAll(p *analyzer.Pass) error {
	snap := p.Snap
	at := time.Now()
	for _, a := range snap.Model.APIs {
		pol := a.Policy
		if a.Kind != apimodel.REST || pol == nil {
			continue
		}
		if st := denyAll(pol, at); st != nil {
			loc := st.EffectLoc
			if loc.IsZero() {
				loc = st.Loc
			}
			p.Report(analyzer.Diagnostic{
				Path: loc.Path, Span: loc.Span,
				Message: msg.T(
					"The resource policy of %s denies execute-api:Invoke to everyone on every resource, with no condition that can fail: every request gets 403 AccessDeniedException (explicit deny)",
					"%s のリソースポリシーは、外れることのない条件で全員の execute-api:Invoke をすべてのリソースで拒否しています。すべてのリクエストが 403 AccessDeniedException（明示的な拒否）になります",
					a.Name),
			})
			continue
		}
		if !pol.Known || eventResourcePolicy(snap, a) {
			continue // SAM events may add Allows the model does not show
		}
		decided := a.PolicyDecides()
		if len(decided) == 0 {
			continue // IAM or authorizers may allow what the policy does not
		}
		allows := 0
		var ended []*apimodel.Condition
		for _, st := range pol.Statements {
			if mayAllow(snap, st, at) {
				allows++
				continue
			}
			if c := st.WindowEnded(at); c != nil && strings.EqualFold(st.Effect, "Allow") {
				ended = append(ended, c)
			}
		}
		if allows > 0 {
			continue
		}
		routes := routeNames(decided)
		if len(ended) > 0 {
			c := ended[0]
			until := ""
			if len(c.Values) > 0 {
				until = c.Values[0].S
			}
			p.Report(analyzer.Diagnostic{
				Path: c.Loc.Path, Span: c.Loc.Span,
				Message: msg.T(
					"The resource policy of %[1]s allows execute-api:Invoke only until %[2]s (%[3]s %[4]s), which has passed: requests to %[5]s get 403 AccessDeniedException",
					"%[1]s のリソースポリシーが execute-api:Invoke を許可するのは %[2]s まで（%[3]s %[4]s）で、その期限は過ぎています。%[5]s へのリクエストは 403 AccessDeniedException になります",
					a.Name, until, c.Operator, c.Key, routes),
			})
			continue
		}
		loc, why := noAllowCause(snap, pol)
		p.Report(analyzer.Diagnostic{
			Path: loc.Path, Span: loc.Span,
			Message: msg.T("The resource policy of %s allows nobody to invoke it (%s): requests to %s (no IAM or authorizer) get 403 AccessDeniedException",
				"%s のリソースポリシーは誰にも呼び出しを許可していません（%s）。%s（IAM やオーソライザーなし）へのリクエストは 403 AccessDeniedException になります",
				a.Name, why, routes),
		})
	}
	return nil
}

// policyBlocksAll reports whether GW212 explains every 403 of a's policy:
// an explicit deny of everything, or no Allow for methods the policy alone
// decides. The more specific policy rules then stay quiet.
func policyBlocksAll(snap *link.Snapshot, a *apimodel.API, at time.Time) bool {
	pol := a.Policy
	if pol == nil {
		return false
	}
	if denyAll(pol, at) != nil {
		return true
	}
	if !pol.Known || eventResourcePolicy(snap, a) || len(a.PolicyDecides()) == 0 {
		return false
	}
	for _, st := range pol.Statements {
		if mayAllow(snap, st, at) {
			return false
		}
	}
	return true
}

// denyAll returns a statement that denies execute-api:Invoke to everyone
// on every resource with conditions that always hold, or nil.
func denyAll(pol *apimodel.Policy, at time.Time) *apimodel.Statement {
	for _, st := range pol.Statements {
		if !strings.EqualFold(st.Effect, "Deny") || st.Principal != "*" || st.NotResource || !st.CoversInvokeSurely() {
			continue
		}
		all := false
		for _, r := range st.Resources {
			if apimodel.ParseAPIRes(r).All {
				all = true
			}
		}
		if all && st.AlwaysTrue(at) {
			return st
		}
	}
	return nil
}

// noAllowCause says where a policy without any Allow goes wrong: a
// statement without Effect or Principal, else the policy itself.
func noAllowCause(snap *link.Snapshot, pol *apimodel.Policy) (apimodel.Loc, msg.Text) {
	for _, st := range pol.Statements {
		switch {
		case st.EffectLoc.IsZero():
			return stmtStart(snap, st), msg.T("a statement has no Effect", "Effect のないステートメントがあります")
		case strings.EqualFold(st.Effect, "Allow") && st.Principal == "":
			return stmtStart(snap, st), msg.T("its Allow has no Principal", "Allow に Principal がありません")
		}
	}
	loc := pol.Loc
	if d, n := nodeAt(snap, pol.Loc); n != nil {
		if k := d.KeyOf(n); k != nil {
			loc.Span = d.Span(k)
		}
	}
	if len(pol.Statements) == 0 {
		return loc, msg.T("it has no Statement", "Statement がありません")
	}
	return loc, msg.T("no statement allows execute-api:Invoke", "execute-api:Invoke を許可するステートメントがありません")
}

// stmtStart returns the first key of a statement mapping (the line of the
// `- …` item), or the statement itself.
func stmtStart(snap *link.Snapshot, st *apimodel.Statement) apimodel.Loc {
	d, n := nodeAt(snap, st.Loc)
	n = yamlpos.Resolve(n)
	if n != nil && n.Kind == yaml.MappingNode && len(n.Content) > 0 {
		return apimodel.Loc{Path: st.Loc.Path, Span: d.Span(n.Content[0])}
	}
	return st.Loc
}
