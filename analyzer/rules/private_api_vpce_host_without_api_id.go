package rules

import (
	"strings"

	"github.com/gw403/gw403-lsp/analyzer"
	"github.com/gw403/gw403-lsp/analyzer/link"
	"github.com/gw403/gw403-lsp/analyzer/msg"
)

// PrivateAPIVpceHostWithoutAPIID is GW151.
var PrivateAPIVpceHostWithoutAPIID = &analyzer.Rule{
	Code:       "GW151",
	Slug:       "private-api-vpce-host-without-api-id",
	Title:      msg.Text{EN: "VPC endpoint host without the API id", JA: "API ID のない VPC エンドポイントのホスト"},
	Severity:   analyzer.Error,
	Scope:      analyzer.RequestScope,
	Standalone: true,
	Fix:        analyzer.FixAlways,
	ErrorType:  "ForbiddenException",
	Status:     403,
	Doc: analyzer.Doc{
		What: msg.Text{
			EN: "Finds a request to the public DNS name of an `execute-api` interface VPC endpoint (`vpce-….execute-api.<region>.vpce.amazonaws.com`) that names no API: it has neither an `x-apigw-api-id: <api-id>` header nor a `Host: <api-id>.execute-api.<region>.amazonaws.com` header.",
			JA: "`execute-api` インターフェイス VPC エンドポイントのパブリック DNS 名（`vpce-….execute-api.<region>.vpce.amazonaws.com`）へのリクエストで、API を指定していないものを検出します（`x-apigw-api-id: <api-id>` ヘッダーも `Host: <api-id>.execute-api.<region>.amazonaws.com` ヘッダーもない）。",
		},
		Why: msg.Text{
			EN: "One VPC endpoint serves every private API the VPC may call. Reached by the endpoint's own DNS name, API Gateway learns which API is meant only from the `x-apigw-api-id` or `Host` header; without one it cannot route the request.",
			JA: "1 つの VPC エンドポイントが、その VPC から呼べるすべてのプライベート API を受け持ちます。エンドポイント自身の DNS 名で呼ぶと、API Gateway はどの API かを `x-apigw-api-id` か `Host` ヘッダーからしか知ることができず、ない場合はリクエストをルーティングできません。",
		},
		Returns: msg.Text{
			EN: "`x-amzn-errortype: ForbiddenException` with `{\"message\":\"Forbidden\"}`.",
			JA: "`x-amzn-errortype: ForbiddenException`、本文は `{\"message\":\"Forbidden\"}`。",
		},
		Example: msg.Text{
			EN: "```http\nGET https://vpce-0a1b2c3d4e5f67890-abcdefgh.execute-api.ap-northeast-1.vpce.amazonaws.com/prod/orders\n```",
			JA: "```http\nGET https://vpce-0a1b2c3d4e5f67890-abcdefgh.execute-api.ap-northeast-1.vpce.amazonaws.com/prod/orders\n```",
		},
		Fix: msg.Text{
			EN: "Add `x-apigw-api-id: <api-id>` (or `Host: <api-id>.execute-api.<region>.amazonaws.com`), or call the endpoint-specific host `<api-id>-<vpce-id>.execute-api.<region>.amazonaws.com`. The quick fix inserts `x-apigw-api-id` with the API id when the workspace knows it (an OpenAPI export's `servers`, `.gw403.yaml` `ids`), else with an API-id variable the environment defines, else `{{apiId}}`; `--fix` applies it unless it had to invent the variable.",
			JA: "`x-apigw-api-id: <api-id>`（または `Host: <api-id>.execute-api.<region>.amazonaws.com`）を追加するか、エンドポイント固有のホスト `<api-id>-<vpce-id>.execute-api.<region>.amazonaws.com` を使ってください。クイックフィックスは `x-apigw-api-id` を挿入します。API ID がワークスペースで分かれば（OpenAPI エクスポートの `servers`、`.gw403.yaml` の `ids`）その値を、分からなければ環境で定義済みの API ID 変数を、それもなければ `{{apiId}}` を使います。変数を新たに作る場合を除き `--fix` で適用します。",
		},
		References: []string{
			"https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-private-api-test-invoke-url.html",
			"https://repost.aws/knowledge-center/api-gateway-troubleshoot-403-forbidden",
		},
	},
	Run: runPrivateAPIVpceHostWithoutAPIID,
}

func init() { analyzer.Register(PrivateAPIVpceHostWithoutAPIID) }

func runPrivateAPIVpceHostWithoutAPIID(p *analyzer.Pass) error {
	rc := p.Request
	if rc.URL.HostInfo.Kind != link.HostVPCE {
		return nil
	}
	if rc.Header("x-apigw-api-id") != nil {
		return nil
	}
	if h := rc.Header("Host"); h != nil {
		if !h.Value.Complete() {
			return nil // known only when sent
		}
		if link.ClassifyHost(strings.TrimSpace(h.Value.Text)).Kind == link.HostExecuteAPI {
			return nil
		}
	}
	id, safe := "", true
	if l := rc.Link; l != nil && l.API != nil && len(l.API.IDs) == 1 {
		id = l.API.IDs[0]
	} else {
		name, defined := pickVar(rc.EnvVars, "apiId", apiIDVarNames...)
		id, safe = "{{"+name+"}}", defined
	}
	p.Report(analyzer.Diagnostic{
		Span: hostSpan(rc),
		Message: msg.T("%s is the VPC endpoint's own DNS name: without an x-apigw-api-id or Host header naming the private API, API Gateway cannot tell which API to call",
			"%s は VPC エンドポイント自身の DNS 名です。プライベート API を指定する x-apigw-api-id ヘッダーか Host ヘッダーがないと、API Gateway はどの API を呼ぶか判断できません", hostDisplay(rc)),
		Fixes: []analyzer.Fix{{
			Title:     msg.T("Add x-apigw-api-id: %s", "x-apigw-api-id: %s を追加", id),
			Edits:     []analyzer.Edit{insertHeader(rc, "x-apigw-api-id: "+id)},
			Safe:      safe,
			Preferred: true,
		}},
	})
	return nil
}
