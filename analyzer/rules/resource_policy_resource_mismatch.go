package rules

import (
	"strings"
	"time"

	"github.com/gw403/gw403-lsp/analyzer"
	"github.com/gw403/gw403-lsp/analyzer/link"
	"github.com/gw403/gw403-lsp/analyzer/msg"
	"github.com/gw403/gw403-lsp/schemas/apimodel"
)

// ResourcePolicyResourceMismatch is GW213.
var ResourcePolicyResourceMismatch = &analyzer.Rule{
	Code: "GW213", Slug: "resource-policy-resource-mismatch",
	Title: msg.Text{
		EN: "Resource policy allows a stage or route the API does not have",
		JA: "リソースポリシーが API に存在しないステージやルートを許可している",
	},
	Severity: analyzer.Error, Scope: analyzer.TemplateScope,
	Fix: analyzer.FixSometimes, ErrorType: "AccessDeniedException", Status: 403,
	Doc: analyzer.Doc{
		What: msg.Text{
			EN: "Checks the `Resource` of each Allow statement of a REST API's resource policy (`execute-api:/<stage>/<method>/<path>` or the full `arn:aws:execute-api:…` form) against the API: a literal stage must be one of its stages (names are case-sensitive, `prod` is not `Prod`), and a literal method and path must match one of its routes. Reported only when no other Allow of the policy covers the whole API and some method relies on the policy alone (no IAM or authorizer).",
			JA: "REST API のリソースポリシーの各 Allow ステートメントの `Resource`（`execute-api:/<stage>/<method>/<path>` または `arn:aws:execute-api:…` 形式）を API と照合します。リテラルのステージは API のステージのいずれか（名前は大文字と小文字を区別し、`prod` は `Prod` ではありません）、リテラルのメソッドとパスは API のルートのいずれかに一致する必要があります。ポリシーの他の Allow が API 全体を許可しておらず、ポリシーだけで判定されるメソッド（IAM やオーソライザーなし）がある場合に報告します。",
		},
		Why: msg.Text{
			EN: "API Gateway matches the ARN of each request (`…/<stage>/<METHOD>/<path>`) against the policy. An Allow for a stage or path that does not exist matches no request, so the requests it was meant to admit are not explicitly allowed and are denied.",
			JA: "API Gateway は各リクエストの ARN（`…/<stage>/<METHOD>/<path>`）をポリシーと照合します。存在しないステージやパスへの Allow はどのリクエストにも一致しないため、許可するつもりだったリクエストは明示的に許可されず拒否されます。",
		},
		Returns: msg.Text{
			EN: "`403` with `x-amzn-errortype: AccessDeniedException` and `User: anonymous is not authorized to perform: execute-api:Invoke on resource: …`.",
			JA: "`403`、`x-amzn-errortype: AccessDeniedException`、`User: anonymous is not authorized to perform: execute-api:Invoke on resource: …` が返ります。",
		},
		Example: msg.Text{
			EN: "```yaml\nOrdersApi:\n  Type: AWS::Serverless::Api\n  Properties:\n    StageName: Prod\n    Auth:\n      ResourcePolicy:\n        CustomStatements:\n          - Effect: Allow\n            Principal: \"*\"\n            Action: execute-api:Invoke\n            Resource: execute-api:/prod/*   # the stage is \"Prod\"\n```",
			JA: "```yaml\nOrdersApi:\n  Type: AWS::Serverless::Api\n  Properties:\n    StageName: Prod\n    Auth:\n      ResourcePolicy:\n        CustomStatements:\n          - Effect: Allow\n            Principal: \"*\"\n            Action: execute-api:Invoke\n            Resource: execute-api:/prod/*   # ステージは \"Prod\"\n```",
		},
		Fix: msg.Text{
			EN: "Name the stage, method and path exactly as the API defines them, or use wildcards (`execute-api:/*/GET/orders/*`). The quick fix replaces a stage that differs only in case (safe); other mismatches need a decision.",
			JA: "ステージ、メソッド、パスを API の定義どおりに書くか、ワイルドカード（`execute-api:/*/GET/orders/*`）を使います。クイックフィックスは大文字と小文字だけが違うステージを置き換えます（安全）。それ以外の不一致は判断が必要です。",
		},
		References: []string{
			"https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-control-access-using-iam-policies-to-invoke-api.html#api-gateway-iam-policy-resource-format-for-executing-api",
			"https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-resource-policies-examples.html",
		},
	},
	Run: runResourcePolicyResourceMismatch,
}

func init() { analyzer.Register(ResourcePolicyResourceMismatch) }

func runResourcePolicyResourceMismatch(p *analyzer.Pass) error {
	snap := p.Snap
	at := time.Now()
	for _, a := range snap.Model.APIs {
		pol := a.Policy
		if a.Kind != apimodel.REST || pol == nil || len(a.PolicyDecides()) == 0 || eventResourcePolicy(snap, a) ||
			policyBlocksAll(snap, a, at) {
			continue
		}
		var allows []*apimodel.Statement
		coversAll := false
		for _, st := range pol.Statements {
			if !mayAllow(snap, st, at) {
				continue
			}
			if st.NotResource || len(st.Resources) == 0 || !userStatement(snap, st) {
				coversAll = true // SAM writes these from the API's own paths
				continue
			}
			allows = append(allows, st)
			for _, r := range st.Resources {
				if pr := apimodel.ParseAPIRes(r); pr.All || pr.Unknown {
					coversAll = true
				}
			}
		}
		if coversAll {
			continue
		}
		for _, st := range allows {
			for _, r := range st.Resources {
				reportResourceMismatch(p, a, r)
			}
		}
	}
	return nil
}

// reportResourceMismatch reports r when it names a stage or route a does
// not have.
func reportResourceMismatch(p *analyzer.Pass, a *apimodel.API, r apimodel.Value) {
	pr := apimodel.ParseAPIRes(r)
	if pr.Unknown || pr.Other || pr.All {
		return
	}
	loc := r.Loc
	if !apimodel.Wild(pr.Stage) {
		if !a.StagesKnown || stageFromParameter(a) {
			return
		}
		if st := a.StageNamed(pr.Stage); st == nil || !st.Deployed {
			d := analyzer.Diagnostic{
				Path: loc.Path, Span: loc.Span,
				Message: msg.T(
					"The resource policy of %[1]s allows %[2]s, but %[1]s has no stage %[3]q (stages: %[4]s; names are case-sensitive): the requests it was meant to allow get 403 AccessDeniedException",
					"%[1]s のリソースポリシーは %[2]s を許可していますが、%[1]s にステージ %[3]q はありません（ステージ: %[4]s。名前は大文字と小文字を区別します）。許可するつもりだったリクエストは 403 AccessDeniedException になります",
					a.Name, r.S, pr.Stage, deployedStageNames(a)),
			}
			if f, ok := policyStageFix(p.Snap, a, r, pr.Stage); ok {
				d.Fixes = []analyzer.Fix{f}
			}
			p.Report(d)
			return
		}
	}
	if !a.RoutesKnown || !pr.HasMethod || !pr.HasPath || apimodel.Wild(pr.Method) || apimodel.Wild(pr.Path) ||
		strings.EqualFold(pr.Method, "OPTIONS") {
		return
	}
	if matchesRoute(a.Routes, pr.Method, pr.Path) {
		return
	}
	p.Report(analyzer.Diagnostic{
		Path: loc.Path, Span: loc.Span,
		Message: msg.T(
			"The resource policy of %[1]s allows %[2]s, but %[1]s has no route %[3]s %[4]s: the requests it was meant to allow get 403 AccessDeniedException",
			"%[1]s のリソースポリシーは %[2]s を許可していますが、%[1]s にルート %[3]s %[4]s はありません。許可するつもりだったリクエストは 403 AccessDeniedException になります",
			a.Name, r.S, strings.ToUpper(pr.Method), pr.Path),
	})
}

// matchesRoute reports whether a request path (literal segments) with
// method matches one of the route templates.
func matchesRoute(routes []*apimodel.Route, method, path string) bool {
	segs := splitPath(path)
	for _, rt := range routes {
		if rt.Method != "ANY" && !strings.EqualFold(rt.Method, method) {
			continue
		}
		if templateMatches(splitPath(rt.Path), segs) {
			return true
		}
	}
	return false
}

func splitPath(p string) []string {
	p = strings.Trim(p, "/")
	if p == "" {
		return nil
	}
	return strings.Split(p, "/")
}

// templateMatches matches path segments against a route template with
// {param} (one segment) and {proxy+} (one or more) parts.
func templateMatches(tmpl, segs []string) bool {
	for i, t := range tmpl {
		if strings.HasPrefix(t, "{") && strings.HasSuffix(t, "+}") {
			return len(segs) > i
		}
		if i >= len(segs) {
			return false
		}
		if strings.HasPrefix(t, "{") && strings.HasSuffix(t, "}") {
			if segs[i] == "" {
				return false
			}
			continue
		}
		if t != segs[i] {
			return false
		}
	}
	return len(tmpl) == len(segs)
}

// policyStageFix replaces the stage in the resource's text by the API's
// stage that differs only in case.
func policyStageFix(snap *link.Snapshot, a *apimodel.API, r apimodel.Value, stage string) (analyzer.Fix, bool) {
	var match string
	for _, s := range a.Stages {
		if s.Deployed && strings.EqualFold(s.Name, stage) {
			if match != "" {
				return analyzer.Fix{}, false
			}
			match = s.Name
		}
	}
	if match == "" {
		return analyzer.Fix{}, false
	}
	fd := snap.Files[r.Loc.Path]
	if fd == nil || r.Loc.Span.End > len(fd.Src.Text) {
		return analyzer.Fix{}, false
	}
	text := fd.Src.Slice(r.Loc.Span)
	old := "/" + stage + "/"
	i := strings.Index(text, old)
	if i < 0 || strings.Count(text, old) != 1 {
		old = "/" + stage
		if !strings.HasSuffix(strings.TrimRight(text, "\"'"), old) || strings.Count(text, old) != 1 {
			return analyzer.Fix{}, false
		}
		i = strings.Index(text, old)
	}
	start := r.Loc.Span.Start + i + 1
	e := analyzer.Edit{Path: r.Loc.Path, NewText: match}
	e.Span.Start, e.Span.End = start, start+len(stage)
	return analyzer.Fix{
		Title: msg.T("Replace stage %q with %q", "ステージ %q を %q に置き換え", stage, match),
		Edits: []analyzer.Edit{e}, Safe: true, Preferred: true,
	}, true
}
