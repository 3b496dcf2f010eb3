package rules

import (
	"strings"

	"github.com/gw403/gw403-lsp/analyzer"
	"github.com/gw403/gw403-lsp/analyzer/link"
	"github.com/gw403/gw403-lsp/analyzer/msg"
	"github.com/gw403/gw403-lsp/schemas/apimodel"
	"github.com/gw403/gw403-lsp/schemas/httpfile"
)

// UnsignedIAMRequest is GW111.
var UnsignedIAMRequest = &analyzer.Rule{
	Code: "GW111", Slug: "unsigned-iam-request",
	Title: msg.Text{
		EN: "AWS_IAM route called without a SigV4 signature",
		JA: "AWS_IAM のルートを SigV4 署名なしで呼び出している",
	},
	Severity: analyzer.Error, Scope: analyzer.RequestScope,
	Fix: analyzer.FixSometimes, ErrorType: "MissingAuthenticationTokenException", Status: 403,
	Doc: analyzer.Doc{
		What: msg.Text{
			EN: "Finds linked requests to a method or route that uses `AWS_IAM` authorization (SAM `Auth.DefaultAuthorizer: AWS_IAM` or `Authorizer: AWS_IAM`, CloudFormation `AuthorizationType: AWS_IAM`, OpenAPI `x-amazon-apigateway-auth: {type: AWS_IAM}` or a `sigv4` security scheme), REST or HTTP API, that are not signed: no dialect signing line `Authorization: AWS …`, no `AWS4-HMAC-SHA256` header, no presigned `X-Amz-Signature` query. An `Authorization` header whose value is only known when the request is sent (a `{{variable}}` a handler script sets) counts as signed.",
			JA: "`AWS_IAM` 認可を使うメソッドやルート（SAM の `Auth.DefaultAuthorizer: AWS_IAM` や `Authorizer: AWS_IAM`、CloudFormation の `AuthorizationType: AWS_IAM`、OpenAPI の `x-amazon-apigateway-auth: {type: AWS_IAM}` や `sigv4` セキュリティスキーム。REST API・HTTP API とも）へのリンクされたリクエストで、署名されていないもの（方言の署名行 `Authorization: AWS …` も、`AWS4-HMAC-SHA256` ヘッダーも、署名付き URL の `X-Amz-Signature` クエリもない）を検出します。値が送信時にしか分からない `Authorization` ヘッダー（ハンドラースクリプトが設定する `{{変数}}`）は署名済みとみなします。",
		},
		Why: msg.Text{
			EN: "An `AWS_IAM` method only accepts requests signed with Signature Version 4 by credentials whose IAM policy allows `execute-api:Invoke`. An unsigned request carries no credentials to check; a bearer token or other `Authorization` value is not a SigV4 signature either.",
			JA: "`AWS_IAM` のメソッドは、`execute-api:Invoke` を許可する IAM ポリシーを持つ認証情報で Signature Version 4 の署名をしたリクエストだけを受け付けます。署名のないリクエストには照合する認証情報がありません。ベアラートークンなど別の `Authorization` の値も SigV4 署名ではありません。",
		},
		Returns: msg.Text{
			EN: "`403` with `x-amzn-errortype: MissingAuthenticationTokenException` and `{\"message\":\"Missing Authentication Token\"}`; with a non-SigV4 `Authorization` header, `IncompleteSignatureException` (\"Authorization header requires 'Credential' parameter…\"). HTTP APIs answer `403` `{\"message\":\"Forbidden\"}`.",
			JA: "`403`、`x-amzn-errortype: MissingAuthenticationTokenException`、`{\"message\":\"Missing Authentication Token\"}`。SigV4 でない `Authorization` ヘッダーがあると `IncompleteSignatureException`（\"Authorization header requires 'Credential' parameter…\"）。HTTP API は `403` `{\"message\":\"Forbidden\"}` を返します。",
		},
		Example: msg.Text{
			EN: "```http\n# ReportsApi: Auth: { DefaultAuthorizer: AWS_IAM }\nPOST https://a1b2c3d4e5.execute-api.ap-northeast-1.amazonaws.com/Prod/reports\nContent-Type: application/json\n\n{\"month\": \"2025-01\"}\n```",
			JA: "```http\n# ReportsApi: Auth: { DefaultAuthorizer: AWS_IAM }\nPOST https://a1b2c3d4e5.execute-api.ap-northeast-1.amazonaws.com/Prod/reports\nContent-Type: application/json\n\n{\"month\": \"2025-01\"}\n```",
		},
		Fix: msg.Text{
			EN: "Let the client sign the request. VS Code REST Client and httpyac sign a request that has the line\n\n```http\nAuthorization: AWS {{awsAccessKeyId}} {{awsSecretAccessKey}} token:{{awsSessionToken}} region:ap-northeast-1 service:execute-api\n```\n\n(options in the order `token:`, `region:`, `service:`, no space after the colon). The quick fix inserts that line after the headers, with the region of the URL (or of the API, else `{{awsRegion}}`) and the environment's credential variables when it defines them (without `token:` when it defines keys but no session token). It is safe; when the request already sends another `Authorization` header, the fix replaces it and is offered but not applied by `check --fix`.\n\nJetBrains HTTP Client cannot sign SigV4 requests and sends that line as is. In a file that uses JetBrains-only syntax (`< {% %}` / `> {% %}` handler scripts) in a workspace not configured for httpyac, no line is inserted: run the file with httpyac (which also runs JetBrains handler scripts and signs the line above), or send a presigned URL or a signature computed outside the file.",
			JA: "クライアントに署名させます。VS Code REST Client と httpyac は次の行があるリクエストに署名します。\n\n```http\nAuthorization: AWS {{awsAccessKeyId}} {{awsSecretAccessKey}} token:{{awsSessionToken}} region:ap-northeast-1 service:execute-api\n```\n\n（オプションは `token:`、`region:`、`service:` の順で、コロンの後に空白を入れない）。クイックフィックスはこの行をヘッダーの後に挿入します。リージョンは URL の（なければ API の、それもなければ `{{awsRegion}}`）もの、認証情報は環境で定義された変数があればそれを使います（キーはあるがセッショントークンがない環境では `token:` を付けません）。安全に自動適用できます。リクエストがすでに別の `Authorization` ヘッダーを送っている場合はそれを置き換える修正を提案しますが、`check --fix` では適用しません。\n\nJetBrains HTTP Client は SigV4 署名ができず、この行をそのまま送ります。JetBrains 専用の構文（`< {% %}`・`> {% %}` のハンドラースクリプト）を使うファイルで、ワークスペースが httpyac 用に設定されていない場合は行を挿入しません。httpyac（JetBrains のハンドラースクリプトも実行し、上の行に署名します）でファイルを実行するか、署名付き URL やファイル外で計算した署名を送ってください。",
		},
		References: []string{
			"https://docs.aws.amazon.com/apigateway/latest/developerguide/permissions.html",
			"https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv.html",
			"https://github.com/Huachao/vscode-restclient#aws-signature-v4",
			"https://httpyac.github.io/guide/request.html",
		},
	},
	Run: runUnsignedIAMRequest,
}

func init() { analyzer.Register(UnsignedIAMRequest) }

func runUnsignedIAMRequest(p *analyzer.Pass) error {
	r := readLinkedRequest(p)
	if r.route == nil || r.route.Auth.Type != apimodel.AuthIAM || requestSigned(p.Request) {
		return nil
	}
	rc, api := p.Request, r.api
	auth := rc.Header("Authorization")
	d := analyzer.Diagnostic{
		Span: rc.Req.TargetSpan,
		Message: msg.T("%s uses AWS_IAM authorization (%s) but the request is not signed with SigV4",
			"%s は AWS_IAM 認可（%s）ですが、リクエストが SigV4 で署名されていません", methodPathLabel(rc), api.Name),
		Related: reqRelated(r.route.Auth.Loc, msg.T("AWS_IAM authorization is set here", "ここで AWS_IAM 認可が設定されています")),
	}
	if auth != nil {
		d.Span = auth.H.Span
		d.Message = msg.T("%s uses AWS_IAM authorization (%s) but the Authorization header is not a SigV4 signature",
			"%s は AWS_IAM 認可（%s）ですが、Authorization ヘッダーが SigV4 署名ではありません", methodPathLabel(rc), api.Name)
	}
	switch {
	case api.Kind == apimodel.HTTP:
		d.ErrorType = "ForbiddenException"
	case auth != nil:
		d.ErrorType = "IncompleteSignatureException"
	}
	if jetBrainsOnlyFile(p) {
		d.Message = msg.T("%s (JetBrains HTTP Client cannot sign: run this file with httpyac, or send a presigned URL)",
			"%s（JetBrains HTTP Client は署名できません。httpyac で実行するか、署名付き URL を送ってください）", d.Message)
		p.Report(d)
		return nil
	}
	line := iamSigningLine(rc, api)
	if auth != nil {
		d.Fixes = []analyzer.Fix{{
			Title: msg.T("Replace the Authorization header with a SigV4 signing line", "Authorization ヘッダーを SigV4 署名行に置き換え"),
			Edits: []analyzer.Edit{{Path: rc.Path, Span: auth.H.Span, NewText: line}},
		}}
	} else {
		d.Fixes = []analyzer.Fix{{
			Title: msg.T("Sign the request (Authorization: AWS …)", "リクエストに署名（Authorization: AWS …）"),
			Edits: []analyzer.Edit{headerInsertEdit(rc, line)},
			Safe:  true, Preferred: true,
		}}
	}
	p.Report(d)
	return nil
}

// jetBrainsOnlyFile reports whether the request file is meant for JetBrains
// HTTP Client, which cannot sign: it uses `{% %}` handler scripts and the
// workspace is not configured for httpyac (which runs them too).
func jetBrainsOnlyFile(p *analyzer.Pass) bool {
	if p.Snap.Httpyac || !p.Request.File.JetBrainsScripts {
		return false
	}
	for _, req := range p.Request.File.Requests {
		for _, list := range [][]*httpfile.Script{req.PreScripts, req.PostScripts} {
			for _, s := range list {
				if s.Syntax == "{%" {
					return true
				}
			}
		}
	}
	return false
}

// iamSigningLine is the REST Client / httpyac signing line for the request.
func iamSigningLine(rc *link.RequestContext, api *apimodel.API) string {
	ak := envVarNamed(rc, "awsAccessKeyId", "aws_access_key_id", "accessKeyId", "awsAccessKey", "access_key_id")
	sk := envVarNamed(rc, "awsSecretAccessKey", "aws_secret_access_key", "secretAccessKey", "awsSecretKey", "secret_access_key", "secretKey")
	tok := envVarNamed(rc, "awsSessionToken", "aws_session_token", "sessionToken", "awsSecurityToken", "securityToken")
	var b strings.Builder
	b.WriteString("Authorization: AWS ")
	if ak != "" && sk != "" {
		b.WriteString("{{" + ak + "}} {{" + sk + "}}")
		if tok != "" {
			b.WriteString(" token:{{" + tok + "}}")
		}
	} else {
		b.WriteString("{{awsAccessKeyId}} {{awsSecretAccessKey}} token:{{awsSessionToken}}")
	}
	b.WriteString(" region:" + iamSigningRegion(rc, api) + " service:execute-api")
	return b.String()
}

// iamSigningRegion is the region to sign for: the region of an execute-api
// URL (as the {{variable}} it comes from, when it does), the API's region,
// a region variable of the environment, else {{awsRegion}}.
func iamSigningRegion(rc *link.RequestContext, api *apimodel.API) string {
	u := rc.URL
	if reg := u.HostInfo.Region; reg != "" && u.HostStart >= 0 {
		host := u.Exp.Text[u.HostStart:u.HostEnd]
		if i := strings.Index(strings.ToLower(host), "."+reg+"."); i >= 0 {
			start := u.HostStart + i + 1
			if ps, ok := urlPieces(u.Exp); ok {
				for _, pc := range ps {
					if pc.start == start && pc.end == start+len(reg) && pc.p.Var != "" {
						return "{{" + pc.p.Var + "}}"
					}
				}
			}
		}
		return reg
	}
	if api != nil && api.Region != "" {
		return api.Region
	}
	if v := envVarNamed(rc, "awsRegion", "aws_region", "region", "AWS_DEFAULT_REGION"); v != "" {
		return "{{" + v + "}}"
	}
	return "{{awsRegion}}"
}
