package rules

import (
	"github.com/gw403/gw403-lsp/analyzer"
	"github.com/gw403/gw403-lsp/analyzer/msg"
	"github.com/gw403/gw403-lsp/schemas/apimodel"
)

// StageInCustomDomainURL is GW141.
var StageInCustomDomainURL = &analyzer.Rule{
	Code: "GW141", Slug: "stage-in-custom-domain-url",
	Title: msg.Text{
		EN: "Custom domain URL repeats the stage its mapping selects",
		JA: "カスタムドメイン名の URL にマッピング済みのステージが含まれている",
	},
	Severity: analyzer.Error, Scope: analyzer.RequestScope,
	Fix: analyzer.FixAlways, ErrorType: "MissingAuthenticationTokenException", Status: 403,
	Doc: analyzer.Doc{
		What: msg.Text{
			EN: "Finds requests to a custom domain whose base path mapping (`AWS::ApiGateway::BasePathMapping`, `AWS::ApiGatewayV2::ApiMapping`, a SAM `Domain`) already selects a stage, but whose path still starts with that stage's name, as in the `execute-api` URL it was copied from. It stays quiet when the path exists as written (a `{proxy+}` resource, or a resource named like the stage).",
			JA: "ベースパスマッピング（`AWS::ApiGateway::BasePathMapping`、`AWS::ApiGatewayV2::ApiMapping`、SAM の `Domain`）がすでにステージを選んでいるカスタムドメイン名へのリクエストで、コピー元の `execute-api` の URL のようにパスがそのステージ名で始まっているものを検出します。書かれたとおりのパスが存在する場合（`{proxy+}` リソースや、ステージと同じ名前のリソース）は報告しません。",
		},
		Why: msg.Text{
			EN: "A mapping names the API, the stage and the base path: the stage is not part of a custom domain URL. `https://api.example.com/prod/users` with the mapping `(none) → MyApi/prod` asks MyApi's `prod` stage for the resource `/prod/users`, which does not exist.",
			JA: "マッピングが API、ステージ、ベースパスを決めるので、カスタムドメイン名の URL にステージは含めません。マッピング `(none) → MyApi/prod` に対する `https://api.example.com/prod/users` は、MyApi の `prod` ステージに存在しないリソース `/prod/users` を要求します。",
		},
		Returns: msg.Text{
			EN: "`403` with `x-amzn-errortype: MissingAuthenticationTokenException` and `{\"message\":\"Missing Authentication Token\"}` (REST APIs); `404 Not Found` from an HTTP API.",
			JA: "`403`、`x-amzn-errortype: MissingAuthenticationTokenException`、`{\"message\":\"Missing Authentication Token\"}`（REST API）。HTTP API では `404 Not Found`。",
		},
		Example: msg.Text{
			EN: "```http\n# ApiMapping: api.example.com (none) → UsersApi / prod\nGET https://api.example.com/prod/users\n```",
			JA: "```http\n# ApiMapping: api.example.com (none) → UsersApi / prod\nGET https://api.example.com/prod/users\n```",
		},
		Fix: msg.Text{
			EN: "Drop the stage segment: `https://api.example.com/users`. The quick fix deletes it where it is written: on the request line, or in the environment file when it is part of a base-URL variable (`\"baseUrl\": \"https://api.example.com/prod\"` becomes `\"https://api.example.com\"`). It is safe.",
			JA: "ステージのセグメントを削除します: `https://api.example.com/users`。クイックフィックスは書かれている場所で削除します。リクエスト行、またはベース URL 変数の一部である場合は環境ファイルです（`\"baseUrl\": \"https://api.example.com/prod\"` は `\"https://api.example.com\"` になります）。安全に自動適用できます。",
		},
		References: []string{
			"https://docs.aws.amazon.com/apigateway/latest/developerguide/rest-api-mappings.html",
			"https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-mappings.html",
			"https://repost.aws/knowledge-center/api-gateway-troubleshoot-403-forbidden",
		},
	},
	Run: runStageInCustomDomainURL,
}

func init() { analyzer.Register(StageInCustomDomainURL) }

func runStageInCustomDomainURL(p *analyzer.Pass) error {
	r := readLinkedRequest(p)
	if r.state != stageRepeated {
		return nil
	}
	rc, api, m := p.Request, r.api, r.link.Mapping
	seg := urlRangeDisplay(rc.URL.Exp, r.seg.Start, r.seg.End)
	stage := m.Stage
	if stage == "" {
		stage = r.seg.Text
	}
	bp := m.BasePath
	if bp == "" {
		bp = "(none)"
	}
	d := analyzer.Diagnostic{
		Span: urlSegSpan(rc, r.seg),
		Message: msg.T(`%[1]s repeats the stage "%[2]s": the base path mapping %[3]s of %[4]s already selects %[5]s stage %[6]s`,
			`%[1]s にステージ "%[2]s" が含まれています: %[4]s のベースパスマッピング %[3]s がすでに %[5]s のステージ %[6]s を選んでいます`,
			methodPathLabel(rc), seg, bp, r.link.Domain.Name.S, api.Name, stage),
		Related: reqRelated(m.Loc, msg.T("base path mapping %s → %s/%s", "ベースパスマッピング %s → %s/%s", bp, api.Name, stage)),
	}
	if api.Kind == apimodel.HTTP {
		d.Status, d.ErrorType = 404, "NotFoundException"
	}
	if e, ok := deleteSegmentEdit(rc, r.seg); ok {
		d.Fixes = []analyzer.Fix{{
			Title: msg.T("Remove the stage %s from the path", "パスからステージ %s を削除", seg),
			Edits: []analyzer.Edit{e}, Safe: true, Preferred: true,
		}}
	}
	p.Report(d)
	return nil
}
