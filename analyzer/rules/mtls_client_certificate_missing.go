package rules

import (
	"github.com/gw403/gw403-lsp/analyzer"
	"github.com/gw403/gw403-lsp/analyzer/msg"
)

// MTLSClientCertificateMissing is GW171.
var MTLSClientCertificateMissing = &analyzer.Rule{
	Code:      "GW171",
	Slug:      "mtls-client-certificate-missing",
	Title:     msg.Text{EN: "No client certificate for a mutual TLS domain", JA: "相互 TLS のドメインにクライアント証明書がない"},
	Severity:  analyzer.Warning,
	Scope:     analyzer.RequestScope,
	Fix:       analyzer.FixNone,
	ErrorType: "ForbiddenException",
	Status:    403,
	Doc: analyzer.Doc{
		What: msg.Text{
			EN: "Finds a request to a custom domain of the workspace that requires mutual TLS (`MutualTlsAuthentication` with a truststore) when no client certificate is configured for that host in the environment the request is evaluated in. It reads the certificate settings of every client: REST Client's `rest-client.certificates` in `.vscode/settings.json`, the JetBrains `SSLConfiguration.clientCertificate` of the environment in `http-client(.private).env.json`, and httpyac's `clientCertificates` in `.httpyac.json`. A certificate configured only in your user settings is outside the workspace, hence a warning.",
			JA: "相互 TLS を要求する（トラストストア付きの `MutualTlsAuthentication`）ワークスペースのカスタムドメイン名へのリクエストで、評価中の環境にそのホストのクライアント証明書が設定されていないものを検出します。各クライアントの証明書設定を読みます: REST Client の `.vscode/settings.json` の `rest-client.certificates`、JetBrains の `http-client(.private).env.json` の環境の `SSLConfiguration.clientCertificate`、httpyac の `.httpyac.json` の `clientCertificates`。ユーザー設定だけにある証明書はワークスペースの外なので、警告にとどめます。",
		},
		Why: msg.Text{
			EN: "A domain with mutual TLS accepts only clients that present a certificate issued by a CA in its truststore. Without one the TLS handshake fails or API Gateway answers 403; with a wrong or expired one it answers 403.",
			JA: "相互 TLS のドメインは、トラストストアの CA が発行した証明書を提示するクライアントしか受け付けません。証明書がないと TLS ハンドシェイクが失敗するか 403 が返り、誤った証明書や期限切れの証明書でも 403 が返ります。",
		},
		Returns: msg.Text{
			EN: "`x-amzn-errortype: ForbiddenException` with `{\"message\":\"Forbidden\"}`, or a TLS handshake error before any HTTP answer.",
			JA: "`x-amzn-errortype: ForbiddenException`（本文 `{\"message\":\"Forbidden\"}`）、または HTTP の応答前の TLS ハンドシェイクエラー。",
		},
		Example: msg.Text{
			EN: "```yaml\nPaymentsDomain:\n  Type: AWS::ApiGateway::DomainName\n  Properties:\n    DomainName: pay.example.jp\n    MutualTlsAuthentication:\n      TruststoreUri: s3://example-truststore/ca.pem\n```\n```http\nPOST https://pay.example.jp/v1/charges\n```",
			JA: "```yaml\nPaymentsDomain:\n  Type: AWS::ApiGateway::DomainName\n  Properties:\n    DomainName: pay.example.jp\n    MutualTlsAuthentication:\n      TruststoreUri: s3://example-truststore/ca.pem\n```\n```http\nPOST https://pay.example.jp/v1/charges\n```",
		},
		Fix: msg.Text{
			EN: "Configure a client certificate for the host in the client you use:\n\n- REST Client, `.vscode/settings.json`: `\"rest-client.certificates\": {\"pay.example.jp\": {\"cert\": \"certs/client.crt\", \"key\": \"certs/client.key\"}}` (or `pfx` and `passphrase`).\n- JetBrains HTTP Client, `http-client.private.env.json`: `{\"dev\": {\"SSLConfiguration\": {\"clientCertificate\": \"certs/client.crt\", \"clientCertificateKey\": \"certs/client.key\"}}}`.\n- httpyac, `.httpyac.json`: `{\"clientCertificates\": {\"pay.example.jp\": {\"cert\": \"certs/client.crt\", \"key\": \"certs/client.key\"}}}`.\n\nKeep the key out of version control. There is no automatic fix: only you have the certificate.",
			JA: "使っているクライアントで、そのホストのクライアント証明書を設定してください。\n\n- REST Client（`.vscode/settings.json`）: `\"rest-client.certificates\": {\"pay.example.jp\": {\"cert\": \"certs/client.crt\", \"key\": \"certs/client.key\"}}`（または `pfx` と `passphrase`）。\n- JetBrains HTTP Client（`http-client.private.env.json`）: `{\"dev\": {\"SSLConfiguration\": {\"clientCertificate\": \"certs/client.crt\", \"clientCertificateKey\": \"certs/client.key\"}}}`。\n- httpyac（`.httpyac.json`）: `{\"clientCertificates\": {\"pay.example.jp\": {\"cert\": \"certs/client.crt\", \"key\": \"certs/client.key\"}}}`。\n\n秘密鍵はバージョン管理に含めないでください。証明書を持っているのは利用者だけなので、自動修正はありません。",
		},
		References: []string{
			"https://docs.aws.amazon.com/apigateway/latest/developerguide/rest-api-mutual-tls.html",
			"https://repost.aws/knowledge-center/api-gateway-403-error-mtls",
			"https://github.com/Huachao/vscode-restclient#ssl-client-certificates",
			"https://www.jetbrains.com/help/idea/http-client-variables.html#ssl-configuration",
			"https://httpyac.github.io/config/#clientcertificates",
		},
	},
	Run: runMTLSClientCertificateMissing,
}

func init() { analyzer.Register(MTLSClientCertificateMissing) }

func runMTLSClientCertificateMissing(p *analyzer.Pass) error {
	rc := p.Request
	l := rc.Link
	if l == nil || l.Domain == nil || !l.Domain.MTLS || !rc.URL.HostKnown() || rc.ClientCert {
		return nil
	}
	d := l.Domain
	owner := d.LogicalID
	if owner == "" && l.API != nil {
		owner = l.API.Name
	}
	p.Report(analyzer.Diagnostic{
		Span: hostSpan(rc),
		Message: msg.T("%s requires mutual TLS (MutualTlsAuthentication on %s), but no client certificate is configured for this host in the workspace (rest-client.certificates, SSLConfiguration or clientCertificates)",
			"%s は相互 TLS を要求します（%s の MutualTlsAuthentication）が、ワークスペースにこのホストのクライアント証明書の設定がありません（rest-client.certificates、SSLConfiguration、clientCertificates）", hostDisplay(rc), owner),
		Related: relatedAt(d.MTLSLoc, msg.T("%s requires client certificates", "%s はクライアント証明書を要求します", d.Name.S)),
	})
	return nil
}
