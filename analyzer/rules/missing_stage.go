package rules

import (
	"strings"

	"github.com/gw403/gw403-lsp/analyzer"
	"github.com/gw403/gw403-lsp/analyzer/link"
	"github.com/gw403/gw403-lsp/analyzer/msg"
	"github.com/gw403/gw403-lsp/schemas/apimodel"
)

// MissingStage is GW131.
var MissingStage = &analyzer.Rule{
	Code: "GW131", Slug: "missing-stage",
	Title: msg.Text{
		EN: "URL on the default endpoint has no stage",
		JA: "デフォルトエンドポイントの URL にステージがない",
	},
	Severity: analyzer.Error, Scope: analyzer.RequestScope,
	Fix: analyzer.FixSometimes, ErrorType: "ForbiddenException", Status: 403,
	Doc: analyzer.Doc{
		What: msg.Text{
			EN: "Finds requests to a REST API's default `execute-api` endpoint whose URL has no stage: the path is empty, or starts with a resource (`/orders`) where the stage (`/Prod/orders`) belongs. It also checks custom domains whose REST base path mapping names no stage (the URL then carries the stage after the base path). HTTP APIs with a `$default` stage need no stage segment and are never reported.",
			JA: "REST API のデフォルトの `execute-api` エンドポイントへのリクエストで、URL にステージがないもの（パスが空、またはステージ `/Prod/orders` があるべき位置がリソース `/orders` で始まっている）を検出します。ステージを指定しないベースパスマッピングのカスタムドメイン名（URL のベースパスの後にステージを書く）も検査します。`$default` ステージを持つ HTTP API はステージのセグメントが不要なので対象外です。",
		},
		Why: msg.Text{
			EN: "On the default endpoint the first path segment is always read as the stage name. `https://{api-id}.execute-api.{region}.amazonaws.com/orders` asks for a stage named `orders`, which does not exist, so API Gateway rejects the request before any resource is matched.",
			JA: "デフォルトエンドポイントでは、パスの最初のセグメントが必ずステージ名として読まれます。`https://{api-id}.execute-api.{region}.amazonaws.com/orders` は `orders` という存在しないステージを指すため、リソースの照合より前に API Gateway に拒否されます。",
		},
		Returns: msg.Text{
			EN: "`403` with `x-amzn-errortype: ForbiddenException` and `{\"message\":\"Forbidden\"}` (REST APIs). An HTTP API with named stages only answers `404 Not Found`.",
			JA: "`403`、`x-amzn-errortype: ForbiddenException`、`{\"message\":\"Forbidden\"}`（REST API）。名前付きステージだけを持つ HTTP API は `404 Not Found` を返します。",
		},
		Example: msg.Text{
			EN: "```http\n### List orders (OrdersApi has the stage Prod)\nGET https://a1b2c3d4e5.execute-api.ap-northeast-1.amazonaws.com/orders\n```",
			JA: "```http\n### 注文一覧（OrdersApi のステージは Prod）\nGET https://a1b2c3d4e5.execute-api.ap-northeast-1.amazonaws.com/orders\n```",
		},
		Fix: msg.Text{
			EN: "Insert the stage in front of the resource path: `…amazonaws.com/Prod/orders`. The quick fix inserts the stage that the environment's stage variable (`stage`, `stageName`) names, written as that `{{variable}}`, or the API's only stage; when the host comes from a base-URL variable (`{{baseUrl}}/orders`), the stage is added to that variable's value in the environment file. It is safe in those cases, except that a variable other requests also use is left alone (the stage then goes on this request's line, and editing the variable is offered as an unsafe fix), and a URL with nothing after the host gets a safe fix only when the API serves its root resource. With several stages and no hint, one fix per stage is offered for you to choose.",
			JA: "リソースパスの前にステージを入れます: `…amazonaws.com/Prod/orders`。クイックフィックスは、環境のステージ変数（`stage`、`stageName`）が指すステージをその `{{変数}}` で、なければ API の唯一のステージを挿入します。ホストがベース URL 変数から来ている場合（`{{baseUrl}}/orders`）は、環境ファイルのその変数の値にステージを追加します。これらの場合は安全に自動適用できます。ただし、他のリクエストも使う変数は変更せず（ステージはこのリクエストの行に入れ、変数の変更は安全でない修正として示します）、ホストの後に何もない URL は API がルートリソースを提供する場合だけ安全な修正になります。ステージが複数あり手がかりがない場合は、ステージごとの修正を選択肢として示します。",
		},
		References: []string{
			"https://docs.aws.amazon.com/apigateway/latest/developerguide/how-to-call-api.html",
			"https://repost.aws/knowledge-center/api-gateway-troubleshoot-403-forbidden",
			"https://docs.aws.amazon.com/apigateway/latest/developerguide/rest-api-mappings.html",
		},
	},
	Run: runMissingStage,
}

func init() { analyzer.Register(MissingStage) }

func runMissingStage(p *analyzer.Pass) error {
	r := readLinkedRequest(p)
	if r.state != stageMissing {
		return nil
	}
	rc, api := p.Request, r.api
	d := analyzer.Diagnostic{Span: rc.Req.TargetSpan}
	if api.Kind == apimodel.HTTP {
		d.Status, d.ErrorType = 404, "NotFoundException"
	}
	if r.hasSeg {
		d.Span = urlSegSpan(rc, r.seg)
		d.Message = msg.T(`%s has no stage: the path starts with the resource "%s" where the stage belongs (%s stages: %s)`,
			`%s にステージがありません: ステージがあるべき位置がリソース "%s" で始まっています（%s のステージ: %s）`,
			methodPathLabel(rc), urlRangeDisplay(rc.URL.Exp, r.seg.Start, r.seg.End), api.Name, stageNames(api))
	} else if len(namedStages(api)) > 0 {
		d.Message = msg.T(`%s has no stage: the URL of %s must start with one of its stages (%s)`,
			`%s にステージがありません: %s の URL はステージ（%s）で始まる必要があります`,
			methodPathLabel(rc), api.Name, stageNames(api))
	} else {
		d.Message = msg.T(`%s has no stage: the URL of %s must start with a stage`,
			`%s にステージがありません: %s の URL はステージで始まる必要があります`,
			methodPathLabel(rc), api.Name)
	}
	for _, st := range namedStages(api) {
		d.Related = append(d.Related, reqRelated(st.Loc, msg.T("stage %s", "ステージ %s", st.Name))...)
		break
	}

	// With nothing after the host, the stage alone names the root
	// resource: safe only when the API serves it for this method (else the
	// fix trades this finding for GW121).
	pathOK := r.hasSeg || len(r.stageSegs) > 0 ||
		link.MethodRoute(link.PathRoutes(api, nil, false), rc.Req.Method) != nil
	insert := func(text string, title msg.Text, safe bool) {
		d.Fixes = append(d.Fixes, insertSegmentFixes(rc, r.stageSegs, text, text, title, safe && pathOK)...)
	}
	if v, st := stageVariable(rc, api); st != nil {
		// The environment says which stage: write the variable, or its
		// value when the edit lands in an environment file (variables
		// there are not expanded by every client).
		e, ok := insertSegmentEdit(rc, r.stageSegs, "{{"+v+"}}")
		if ok && e.Path != rc.Path {
			title := msg.T("Insert stage %s", "ステージ %s を挿入", st.Name)
			d.Fixes = append(d.Fixes, insertSegmentFixes(rc, r.stageSegs, st.Name, "{{"+v+"}}", title, pathOK)...)
		} else {
			insert("{{"+v+"}}", msg.T("Insert stage {{%s}}", "ステージ {{%s}} を挿入", v), true)
		}
	} else if main := primaryStages(api); len(main) == 1 {
		insert(main[0].Name, msg.T("Insert stage %s", "ステージ %s を挿入", main[0].Name), true)
	} else {
		for i, st := range namedStages(api) {
			if i == 4 {
				break
			}
			insert(st.Name, msg.T("Insert stage %s", "ステージ %s を挿入", st.Name), false)
		}
	}
	p.Report(d)
	return nil
}

// primaryStages are the stages a request most likely means: the named
// stages without SAM's extra "Stage" stage (unless it is the only one).
func primaryStages(api *apimodel.API) []*apimodel.Stage {
	all := namedStages(api)
	var out []*apimodel.Stage
	for _, st := range all {
		if st.Implicit && st.Name == "Stage" {
			continue
		}
		out = append(out, st)
	}
	if len(out) == 0 {
		return all
	}
	return out
}

// stageVariable returns a stage variable defined for the request (stage,
// stageName, apiStage…) whose value names a stage of api.
func stageVariable(rc *link.RequestContext, api *apimodel.API) (string, *apimodel.Stage) {
	for _, v := range rc.EnvVars {
		n := strings.ToLower(strings.NewReplacer("-", "", "_", "").Replace(v))
		if n != "stage" && n != "stagename" && n != "apistage" && n != "awsstage" {
			continue
		}
		pc, ok := rc.Lookup(v)
		if !ok || pc.Unknown {
			continue
		}
		if st := api.StageNamed(strings.Trim(pc.Text, "/ ")); st != nil && st.Deployed && !st.IsDefault() {
			return v, st
		}
	}
	return "", nil
}
