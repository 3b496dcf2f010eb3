package rules

import (
	"strings"

	"github.com/gw403/gw403-lsp/analyzer"
	"github.com/gw403/gw403-lsp/analyzer/link"
	"github.com/gw403/gw403-lsp/analyzer/msg"
	"github.com/gw403/gw403-lsp/schemas/apimodel"
)

// PrivateAPINeedsPrivateDNS is GW152.
var PrivateAPINeedsPrivateDNS = &analyzer.Rule{
	Code:      "GW152",
	Slug:      "private-api-needs-private-dns",
	Title:     msg.Text{EN: "Private API called on its default host", JA: "プライベート API をデフォルトのホスト名で呼び出している"},
	Severity:  analyzer.Info,
	Scope:     analyzer.RequestScope,
	Fix:       analyzer.FixSometimes,
	ErrorType: "ForbiddenException",
	Status:    403,
	Doc: analyzer.Doc{
		What: msg.Text{
			EN: "Points out a request to a PRIVATE REST API of the workspace on its default host `<api-id>.execute-api.<region>.amazonaws.com`. That name resolves to the API only inside a VPC whose `execute-api` interface endpoint has private DNS enabled; elsewhere it resolves to the public endpoint, which does not serve private APIs.",
			JA: "ワークスペースのプライベート（PRIVATE）REST API に、デフォルトのホスト名 `<api-id>.execute-api.<region>.amazonaws.com` で送るリクエストを示します。この名前で API に届くのは、`execute-api` インターフェイス VPC エンドポイントのプライベート DNS が有効な VPC の中だけです。それ以外ではパブリックエンドポイントに解決され、プライベート API は提供されません。",
		},
		Why: msg.Text{
			EN: "Private APIs are reachable only through an interface VPC endpoint. With private DNS on, the default host name resolves to the endpoint inside that VPC. From a laptop, a CI runner, or a VPC whose endpoint has private DNS off, the same name goes to the public API Gateway endpoint and the call fails. This is environment-dependent advice, not an error.",
			JA: "プライベート API にはインターフェイス VPC エンドポイント経由でしか届きません。プライベート DNS が有効なら、その VPC 内でデフォルトのホスト名がエンドポイントに解決されます。ノート PC、CI ランナー、プライベート DNS が無効なエンドポイントの VPC からは、同じ名前がパブリックな API Gateway エンドポイントに向かい、呼び出しは失敗します。環境に依存する助言で、エラーではありません。",
		},
		Returns: msg.Text{
			EN: "From outside such a VPC: `x-amzn-errortype: ForbiddenException` with `{\"message\":\"Forbidden\"}`, or a DNS or connection error.",
			JA: "該当する VPC の外からは `x-amzn-errortype: ForbiddenException`（本文 `{\"message\":\"Forbidden\"}`）、または DNS・接続のエラー。",
		},
		Example: msg.Text{
			EN: "```yaml\nInventoryApi:\n  Type: AWS::Serverless::Api\n  Properties:\n    EndpointConfiguration:\n      Type: PRIVATE\n      VPCEndpointIds: [vpce-0a1b2c3d4e5f67890]\n```\n```http\nGET https://k7l8m9n0p1.execute-api.ap-northeast-1.amazonaws.com/prod/items\n```",
			JA: "```yaml\nInventoryApi:\n  Type: AWS::Serverless::Api\n  Properties:\n    EndpointConfiguration:\n      Type: PRIVATE\n      VPCEndpointIds: [vpce-0a1b2c3d4e5f67890]\n```\n```http\nGET https://k7l8m9n0p1.execute-api.ap-northeast-1.amazonaws.com/prod/items\n```",
		},
		Fix: msg.Text{
			EN: "Run the request from inside the VPC with private DNS enabled on its `execute-api` endpoint, or use the endpoint-specific host `<api-id>-<vpce-id>.execute-api.<region>.amazonaws.com`, which works from the VPC (and networks connected to it) whether private DNS is on or off. When the API's `VPCEndpointIds` are known, the quick fix replaces the host where it is written (the request line or the env file); with exactly one endpoint it is safe, as that host works everywhere the default one does.",
			JA: "`execute-api` エンドポイントのプライベート DNS が有効な VPC の中からリクエストするか、エンドポイント固有のホスト `<api-id>-<vpce-id>.execute-api.<region>.amazonaws.com` を使ってください。こちらはプライベート DNS の有無にかかわらず VPC（と接続されたネットワーク）から使えます。API の `VPCEndpointIds` が分かる場合、クイックフィックスはホスト名を書かれている場所（リクエスト行または環境ファイル）で置き換えます。エンドポイントが 1 つだけなら安全です（デフォルトのホスト名が使える場所ではどこでも使えます）。",
		},
		References: []string{
			"https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-private-api-test-invoke-url.html",
			"https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-private-apis.html",
		},
	},
	Run: runPrivateAPINeedsPrivateDNS,
}

func init() { analyzer.Register(PrivateAPINeedsPrivateDNS) }

func runPrivateAPINeedsPrivateDNS(p *analyzer.Pass) error {
	rc := p.Request
	l := rc.Link
	hi := rc.URL.HostInfo
	if l == nil || l.API == nil || l.API.EndpointType != apimodel.Private || hi.Kind != link.HostExecuteAPI {
		return nil
	}
	api := l.API
	var known []string
	allKnown := true
	for _, v := range api.VpcEndpointIDs {
		if v.Known && strings.HasPrefix(v.S, "vpce-") {
			known = append(known, strings.ToLower(v.S))
		} else {
			allKnown = false
		}
	}
	var fixes []analyzer.Fix
	if rc.URL.HostStart >= 0 {
		path, span, exact := rc.URLSource(rc.URL.HostStart, rc.URL.HostEnd)
		if exact {
			suffix := strings.TrimPrefix(hi.Name, hi.APIID) // ".execute-api.<region>.amazonaws.com"
			for _, id := range known {
				host := hi.APIID + "-" + id + suffix
				fixes = append(fixes, analyzer.Fix{
					Title:     msg.T("Use the endpoint-specific host %s", "エンドポイント固有のホスト %s を使う", host),
					Edits:     []analyzer.Edit{{Path: path, Span: span, NewText: host}},
					Safe:      len(known) == 1 && allKnown,
					Preferred: len(known) == 1,
				})
			}
		}
	}
	p.Report(analyzer.Diagnostic{
		Span: hostSpan(rc),
		Message: msg.T("%s is a private API: %s reaches it only from inside a VPC whose execute-api endpoint has private DNS enabled",
			"%s はプライベート API です。%s で届くのは、execute-api エンドポイントのプライベート DNS が有効な VPC の中からだけです", api.Name, hostDisplay(rc)),
		Related: relatedAt(api.EndpointLoc, msg.T("%s is PRIVATE", "%s は PRIVATE", api.Name)),
		Fixes:   fixes,
	})
	return nil
}
