package rules

import (
	"github.com/gw403/gw403-lsp/analyzer"
	"github.com/gw403/gw403-lsp/analyzer/msg"
)

// SigV4WrongScope is GW112.
var SigV4WrongScope = &analyzer.Rule{
	Code:       "GW112",
	Slug:       "sigv4-wrong-scope",
	Title:      msg.Text{EN: "Signing line scoped to the wrong service or region", JA: "署名行のサービスまたはリージョンが誤っている"},
	Severity:   analyzer.Error,
	Scope:      analyzer.RequestScope,
	Standalone: true,
	Fix:        analyzer.FixAlways,
	ErrorType:  "InvalidSignatureException",
	Status:     403,
	Doc: analyzer.Doc{
		What: msg.Text{
			EN: "Checks the `service:` and `region:` of the REST Client / httpyac signing line `Authorization: AWS <id> <secret> … region:<r> service:<s>` on requests to API Gateway: an `execute-api` host, a VPC endpoint host, or a custom domain linked to an API of the workspace. The service must be `execute-api`; the region must be the one in the host name (or the linked API's region). Requests to other AWS services (`cognito-idp`, `sqs` …) and hosts that are not known to be API Gateway are not checked. Values that come from variables are checked in each environment; unresolved ones are skipped.",
			JA: "API Gateway へのリクエスト（`execute-api` ホスト、VPC エンドポイントのホスト、ワークスペースの API にリンクされたカスタムドメイン名）について、REST Client / httpyac の署名行 `Authorization: AWS <id> <secret> … region:<r> service:<s>` の `service:` と `region:` を検査します。サービスは `execute-api`、リージョンはホスト名（またはリンク先 API）のリージョンでなければなりません。他の AWS サービス（`cognito-idp`、`sqs` など）へのリクエストや API Gateway と分からないホストは対象外です。変数の値は環境ごとに検査し、解決できないものは飛ばします。",
		},
		Why: msg.Text{
			EN: "A SigV4 signature is computed for a credential scope `<date>/<region>/<service>/aws4_request`. API Gateway verifies it for its own region and the service `execute-api`; a signature scoped to another service or region never matches, whatever the keys.",
			JA: "SigV4 署名は認証情報スコープ `<日付>/<リージョン>/<サービス>/aws4_request` に対して計算されます。API Gateway は自分のリージョンとサービス `execute-api` で署名を検証するため、別のサービスやリージョンにスコープされた署名は、キーが正しくても一致しません。",
		},
		Returns: msg.Text{
			EN: "`x-amzn-errortype: InvalidSignatureException` with \"Credential should be scoped to correct service: 'execute-api'\" or \"Credential should be scoped to a valid region\", or \"The request signature we calculated does not match the signature you provided\".",
			JA: "`x-amzn-errortype: InvalidSignatureException`、メッセージは \"Credential should be scoped to correct service: 'execute-api'\"、\"Credential should be scoped to a valid region\"、または \"The request signature we calculated does not match the signature you provided\"。",
		},
		Example: msg.Text{
			EN: "```http\nGET https://a1b2c3d4e5.execute-api.ap-northeast-1.amazonaws.com/prod/orders\nAuthorization: AWS {{awsAccessKeyId}} {{awsSecretAccessKey}} region:us-east-1 service:apigateway\n```",
			JA: "```http\nGET https://a1b2c3d4e5.execute-api.ap-northeast-1.amazonaws.com/prod/orders\nAuthorization: AWS {{awsAccessKeyId}} {{awsSecretAccessKey}} region:us-east-1 service:apigateway\n```",
		},
		Fix: msg.Text{
			EN: "Use `service:execute-api` and the API's region: `region:ap-northeast-1 service:execute-api`. The quick fix replaces the value on the signing line. Replacing the service is safe; replacing a literal region is safe; replacing a region that comes from a variable is offered but not applied by `--fix` (the variable may be right in other environments).",
			JA: "`service:execute-api` と API のリージョンを指定してください（`region:ap-northeast-1 service:execute-api`）。クイックフィックスは署名行の値を置き換えます。サービスの置き換えとリテラルのリージョンの置き換えは安全です。変数から来たリージョンの置き換えは提案のみで、`--fix` では適用しません（他の環境ではその変数が正しい場合があります）。",
		},
		References: []string{
			"https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-control-access-using-iam-policies-to-invoke-api.html",
			"https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html",
			"https://github.com/Huachao/vscode-restclient#aws-signature-v4",
			"https://httpyac.github.io/guide/request.html#aws-signature-v4",
		},
	},
	Run: runSigV4WrongScope,
}

func init() { analyzer.Register(SigV4WrongScope) }

func runSigV4WrongScope(p *analyzer.Pass) error {
	rc := p.Request
	region, ok := apigwTarget(rc)
	if !ok {
		return nil
	}
	lines := sigLines(rc)
	if len(lines) == 0 {
		return nil
	}
	host := hostDisplay(rc)
	for _, h := range lines {
		a := h.H.AWS
		if o := sigOption(a, "service"); o != nil {
			v := tokenValue(h, o.Value)
			if v.Complete() && v.Text != "" && v.Text != "execute-api" {
				p.Report(analyzer.Diagnostic{
					Span: o.Span,
					Message: msg.T("the signing line scopes the signature to service %s, but API Gateway (%s) verifies it for \"execute-api\"",
						"署名行のサービスは %s ですが、API Gateway（%s）は \"execute-api\" として署名を検証します", valueDisplay(v), host),
					Fixes: []analyzer.Fix{{
						Title:     msg.Text{EN: "Replace the service with execute-api", JA: "サービスを execute-api に置き換え"},
						Edits:     []analyzer.Edit{{Span: o.Value.Span, NewText: "execute-api"}},
						Safe:      true,
						Preferred: true,
					}},
				})
			}
		}
		if region == "" {
			continue
		}
		if o := sigOption(a, "region"); o != nil {
			v := tokenValue(h, o.Value)
			if v.Complete() && v.Text != "" && v.Text != region {
				p.Report(analyzer.Diagnostic{
					Span: o.Span,
					Message: msg.T("the signing line signs for region %s, but %s is in region %q",
						"署名行のリージョンは %s ですが、%s のリージョンは %q です", valueDisplay(v), host, region),
					Fixes: []analyzer.Fix{{
						Title:     msg.T("Replace the region with %s", "リージョンを %s に置き換え", region),
						Edits:     []analyzer.Edit{{Span: o.Value.Span, NewText: region}},
						Safe:      !o.Value.Text.HasRefs(),
						Preferred: true,
					}},
				})
			}
		}
	}
	return nil
}
