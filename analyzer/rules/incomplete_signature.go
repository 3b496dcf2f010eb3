package rules

import (
	"strings"

	"github.com/gw403/gw403-lsp/analyzer"
	"github.com/gw403/gw403-lsp/analyzer/msg"
)

// IncompleteSignature is GW115.
var IncompleteSignature = &analyzer.Rule{
	Code:       "GW115",
	Slug:       "incomplete-signature",
	Title:      msg.Text{EN: "Incomplete SigV4 Authorization header", JA: "不完全な SigV4 Authorization ヘッダー"},
	Severity:   analyzer.Error,
	Scope:      analyzer.RequestScope,
	Standalone: true,
	Fix:        analyzer.FixNone,
	ErrorType:  "IncompleteSignatureException",
	Status:     403,
	Doc: analyzer.Doc{
		What: msg.Text{
			EN: "Reports an `Authorization: AWS4-HMAC-SHA256 …` header that lacks `Credential`, `Signature` or `SignedHeaders`, or a request that sends one without an `X-Amz-Date` or `Date` header. Also reports, as information, the seed article's \"Authorization=allow\" case: a request to an API of the workspace whose path or method does not exist and that carries a non-SigV4 `Authorization` header (a Bearer token, a Lambda authorizer's token): API Gateway then answers with a confusing signature error instead of Missing Authentication Token. Parts only known when the request is sent (a variable set by a script) are not guessed at.",
			JA: "`Credential`、`Signature`、`SignedHeaders` のいずれかが欠けた `Authorization: AWS4-HMAC-SHA256 …` ヘッダーと、`X-Amz-Date` も `Date` ヘッダーもなしにそれを送るリクエストを報告します。また、元記事の「Authorization=allow」のケース（ワークスペースの API に存在しないパスやメソッドへ、SigV4 ではない `Authorization` ヘッダー（Bearer トークン、Lambda オーソライザー用のトークン）付きで送るリクエスト）を情報として報告します。この場合 API Gateway は Missing Authentication Token ではなく紛らわしい署名エラーを返します。送信時にしか分からない部分（スクリプトで設定される変数）は推測しません。",
		},
		Why: msg.Text{
			EN: "API Gateway parses any `Authorization` header of a request it cannot route, or of an IAM-authorized method, as SigV4: `Credential`, `SignedHeaders` and `Signature` must all be there, and the signed time must come from `X-Amz-Date` or `Date`. A header copied in part, or a bearer token sent to a path that does not exist, fails this parsing before anything else is checked.",
			JA: "API Gateway は、ルーティングできないリクエストや IAM 認証のメソッドへのリクエストの `Authorization` ヘッダーを SigV4 として解析します。`Credential`・`SignedHeaders`・`Signature` がすべて必要で、署名時刻は `X-Amz-Date` か `Date` から取られます。一部だけコピーしたヘッダーや、存在しないパスに送った Bearer トークンは、他の検査の前にこの解析で失敗します。",
		},
		Returns: msg.Text{
			EN: "`x-amzn-errortype: IncompleteSignatureException` with \"Authorization header requires 'Credential' parameter. Authorization header requires 'Signature' parameter. Authorization header requires 'SignedHeaders' parameter. Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. Authorization=…\" (the parts that apply).",
			JA: "`x-amzn-errortype: IncompleteSignatureException`、メッセージは \"Authorization header requires 'Credential' parameter. Authorization header requires 'Signature' parameter. Authorization header requires 'SignedHeaders' parameter. Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. Authorization=…\"（該当する部分）。",
		},
		Example: msg.Text{
			EN: "```http\n# Path typo: /order instead of /orders, sent with a Cognito token\nGET https://a1b2c3d4e5.execute-api.ap-northeast-1.amazonaws.com/prod/order\nAuthorization: Bearer {{idToken}}\n```",
			JA: "```http\n# パスの誤り: /orders ではなく /order、Cognito のトークン付き\nGET https://a1b2c3d4e5.execute-api.ap-northeast-1.amazonaws.com/prod/order\nAuthorization: Bearer {{idToken}}\n```",
		},
		Fix: msg.Text{
			EN: "For a hand-written SigV4 header, let the client sign instead: `Authorization: AWS {{awsAccessKeyId}} {{awsSecretAccessKey}} region:<region> service:execute-api` (REST Client, httpyac). For the \"Authorization=allow\" case, the header is not the problem: fix the path or the method (GW121, GW122 say which ones exist). There is no automatic fix.",
			JA: "手書きの SigV4 ヘッダーは、クライアントに署名させてください: `Authorization: AWS {{awsAccessKeyId}} {{awsSecretAccessKey}} region:<リージョン> service:execute-api`（REST Client、httpyac）。「Authorization=allow」のケースではヘッダーは原因ではありません。パスまたはメソッドを直してください（存在するものは GW121、GW122 が示します）。自動修正はありません。",
		},
		References: []string{
			"https://repost.aws/knowledge-center/api-gateway-troubleshoot-403-forbidden",
			"https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html",
			"https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-known-issues.html",
		},
	},
	Run: runIncompleteSignature,
}

func init() { analyzer.Register(IncompleteSignature) }

func runIncompleteSignature(p *analyzer.Pass) error {
	rc := p.Request
	if !notLocal(rc) {
		return nil
	}
	if h, sh := sigv4Auth(rc); h != nil {
		params, noDate, ok := sigv4Incomplete(rc, sh)
		if !ok {
			return nil
		}
		var message msg.Text
		list := strings.Join(params, ", ")
		switch {
		case len(params) > 0 && noDate:
			message = msg.T("the AWS4-HMAC-SHA256 Authorization header lacks %s, and the request has no X-Amz-Date or Date header",
				"AWS4-HMAC-SHA256 の Authorization ヘッダーに %s がなく、X-Amz-Date ヘッダーも Date ヘッダーもありません", list)
		case len(params) > 0:
			message = msg.T("the AWS4-HMAC-SHA256 Authorization header lacks %s", "AWS4-HMAC-SHA256 の Authorization ヘッダーに %s がありません", list)
		default:
			message = msg.T("the AWS4-HMAC-SHA256 Authorization header is sent without an X-Amz-Date or Date header",
				"AWS4-HMAC-SHA256 の Authorization ヘッダーが X-Amz-Date ヘッダーも Date ヘッダーもなしに送られています")
		}
		p.Report(analyzer.Diagnostic{Span: h.H.Span, Message: message})
		return nil
	}
	reportAuthorizationOnMissingPath(p)
	return nil
}

// reportAuthorizationOnMissingPath reports the seed's "Authorization=allow"
// row: a non-SigV4 Authorization header on a request whose method does not
// exist in the linked REST API. The path is the cause and GW121/GW122
// report it at the URL; this finding only explains the confusing error at
// the header, hence its information severity.
func reportAuthorizationOnMissingPath(p *analyzer.Pass) {
	rc := p.Request
	missing, what := pathMissing(rc)
	if !missing {
		return
	}
	h := rc.Header("Authorization")
	if h == nil || h.H.AWS != nil {
		return
	}
	words := strings.Fields(holeText(h.Value))
	if len(words) == 0 || strings.IndexByte(words[0], 0) >= 0 {
		return // only known at send time: it may be a signature
	}
	if _, ok := parseSigV4(holeText(h.Value)); ok {
		return
	}
	shown := msg.Text{EN: "a non-SigV4 value", JA: "SigV4 ではない値"}
	if len(words) > 1 && knownAuthSchemes[strings.ToLower(words[0])] {
		shown = msg.T("%s …", "%s …", words[0])
	}
	p.Report(analyzer.Diagnostic{
		Span:     h.H.Span,
		Severity: analyzer.Info,
		Message: msg.T("%s: because this request sends an Authorization header (%s), API Gateway answers IncompleteSignatureException (\"Authorization header requires 'Credential' parameter…\") instead of Missing Authentication Token; fix the path, not the header",
			"%s。このリクエストは Authorization ヘッダー（%s）を送るため、API Gateway は Missing Authentication Token ではなく IncompleteSignatureException（\"Authorization header requires 'Credential' parameter…\"）を返します。直すべきはヘッダーではなくパスです",
			what, shown),
		Related: relatedAt(rc.Link.API.Loc, msg.T("%s is defined here", "%s の定義", rc.Link.API.Name)),
	})
}
