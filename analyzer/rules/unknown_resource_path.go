package rules

import (
	"sort"

	"github.com/gw403/gw403-lsp/analyzer"
	"github.com/gw403/gw403-lsp/analyzer/link"
	"github.com/gw403/gw403-lsp/analyzer/msg"
	"github.com/gw403/gw403-lsp/analyzer/suggest"
	"github.com/gw403/gw403-lsp/schemas/apimodel"
	"github.com/gw403/gw403-lsp/schemas/source"
)

// UnknownResourcePath is GW121.
var UnknownResourcePath = &analyzer.Rule{
	Code: "GW121", Slug: "unknown-resource-path",
	Title: msg.Text{
		EN: "No resource of the API matches the path",
		JA: "パスに一致するリソースが API にない",
	},
	Severity: analyzer.Error, Scope: analyzer.RequestScope,
	Fix: analyzer.FixSometimes, ErrorType: "MissingAuthenticationTokenException", Status: 403,
	Doc: analyzer.Doc{
		What: msg.Text{
			EN: "Finds linked requests whose resource path (the path after the stage, or after a custom domain's base path) matches no resource of the API. `{param}` segments match any one segment, `{proxy+}` one or more, and an HTTP API's `$default` route matches everything. Paths are case-sensitive. It stays quiet when the API's routes are not all known (a definition on S3, an unresolvable path) and when the path fails only because of its stage or base path (GW131, GW132, GW141 and GW142 report those).",
			JA: "リンクされたリクエストで、リソースパス（ステージの後、またはカスタムドメイン名のベースパスの後のパス）が API のどのリソースにも一致しないものを検出します。`{param}` は任意の 1 セグメント、`{proxy+}` は 1 つ以上のセグメントに一致し、HTTP API の `$default` ルートはすべてに一致します。パスは大文字と小文字を区別します。API のルートがすべて分からない場合（S3 上の定義、解決できないパス）や、ステージやベースパスだけが原因の場合（GW131、GW132、GW141、GW142 が報告します）は報告しません。",
		},
		Why: msg.Text{
			EN: "A REST API answers a request for a resource it does not have with a 403, not a 404: API Gateway cannot tell a missing resource from a request that lacks IAM credentials, so it asks for an authentication token. A typo, a wrong case or a resource that was never deployed all look the same.",
			JA: "REST API は存在しないリソースへのリクエストに 404 ではなく 403 を返します。API Gateway はリソースがないのか IAM 認証情報がないのかを区別できないため、認証トークンを要求します。つづりの誤り、大文字小文字の違い、デプロイされていないリソースはどれも同じに見えます。",
		},
		Returns: msg.Text{
			EN: "`403` with `x-amzn-errortype: MissingAuthenticationTokenException` and `{\"message\":\"Missing Authentication Token\"}`; when the request sends an `Authorization` header that is not a SigV4 signature, `IncompleteSignatureException` (\"Authorization header requires 'Credential' parameter…\"). HTTP APIs answer `404 Not Found`.",
			JA: "`403`、`x-amzn-errortype: MissingAuthenticationTokenException`、`{\"message\":\"Missing Authentication Token\"}`。SigV4 署名でない `Authorization` ヘッダーを送ると `IncompleteSignatureException`（\"Authorization header requires 'Credential' parameter…\"）。HTTP API は `404 Not Found` を返します。",
		},
		Example: msg.Text{
			EN: "```http\n# OrdersApi defines GET /orders/{orderId}\nGET https://a1b2c3d4e5.execute-api.ap-northeast-1.amazonaws.com/Prod/order/42\n```",
			JA: "```http\n# OrdersApi は GET /orders/{orderId} を定義\nGET https://a1b2c3d4e5.execute-api.ap-northeast-1.amazonaws.com/Prod/order/42\n```",
		},
		Fix: msg.Text{
			EN: "Use a path the API defines, or add and deploy the resource. The quick fix suggests the closest existing path with the same number of segments, keeping your values for `{param}` segments, and replaces the segments that differ. It is safe when one segment is one or two letters off and no other path is as close.",
			JA: "API が定義するパスを使うか、リソースを追加してデプロイします。クイックフィックスはセグメント数が同じで最も近い既存のパスを提案し（`{param}` のセグメントの値はそのまま）、異なるセグメントを置き換えます。1 つのセグメントが 1〜2 文字違うだけで、同じくらい近いパスがほかにないときは安全に自動適用できます。",
		},
		References: []string{
			"https://repost.aws/knowledge-center/api-gateway-authentication-token-errors",
			"https://repost.aws/knowledge-center/api-gateway-troubleshoot-403-forbidden",
			"https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-method-settings-method-request.html",
		},
	},
	Run: runUnknownResourcePath,
}

func init() { analyzer.Register(UnknownResourcePath) }

// pathChecked reports whether the path and method rules may judge the
// request: its resource path is known, and so are the API's routes.
func pathChecked(r *reading) bool {
	return r.api != nil && r.resourceKnown && r.api.RoutesKnown && len(r.api.Routes) > 0 && r.state != basePathUnmapped
}

// notFoundAnswer sets the predicted answer of a finding about a path or
// method the API does not have.
func notFoundAnswer(rc *link.RequestContext, api *apimodel.API, d *analyzer.Diagnostic) {
	switch {
	case api.Kind == apimodel.HTTP:
		d.Status, d.ErrorType = 404, "NotFoundException"
	case rc.Header("Authorization") != nil && !requestSigned(rc):
		d.ErrorType = "IncompleteSignatureException"
	}
}

func runUnknownResourcePath(p *analyzer.Pass) error {
	r := readLinkedRequest(p)
	if !pathChecked(r) || len(r.routes) > 0 {
		return nil
	}
	rc, api := p.Request, r.api
	res := segmentsPath(rc, r.resource)
	d := analyzer.Diagnostic{Span: resourceSpan(rc, r.resource)}
	notFoundAnswer(rc, api, &d)
	sugg := suggestPaths(api, r.resource)
	if len(sugg) > 0 {
		d.Message = msg.T("%s: %s has no resource %s; did you mean %s?", "%s: %s にリソース %s はありません。%s ではありませんか",
			methodPathLabel(rc), api.Name, res, sugg[0].template)
		if rt := routeWithPath(api, sugg[0].template); rt != nil {
			d.Related = reqRelated(rt.Loc, msg.T("%s %s is defined here", "%s %s はここで定義されています", rt.Method, rt.Path))
		}
	} else {
		d.Message = msg.T("%s: %s has no resource %s", "%s: %s にリソース %s はありません", methodPathLabel(rc), api.Name, res)
		d.Related = reqRelated(api.Loc, msg.T("API %s", "API %s", api.Name))
	}
	unique := len(sugg) == 1 || len(sugg) > 1 && sugg[1].cost > sugg[0].cost
	for i, s := range sugg {
		if i == 3 {
			break
		}
		var edits []analyzer.Edit
		ok := true
		for _, k := range s.changed {
			seg := r.resource[k]
			e, fine := urlReplaceEdit(rc, seg.Start, seg.End, s.segs[k])
			if !fine {
				ok = false
				break
			}
			edits = append(edits, e)
		}
		if !ok || len(edits) == 0 {
			continue
		}
		safe := i == 0 && unique && s.cost <= 2 && len(s.changed) == 1
		d.Fixes = append(d.Fixes, analyzer.Fix{
			Title: msg.T("Change the path to %s", "パスを %s に変更", s.template),
			Edits: edits, Safe: safe, Preferred: i == 0 && unique,
		})
	}
	p.Report(d)
	return nil
}

// resourceSpan is where a finding about the resource path points.
func resourceSpan(rc *link.RequestContext, res []link.Segment) source.Span {
	if len(res) == 0 {
		return urlPathSpan(rc)
	}
	return rc.RequestSpan(res[0].Start, res[len(res)-1].End)
}

// pathSuggestion is an existing path close to the request's resource path.
type pathSuggestion struct {
	template string
	// segs are the resource segments with the suggestion applied: literal
	// segments of the template, the request's own text for {param}.
	segs    []string
	changed []int // indexes of segments that differ
	cost    int
}

// suggestPaths returns the route paths of api with as many segments as
// res whose literal segments are each a near miss of the request's,
// closest first.
func suggestPaths(api *apimodel.API, res []link.Segment) []pathSuggestion {
	seen := map[string]bool{}
	var out []pathSuggestion
	for _, rt := range api.Routes {
		if seen[rt.Path] || rt.Path == "$default" {
			continue
		}
		seen[rt.Path] = true
		ts := splitURLPath(rt.Path)
		if len(ts) != len(res) || len(ts) == 0 {
			continue
		}
		s := pathSuggestion{template: rt.Path}
		ok := true
		for i, t := range ts {
			seg := res[i]
			s.segs = append(s.segs, seg.Text)
			if isPathParam(t) || seg.Unknown || t == seg.Text {
				continue
			}
			dist, near := suggest.Near(seg.Text, t)
			if !near {
				ok = false
				break
			}
			s.segs[i] = t
			s.changed = append(s.changed, i)
			s.cost += max(dist, 1) // a change of case is a change
		}
		if ok && s.cost > 0 {
			out = append(out, s)
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].cost != out[j].cost {
			return out[i].cost < out[j].cost
		}
		return out[i].template < out[j].template
	})
	return out
}

// routeWithPath returns a route of api with that path template.
func routeWithPath(api *apimodel.API, path string) *apimodel.Route {
	for _, rt := range api.Routes {
		if rt.Path == path {
			return rt
		}
	}
	return nil
}
