package rules

import (
	"strings"

	"github.com/gw403/gw403-lsp/analyzer"
	"github.com/gw403/gw403-lsp/analyzer/link"
	"github.com/gw403/gw403-lsp/analyzer/msg"
	"github.com/gw403/gw403-lsp/schemas/source"
)

// MisspelledAPIKeyHeader is GW102.
var MisspelledAPIKeyHeader = &analyzer.Rule{
	Code: "GW102", Slug: "misspelled-api-key-header",
	Title: msg.Text{
		EN: "API key sent under a name API Gateway does not read",
		JA: "API Gateway が読まない名前で API キーを送っている",
	},
	Severity: analyzer.Error, Scope: analyzer.RequestScope,
	Fix: analyzer.FixSometimes, ErrorType: "ForbiddenException", Status: 403,
	Doc: analyzer.Doc{
		What: msg.Text{
			EN: "Finds linked requests to a method that requires an API key which send no `x-api-key` header but a header with a near name (`x-apikey`, `x_api_key`, `apikey`, `api-key`, `x-api_key`, `x-api-kye`…) or a query parameter `?api_key=` / `?x-api-key=` / `?apikey=`. Header names are case-insensitive, so `X-API-KEY:` is correct and never reported. It replaces GW101 for the same request.",
			JA: "API キーが必要なメソッドへのリンクされたリクエストで、`x-api-key` ヘッダーを送らず、似た名前のヘッダー（`x-apikey`、`x_api_key`、`apikey`、`api-key`、`x-api_key`、`x-api-kye` など）やクエリパラメーター `?api_key=`・`?x-api-key=`・`?apikey=` で送っているものを検出します。ヘッダー名は大文字と小文字を区別しないので、`X-API-KEY:` は正しく、報告しません。同じリクエストでは GW101 の代わりに報告します。",
		},
		Why: msg.Text{
			EN: "With the default API key source (`HEADER`), API Gateway reads the key only from the `x-api-key` header. A key in any other header or in the query string is passed to the backend but never checked, so the method sees no key at all.",
			JA: "API キーのソースが既定の `HEADER` のとき、API Gateway はキーを `x-api-key` ヘッダーからしか読みません。ほかのヘッダーやクエリ文字列のキーはバックエンドに渡されるだけで照合されず、メソッドから見るとキーがない状態です。",
		},
		Returns: msg.Text{
			EN: "`403` with `x-amzn-errortype: ForbiddenException` and `{\"message\":\"Forbidden\"}`.",
			JA: "`403`、`x-amzn-errortype: ForbiddenException`、`{\"message\":\"Forbidden\"}`。",
		},
		Example: msg.Text{
			EN: "```http\nGET https://a1b2c3d4e5.execute-api.ap-northeast-1.amazonaws.com/Prod/orders\nx-apikey: {{apiKey}}\n\n###\nGET https://a1b2c3d4e5.execute-api.ap-northeast-1.amazonaws.com/Prod/orders?api_key={{apiKey}}\n```",
			JA: "```http\nGET https://a1b2c3d4e5.execute-api.ap-northeast-1.amazonaws.com/Prod/orders\nx-apikey: {{apiKey}}\n\n###\nGET https://a1b2c3d4e5.execute-api.ap-northeast-1.amazonaws.com/Prod/orders?api_key={{apiKey}}\n```",
		},
		Fix: msg.Text{
			EN: "Send the key as `x-api-key: {{apiKey}}`. The quick fix renames the header to `x-api-key`, or moves a key from the query string of the request line into an `x-api-key` header (keeping its value or `{{variable}}`). Both are safe. A key in a query continuation line or a percent-encoded key is reported without a fix.",
			JA: "キーを `x-api-key: {{apiKey}}` で送ります。クイックフィックスはヘッダー名を `x-api-key` に直すか、リクエスト行のクエリ文字列にあるキーを `x-api-key` ヘッダーに移します（値または `{{変数}}` はそのまま）。どちらも安全に自動適用できます。クエリの継続行にあるキーやパーセントエンコードされたキーは、修正なしで報告します。",
		},
		References: []string{
			"https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-api-key-source.html",
			"https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-usage-plan-test-with-postman.html",
		},
	},
	Run: runMisspelledAPIKeyHeader,
}

func init() { analyzer.Register(MisspelledAPIKeyHeader) }

func runMisspelledAPIKeyHeader(p *analyzer.Pass) error {
	r := readLinkedRequest(p)
	if !requiresAPIKey(r.api, r.route) {
		return nil
	}
	rc := p.Request
	h, q := misspelledKey(rc)
	rel := reqRelated(r.route.Auth.APIKeyLoc, msg.T("the API key is required here", "ここで API キーが必須になっています"))
	switch {
	case h != nil:
		p.Report(analyzer.Diagnostic{
			Span: h.H.Span,
			Message: msg.T(`%s sends its API key in the header "%s", but API Gateway reads the key only from x-api-key (%s requires one)`,
				`%s は API キーをヘッダー "%s" で送っていますが、API Gateway がキーを読むのは x-api-key だけです（%s はキーが必要）`, methodPathLabel(rc), h.H.Name, r.api.Name),
			Related: rel,
			Fixes: []analyzer.Fix{{
				Title: msg.T("Rename %s to x-api-key", "%s を x-api-key に変更", h.H.Name),
				Edits: []analyzer.Edit{{Path: rc.Path, Span: h.H.NameSpan, NewText: "x-api-key"}},
				Safe:  true, Preferred: true,
			}},
		})
	case q != nil:
		d := analyzer.Diagnostic{
			Span: keyParamSpan(rc, q),
			Message: msg.T(`%s sends its API key in the query parameter "%s", but API Gateway reads the key only from the x-api-key header (%s requires one)`,
				`%s は API キーをクエリパラメーター "%s" で送っていますが、API Gateway がキーを読むのは x-api-key ヘッダーだけです（%s はキーが必要）`, methodPathLabel(rc), q.name, r.api.Name),
			Related: rel,
		}
		if edits, ok := moveKeyToHeader(rc, q); ok {
			d.Fixes = []analyzer.Fix{{
				Title: msg.T("Move %s into an x-api-key header", "%s を x-api-key ヘッダーに移動", q.name),
				Edits: edits, Safe: true, Preferred: true,
			}}
		}
		p.Report(d)
	}
	return nil
}

// moveKeyToHeader removes the key parameter from the request line's query
// string and adds an x-api-key header with its value as written.
func moveKeyToHeader(rc *link.RequestContext, q *keyQueryParam) ([]analyzer.Edit, bool) {
	u := rc.URL
	if q.valueStart >= q.end {
		return nil, false // no value
	}
	// What to delete: "?k=v" when it is the only parameter, "k=v&" when
	// first, "&k=v" otherwise.
	a, b := q.start-1, q.end
	switch {
	case q.start == u.QueryStart && q.end < u.QueryStart+len(u.Query):
		a, b = q.start, q.end+1
	case q.start != u.QueryStart:
		a, b = q.start-1, q.end
	}
	del, ok := requestLineRange(rc, a, b)
	if !ok {
		return nil, false
	}
	val, ok := requestLineRange(rc, q.valueStart, q.end)
	if !ok {
		return nil, false
	}
	text := rc.File.Src.Text[val.Start:val.End]
	if strings.Contains(text, "%") || strings.TrimSpace(text) == "" {
		return nil, false
	}
	return []analyzer.Edit{
		{Path: rc.Path, Span: del, NewText: ""},
		headerInsertEdit(rc, "x-api-key: "+text),
	}, true
}

// requestLineRange maps [start, end) of the expanded URL to the request line:
// both ends must fall in literal text of the request line or at the edges
// of a {{reference}}, so that the source span covers exactly that text.
func requestLineRange(rc *link.RequestContext, start, end int) (source.Span, bool) {
	ps, ok := urlPieces(rc.URL.Exp)
	if !ok || start >= end {
		return source.Span{}, false
	}
	at := func(pos int, isEnd bool) (int, bool) {
		for _, p := range ps {
			inRange := p.start <= pos && pos < p.end
			if isEnd {
				inRange = p.start < pos && pos <= p.end
			}
			if !inRange {
				continue
			}
			if p.p.Var != "" {
				switch {
				case !isEnd && pos == p.start:
					return p.p.RefSpan.Start, true
				case isEnd && pos == p.end:
					return p.p.RefSpan.End, true
				}
				return 0, false
			}
			if p.p.Path != rc.Path || !p.exactText() {
				return 0, false
			}
			return p.p.Span.Start + (pos - p.start), true
		}
		return 0, false
	}
	s, ok1 := at(start, false)
	e, ok2 := at(end, true)
	line := rc.Req.TargetSpan
	if !ok1 || !ok2 || s >= e || s < line.Start || e > line.End {
		return source.Span{}, false
	}
	return source.Span{Start: s, End: e}, true
}

// keyParamSpan is where a finding about a key in the query points: the
// parameter on the request line or in its query continuation line.
func keyParamSpan(rc *link.RequestContext, q *keyQueryParam) source.Span {
	line := rc.File.Src.Text[rc.Req.TargetSpan.Start:rc.Req.TargetSpan.End]
	if strings.Contains(line, q.name+"=") || len(rc.Req.QueryLines) == 0 {
		return rc.RequestSpan(q.start, q.end)
	}
	for _, l := range rc.Req.QueryLines {
		if i := strings.Index(l.Text, q.name+"="); i >= 0 && (i == 0 || strings.ContainsRune("?&", rune(l.Text[i-1]))) {
			return l.Span
		}
	}
	return rc.Req.TargetSpan
}
