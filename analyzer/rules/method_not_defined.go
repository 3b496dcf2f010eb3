package rules

import (
	"sort"
	"strings"

	"github.com/gw403/gw403-lsp/analyzer"
	"github.com/gw403/gw403-lsp/analyzer/link"
	"github.com/gw403/gw403-lsp/analyzer/msg"
	"github.com/gw403/gw403-lsp/schemas/source"
)

// MethodNotDefined is GW122.
var MethodNotDefined = &analyzer.Rule{
	Code: "GW122", Slug: "method-not-defined",
	Title: msg.Text{
		EN: "The resource exists but not for this HTTP method",
		JA: "リソースはあるがこの HTTP メソッドは定義されていない",
	},
	Severity: analyzer.Error, Scope: analyzer.RequestScope,
	Fix: analyzer.FixSometimes, ErrorType: "MissingAuthenticationTokenException", Status: 403,
	Doc: analyzer.Doc{
		What: msg.Text{
			EN: "Finds linked requests whose path matches a resource of the API but whose method is defined on none of the matching resources, and none of them has `ANY`. `HEAD` is not served by `GET` unless declared. `OPTIONS` requests are not checked (CORS preflight is often answered without a declared method). It stays quiet when the API's routes are not all known.",
			JA: "リンクされたリクエストで、パスは API のリソースに一致するのに、一致するどのリソースにもそのメソッドが定義されておらず、`ANY` もないものを検出します。`HEAD` は宣言しない限り `GET` では処理されません。`OPTIONS` リクエストは検査しません（CORS のプリフライトは宣言したメソッドなしで応答されることが多いため）。API のルートがすべて分からない場合は報告しません。",
		},
		Why: msg.Text{
			EN: "API Gateway matches the method together with the resource. A `POST` to a resource that only has `GET` is treated like a request for a resource that does not exist.",
			JA: "API Gateway はリソースとメソッドを組にして照合します。`GET` しかないリソースへの `POST` は、存在しないリソースへのリクエストと同じように扱われます。",
		},
		Returns: msg.Text{
			EN: "`403` with `x-amzn-errortype: MissingAuthenticationTokenException` and `{\"message\":\"Missing Authentication Token\"}` (`IncompleteSignatureException` when an `Authorization` header that is not a SigV4 signature is sent). HTTP APIs answer `404 Not Found`.",
			JA: "`403`、`x-amzn-errortype: MissingAuthenticationTokenException`、`{\"message\":\"Missing Authentication Token\"}`（SigV4 署名でない `Authorization` ヘッダーを送ると `IncompleteSignatureException`）。HTTP API は `404 Not Found` を返します。",
		},
		Example: msg.Text{
			EN: "```http\n# OrdersApi defines only POST /orders\nPUT https://a1b2c3d4e5.execute-api.ap-northeast-1.amazonaws.com/Prod/orders\nContent-Type: application/json\n\n{\"item\": \"coffee\"}\n```",
			JA: "```http\n# OrdersApi は POST /orders だけを定義\nPUT https://a1b2c3d4e5.execute-api.ap-northeast-1.amazonaws.com/Prod/orders\nContent-Type: application/json\n\n{\"item\": \"coffee\"}\n```",
		},
		Fix: msg.Text{
			EN: "Use a method the resource defines, or add the method to the template and deploy. When the matching resources define exactly one method, the quick fix replaces the request's method with it. It is safe only when the change keeps the request's intent: between `POST`, `PUT` and `PATCH` for a request with a body, between `GET` and `HEAD` for one without. Other changes (a `DELETE` to a `GET`, a `POST` without a body to a `GET`) are offered but not applied by `check --fix`.",
			JA: "リソースが定義するメソッドを使うか、テンプレートにメソッドを追加してデプロイします。一致するリソースのメソッドがちょうど 1 つのとき、クイックフィックスはリクエストのメソッドをそれに置き換えます。安全に自動適用するのは、リクエストの意図が変わらない場合だけです（ボディのあるリクエストで `POST`・`PUT`・`PATCH` の間、ボディのないリクエストで `GET` と `HEAD` の間）。それ以外の変更（`DELETE` から `GET`、ボディのない `POST` から `GET` など）は提案のみで、`check --fix` では適用しません。",
		},
		References: []string{
			"https://repost.aws/knowledge-center/api-gateway-authentication-token-errors",
			"https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-method-settings-method-request.html",
		},
	},
	Run: runMethodNotDefined,
}

func init() { analyzer.Register(MethodNotDefined) }

func runMethodNotDefined(p *analyzer.Pass) error {
	r := readLinkedRequest(p)
	rc := p.Request
	method := strings.ToUpper(rc.Req.Method)
	if !pathChecked(r) || len(r.routes) == 0 || r.route != nil || method == "OPTIONS" {
		return nil
	}
	api := r.api
	set := map[string]bool{}
	for _, rt := range r.routes {
		set[rt.Method] = true
	}
	methods := make([]string, 0, len(set))
	for m := range set {
		methods = append(methods, m)
	}
	sort.Strings(methods)
	path := r.routes[0].Path
	d := analyzer.Diagnostic{
		Span: rc.Req.MethodSpan,
		Message: msg.T("%s: %s defines %s only for %s", "%s: %s の %s に定義されたメソッドは %s だけです",
			methodPathLabel(rc), api.Name, path, strings.Join(methods, ", ")),
	}
	if d.Span.IsEmpty() {
		d.Span = rc.Req.TargetSpan // the method is implied (GET)
	}
	notFoundAnswer(rc, api, &d)
	for _, rt := range r.routes {
		d.Related = append(d.Related, reqRelated(rt.Loc, msg.T("%s %s is defined here", "%s %s はここで定義されています", rt.Method, rt.Path))...)
	}
	if len(methods) == 1 {
		m := methods[0]
		e := analyzer.Edit{Path: rc.Path, Span: rc.Req.MethodSpan, NewText: m}
		if rc.Req.MethodSpan.IsEmpty() {
			s := rc.Req.TargetSpan.Start
			e = analyzer.Edit{Path: rc.Path, Span: source.Span{Start: s, End: s}, NewText: m + " "}
		}
		safe := sameIntent(rc, m)
		d.Fixes = []analyzer.Fix{{
			Title: msg.T("Change the method to %s", "メソッドを %s に変更", m),
			Edits: []analyzer.Edit{e}, Safe: safe, Preferred: true,
		}}
	}
	p.Report(d)
	return nil
}

// sameIntent reports whether changing the request's method to method is
// a correction of the same intent that may be applied blindly: between
// POST, PUT and PATCH when the request has a body, between GET and HEAD
// when it has none. DELETE is never changed blindly.
func sameIntent(rc *link.RequestContext, method string) bool {
	hasBody := rc.Req.Body != nil && strings.TrimSpace(rc.Req.Body.Text.Raw) != ""
	class := func(m string) int {
		switch m {
		case "POST", "PUT", "PATCH":
			return 1
		case "GET", "HEAD":
			return 2
		}
		return 0
	}
	from, to := class(strings.ToUpper(rc.Req.Method)), class(method)
	switch {
	case from == 0 || from != to:
		return false
	case from == 1:
		return hasBody
	default:
		return !hasBody
	}
}
