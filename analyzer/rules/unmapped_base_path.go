package rules

import (
	"strings"

	"github.com/gw403/gw403-lsp/analyzer"
	"github.com/gw403/gw403-lsp/analyzer/link"
	"github.com/gw403/gw403-lsp/analyzer/msg"
	"github.com/gw403/gw403-lsp/analyzer/suggest"
	"github.com/gw403/gw403-lsp/schemas/apimodel"
)

// UnmappedBasePath is GW142.
var UnmappedBasePath = &analyzer.Rule{
	Code: "GW142", Slug: "unmapped-base-path",
	Title: msg.Text{
		EN: "Custom domain URL matches no base path mapping",
		JA: "カスタムドメイン名の URL がどのベースパスマッピングにも一致しない",
	},
	Severity: analyzer.Error, Scope: analyzer.RequestScope,
	Fix: analyzer.FixSometimes, ErrorType: "ForbiddenException", Status: 403,
	Doc: analyzer.Doc{
		What: msg.Text{
			EN: "Finds requests to a custom domain defined in the workspace whose path starts with none of the domain's base paths, when the domain has no empty `(none)` mapping. Domains known only from a mapping to their literal name (declared elsewhere) and mappings whose base path is not static are not checked.",
			JA: "ワークスペースで定義されたカスタムドメイン名へのリクエストで、パスがそのドメインのどのベースパスでも始まらず、空の `(none)` マッピングもないものを検出します。名前の文字列を指すマッピングでしか分からない（別の場所で宣言された）ドメインや、ベースパスが静的に決まらないマッピングは検査しません。",
		},
		Why: msg.Text{
			EN: "A custom domain routes a request by the first segments of its path: `https://api.example.com/v1/orders` goes to the API mapped to `v1`. A path whose start is not a mapped base path reaches no API at all.",
			JA: "カスタムドメイン名はパスの先頭のセグメントでリクエストを振り分けます。`https://api.example.com/v1/orders` は `v1` にマッピングされた API に届きます。マッピングされたベースパスで始まらないパスは、どの API にも届きません。",
		},
		Returns: msg.Text{
			EN: "`403` with `x-amzn-errortype: ForbiddenException` and `{\"message\":\"Forbidden\"}`.",
			JA: "`403`、`x-amzn-errortype: ForbiddenException`、`{\"message\":\"Forbidden\"}`。",
		},
		Example: msg.Text{
			EN: "```http\n# BasePathMapping: api.example.com v1 → OrdersApi/prod\nGET https://api.example.com/v2/orders\n```",
			JA: "```http\n# BasePathMapping: api.example.com v1 → OrdersApi/prod\nGET https://api.example.com/v2/orders\n```",
		},
		Fix: msg.Text{
			EN: "Start the path with a mapped base path: `https://api.example.com/v1/orders`, or add a mapping for the base path you meant. When the path is a resource of a mapped API without its base path (`/orders` for the mapping `shop → OrdersApi`), the quick fix inserts the base path; otherwise it replaces the first segments with the closest base path. It is safe when exactly one base path is that close.",
			JA: "マッピングされたベースパスでパスを始めるか（`https://api.example.com/v1/orders`）、意図したベースパスのマッピングを追加します。パスがマッピング先 API のリソースでベースパスだけがない場合（マッピング `shop → OrdersApi` に対する `/orders`）、クイックフィックスはベースパスを挿入します。それ以外は先頭のセグメントを最も近いベースパスに置き換えます。十分に近いベースパスが 1 つだけのときは安全に自動適用できます。",
		},
		References: []string{
			"https://docs.aws.amazon.com/apigateway/latest/developerguide/rest-api-mappings.html",
			"https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-mappings.html",
			"https://repost.aws/knowledge-center/api-gateway-troubleshoot-403-forbidden",
		},
	},
	Run: runUnmappedBasePath,
}

func init() { analyzer.Register(UnmappedBasePath) }

func runUnmappedBasePath(p *analyzer.Pass) error {
	r := readLinkedRequest(p)
	if r.state != basePathUnmapped {
		return nil
	}
	rc, dom := p.Request, r.link.Domain
	segs := rc.URL.Segments
	var mapped []string
	seen := map[string]bool{}
	for _, m := range dom.Mappings {
		if !seen[m.BasePath] {
			seen[m.BasePath] = true
			mapped = append(mapped, m.BasePath)
		}
	}
	d := analyzer.Diagnostic{Span: rc.Req.TargetSpan, Related: reqRelated(dom.Loc, msg.T("custom domain %s", "カスタムドメイン名 %s", dom.Name.S))}
	if r.hasSeg {
		d.Span = urlSegSpan(rc, r.seg)
		d.Message = msg.T(`%s: no base path mapping of the custom domain %s matches "%s" (base paths: %s)`,
			`%s: カスタムドメイン名 %s に "%s" に一致するベースパスマッピングがありません（ベースパス: %s）`,
			methodPathLabel(rc), dom.Name.S, urlRangeDisplay(rc.URL.Exp, r.seg.Start, r.seg.End), strings.Join(mapped, ", "))
	} else {
		d.Message = msg.T(`%s: the custom domain %s has no empty base path mapping; the path must start with a base path (%s)`,
			`%s: カスタムドメイン名 %s には空のベースパスマッピングがありません。パスはベースパス（%s）で始める必要があります`,
			methodPathLabel(rc), dom.Name.S, strings.Join(mapped, ", "))
	}

	type option struct {
		m      *apimodel.Mapping
		insert bool // the path is a resource of m's API: insert the base path
		dist   int
	}
	var opts []option
	for _, m := range dom.Mappings {
		bp := splitURLPath(m.BasePath)
		if m.API != nil && len(segs) > 0 && !segs[0].Unknown && (m.Stage != "" || m.StageUnknown || m.API.Kind == apimodel.HTTP) &&
			startsRoute(m.API, segs[0].Text) && len(link.PathRoutes(m.API, segs, rc.URL.PathUnknownTail)) > 0 {
			opts = append(opts, option{m: m, insert: true})
			continue
		}
		if len(segs) >= len(bp) {
			var got []string
			for _, s := range segs[:len(bp)] {
				got = append(got, s.Text)
			}
			if dist, ok := suggest.Near(strings.Join(got, "/"), m.BasePath); ok {
				opts = append(opts, option{m: m, dist: dist})
			}
		}
	}
	// Best first: an insertion (the rest of the path already fits), then
	// the closest base path.
	for i := 1; i < len(opts); i++ {
		for j := i; j > 0 && (opts[j].insert && !opts[j-1].insert || opts[j].insert == opts[j-1].insert && opts[j].dist < opts[j-1].dist); j-- {
			opts[j], opts[j-1] = opts[j-1], opts[j]
		}
	}
	unique := len(opts) == 1 || len(opts) > 1 && (opts[0].insert != opts[1].insert || opts[0].dist < opts[1].dist)
	for i, o := range opts {
		safe := i == 0 && unique
		var e analyzer.Edit
		var ok bool
		var title msg.Text
		if o.insert {
			title = msg.T("Insert the base path %s", "ベースパス %s を挿入", o.m.BasePath)
			d.Fixes = append(d.Fixes, insertSegmentFixes(rc, segs, o.m.BasePath, o.m.BasePath, title, safe)...)
		} else {
			n := len(splitURLPath(o.m.BasePath))
			e, ok = urlReplaceEdit(rc, segs[0].Start, segs[n-1].End, o.m.BasePath)
			title = msg.T("Replace %s with the base path %s", "%s をベースパス %s に置き換え",
				urlRangeDisplay(rc.URL.Exp, segs[0].Start, segs[n-1].End), o.m.BasePath)
		}
		if ok {
			d.Fixes = append(d.Fixes, analyzer.Fix{Title: title, Edits: []analyzer.Edit{e}, Safe: safe, Preferred: safe})
		}
	}
	p.Report(d)
	return nil
}
