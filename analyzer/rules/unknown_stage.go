package rules

import (
	"strings"

	"github.com/gw403/gw403-lsp/analyzer"
	"github.com/gw403/gw403-lsp/analyzer/msg"
	"github.com/gw403/gw403-lsp/schemas/apimodel"
)

// UnknownStage is GW132.
var UnknownStage = &analyzer.Rule{
	Code: "GW132", Slug: "unknown-stage",
	Title: msg.Text{
		EN: "Stage in the URL does not exist",
		JA: "URL のステージが存在しない",
	},
	Severity: analyzer.Error, Scope: analyzer.RequestScope,
	Fix: analyzer.FixSometimes, ErrorType: "ForbiddenException", Status: 403,
	Doc: analyzer.Doc{
		What: msg.Text{
			EN: "Finds requests to a REST API's default `execute-api` endpoint (or to a custom domain whose mapping names no stage) whose stage segment is not a stage of the linked API. Stage names are case-sensitive: SAM's implicit API deploys `Prod`, not `prod`. SAM also deploys a stage named `Stage` unless `OpenApiVersion` is set (on the API or in `Globals.Api`). Stage names that come from a template parameter or an intrinsic (`StageName: !Ref Stage`) are decided at deploy time, so such APIs are not checked; neither are HTTP APIs with a `$default` stage.",
			JA: "REST API のデフォルトの `execute-api` エンドポイント（またはステージを指定しないマッピングのカスタムドメイン名）へのリクエストで、ステージのセグメントがリンク先 API のステージでないものを検出します。ステージ名は大文字と小文字を区別します。SAM の暗黙の API がデプロイするのは `Prod` で、`prod` ではありません。SAM は `OpenApiVersion` を設定しない限り（API または `Globals.Api`）、`Stage` という名前のステージもデプロイします。ステージ名がテンプレートのパラメーターや組み込み関数から来る場合（`StageName: !Ref Stage`）はデプロイ時に決まるため検査しません。`$default` ステージを持つ HTTP API も対象外です。",
		},
		Why: msg.Text{
			EN: "API Gateway resolves the stage before anything else. A stage that does not exist (a typo, the wrong case, a stage of another environment) matches nothing, and the request is rejected.",
			JA: "API Gateway は最初にステージを解決します。存在しないステージ（つづりの誤り、大文字小文字の違い、別環境のステージ）は何にも一致せず、リクエストは拒否されます。",
		},
		Returns: msg.Text{
			EN: "`403` with `x-amzn-errortype: ForbiddenException` and `{\"message\":\"Forbidden\"}` (REST APIs). An HTTP API with named stages only answers `404 Not Found`.",
			JA: "`403`、`x-amzn-errortype: ForbiddenException`、`{\"message\":\"Forbidden\"}`（REST API）。名前付きステージだけを持つ HTTP API は `404 Not Found` を返します。",
		},
		Example: msg.Text{
			EN: "```http\n# template.yaml: an AWS::Serverless::Function with an Api event (stage Prod)\nGET https://a1b2c3d4e5.execute-api.ap-northeast-1.amazonaws.com/prod/orders\n```",
			JA: "```http\n# template.yaml: Api イベントを持つ AWS::Serverless::Function（ステージは Prod）\nGET https://a1b2c3d4e5.execute-api.ap-northeast-1.amazonaws.com/prod/orders\n```",
		},
		Fix: msg.Text{
			EN: "Use a stage the API has: `/Prod/orders`. The quick fix replaces the segment with the closest stage name, where it is written: on the request line, or in the environment file when the stage comes from a variable (`{{stage}}`). It is safe when exactly one stage is that close (same name but for case, or one or two letters off); otherwise each stage is offered for you to choose.",
			JA: "API にあるステージを使います: `/Prod/orders`。クイックフィックスはセグメントを最も近いステージ名に置き換えます。置き換える場所はリクエスト行、またはステージが変数（`{{stage}}`）から来る場合は環境ファイルです。十分に近いステージが 1 つだけのとき（大文字小文字だけの違い、または 1〜2 文字の違い）は安全に自動適用できます。それ以外はステージごとの修正を選択肢として示します。",
		},
		References: []string{
			"https://docs.aws.amazon.com/apigateway/latest/developerguide/how-to-call-api.html",
			"https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-resource-api.html#sam-api-openapiversion",
			"https://repost.aws/knowledge-center/api-gateway-troubleshoot-403-forbidden",
		},
	},
	Run: runUnknownStage,
}

func init() { analyzer.Register(UnknownStage) }

func runUnknownStage(p *analyzer.Pass) error {
	r := readLinkedRequest(p)
	if r.state != stageWrong || !r.hasSeg {
		return nil
	}
	rc, api := p.Request, r.api
	seg := urlRangeDisplay(rc.URL.Exp, r.seg.Start, r.seg.End)
	cands := closeStages(api, r.seg.Text)
	var hint msg.Text
	switch {
	case len(cands) > 0 && cands[0].Dist == 0:
		hint = msg.T(`; stage names are case-sensitive: did you mean "%s"?`, `。ステージ名は大文字と小文字を区別します。"%s" ではありませんか`, cands[0].Name)
	case len(cands) > 0:
		hint = msg.T(`; did you mean "%s"?`, `。"%s" ではありませんか`, cands[0].Name)
	case r.seg.Text == "Stage" && api.Origin != apimodel.CFN && api.Origin != apimodel.OpenAPI:
		hint = msg.T(` (SAM creates the "Stage" stage only when OpenApiVersion is not set)`, `（SAM が "Stage" ステージを作るのは OpenApiVersion を設定しない場合だけです）`)
	}
	d := analyzer.Diagnostic{
		Span: urlSegSpan(rc, r.seg),
		Message: msg.T(`%s: "%s" is not a stage of %s (stages: %s)%s`, `%s: "%s" は %s のステージではありません（ステージ: %s）%s`,
			methodPathLabel(rc), seg, api.Name, stageNames(api), hint),
	}
	if api.Kind == apimodel.HTTP {
		d.Status, d.ErrorType = 404, "NotFoundException"
	}
	if len(cands) > 0 {
		if st := api.StageNamed(cands[0].Name); st != nil {
			d.Related = reqRelated(st.Loc, msg.T("stage %s", "ステージ %s", st.Name))
		}
	}

	unique := len(cands) == 1 || (len(cands) > 1 && cands[1].Dist > cands[0].Dist)
	offer := func(name string, safe bool) {
		if e, ok := urlReplaceEdit(rc, r.seg.Start, r.seg.End, name); ok {
			d.Fixes = append(d.Fixes, analyzer.Fix{
				Title: msg.T("Replace %s with stage %s", "%s をステージ %s に置き換え", seg, name),
				Edits: []analyzer.Edit{e}, Safe: safe, Preferred: safe,
			})
		}
	}
	switch {
	case len(cands) > 0:
		for i, c := range cands {
			offer(c.Name, i == 0 && unique)
		}
	default:
		for i, st := range primaryStages(api) {
			if i == 4 {
				break
			}
			if !strings.EqualFold(st.Name, r.seg.Text) {
				offer(st.Name, false)
			}
		}
	}
	p.Report(d)
	return nil
}
