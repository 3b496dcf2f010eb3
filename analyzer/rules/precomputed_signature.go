package rules

import (
	"strings"

	"github.com/gw403/gw403-lsp/analyzer"
	"github.com/gw403/gw403-lsp/analyzer/link"
	"github.com/gw403/gw403-lsp/analyzer/msg"
)

// PrecomputedSignature is GW114.
var PrecomputedSignature = &analyzer.Rule{
	Code:       "GW114",
	Slug:       "precomputed-signature",
	Title:      msg.Text{EN: "Pasted SigV4 signature or fixed X-Amz-Date", JA: "貼り付けた SigV4 署名または固定の X-Amz-Date"},
	Severity:   analyzer.Error,
	Scope:      analyzer.RequestScope,
	Standalone: true,
	Fix:        analyzer.FixAlways,
	ErrorType:  "InvalidSignatureException",
	Status:     403,
	Doc: analyzer.Doc{
		What: msg.Text{
			EN: "Finds a complete `Authorization: AWS4-HMAC-SHA256 Credential=… SignedHeaders=… Signature=…` header whose signature is written in the file (pasted from `curl -v`, Postman or the console), and a literal `X-Amz-Date` header on a request that REST Client or httpyac signs with the `Authorization: AWS …` line. Values computed at send time (a variable set by a script, `{{$timestamp}}`) are not reported.",
			JA: "ファイルに署名が書かれた完全な `Authorization: AWS4-HMAC-SHA256 Credential=… SignedHeaders=… Signature=…` ヘッダー（`curl -v`、Postman、コンソールから貼り付けたもの）と、REST Client や httpyac が `Authorization: AWS …` 行で署名するリクエストに書かれた固定の `X-Amz-Date` ヘッダーを検出します。送信時に計算される値（スクリプトで設定される変数、`{{$timestamp}}`）は報告しません。",
		},
		Why: msg.Text{
			EN: "A SigV4 signature covers the time in `X-Amz-Date` and is accepted only within 5 minutes of it. A pasted signature works once, then every later send is rejected. A fixed `X-Amz-Date` has the same effect on the signing line: the aws4 signer REST Client and httpyac use takes an existing `X-Amz-Date` header as the signing time instead of the current time.",
			JA: "SigV4 署名は `X-Amz-Date` の時刻を含み、その時刻から 5 分以内しか受け付けられません。貼り付けた署名は一度しか通らず、以降の送信はすべて拒否されます。固定の `X-Amz-Date` も署名行に同じ影響を与えます（REST Client と httpyac が使う aws4 署名ライブラリは、既存の `X-Amz-Date` ヘッダーを現在時刻の代わりに署名時刻として使います）。",
		},
		Returns: msg.Text{
			EN: "`x-amzn-errortype: InvalidSignatureException` with \"Signature expired: 20250515T162600Z is now earlier than … (… - 5 min.)\".",
			JA: "`x-amzn-errortype: InvalidSignatureException`、メッセージは \"Signature expired: 20250515T162600Z is now earlier than … (… - 5 min.)\"。",
		},
		Example: msg.Text{
			EN: "```http\nGET https://a1b2c3d4e5.execute-api.ap-northeast-1.amazonaws.com/prod/reports\nX-Amz-Date: 20250515T162600Z\nAuthorization: AWS4-HMAC-SHA256 Credential=AKIA…/20250515/ap-northeast-1/execute-api/aws4_request, SignedHeaders=host;x-amz-date, Signature=5d6f…\n```",
			JA: "```http\nGET https://a1b2c3d4e5.execute-api.ap-northeast-1.amazonaws.com/prod/reports\nX-Amz-Date: 20250515T162600Z\nAuthorization: AWS4-HMAC-SHA256 Credential=AKIA…/20250515/ap-northeast-1/execute-api/aws4_request, SignedHeaders=host;x-amz-date, Signature=5d6f…\n```",
		},
		Fix: msg.Text{
			EN: "Let the client sign each request: replace the pasted header with `Authorization: AWS {{awsAccessKeyId}} {{awsSecretAccessKey}} region:<region> service:execute-api` (add `token:{{awsSessionToken}}` for temporary credentials) and delete the `X-Amz-Date` and `X-Amz-Security-Token` headers, which the signer sets itself. The quick fix takes the region and service from the pasted credential scope; `--fix` applies it only when the environment defines the variables it uses. Deleting a fixed `X-Amz-Date` next to a signing line is always safe. The pasted `Credential=` also exposes an access key id (GW501).",
			JA: "リクエストごとにクライアントに署名させてください。貼り付けたヘッダーを `Authorization: AWS {{awsAccessKeyId}} {{awsSecretAccessKey}} region:<リージョン> service:execute-api` に置き換え（一時的な認証情報なら `token:{{awsSessionToken}}` も追加）、署名ライブラリが自分で設定する `X-Amz-Date` と `X-Amz-Security-Token` ヘッダーを削除します。クイックフィックスは貼り付けた認証情報スコープからリージョンとサービスを取ります。`--fix` は使う変数が環境で定義済みの場合だけ適用します。署名行と一緒に書かれた固定の `X-Amz-Date` の削除は常に安全です。貼り付けた `Credential=` はアクセスキー ID も露出させます（GW501）。",
		},
		References: []string{
			"https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html",
			"https://docs.aws.amazon.com/IAM/latest/UserGuide/signing-elements.html",
			"https://github.com/Huachao/vscode-restclient#aws-signature-v4",
		},
	},
	Run: runPrecomputedSignature,
}

func init() { analyzer.Register(PrecomputedSignature) }

func runPrecomputedSignature(p *analyzer.Pass) error {
	rc := p.Request
	if !notLocal(rc) {
		return nil
	}
	if h, sh := sigv4Auth(rc); h != nil {
		reportPastedSignature(p, h, sh)
		return nil
	}
	if len(sigLines(rc)) == 0 {
		return nil
	}
	for i := range rc.Headers {
		h := &rc.Headers[i]
		if !strings.EqualFold(h.H.Name, "X-Amz-Date") || h.H.Value.HasRefs() || strings.TrimSpace(h.H.Value.Raw) == "" {
			continue
		}
		p.Report(analyzer.Diagnostic{
			Span: h.H.Span,
			Message: msg.T("X-Amz-Date: %s is a fixed time: REST Client and httpyac sign with it instead of the current time, so the signature has expired",
				"X-Amz-Date: %s は固定の時刻です。REST Client と httpyac は現在時刻の代わりにこの時刻で署名するため、署名は期限切れになります", strings.TrimSpace(h.H.Value.Raw)),
			Fixes: []analyzer.Fix{{
				Title:     msg.Text{EN: "Delete the X-Amz-Date header", JA: "X-Amz-Date ヘッダーを削除"},
				Edits:     []analyzer.Edit{{Span: lineWithEOL(rc.File.Src, h.H.Span.Start)}},
				Safe:      true,
				Preferred: true,
			}},
		})
	}
	return nil
}

// reportPastedSignature reports a complete AWS4-HMAC-SHA256 header whose
// signature is written in the files (an incomplete one is GW115's).
func reportPastedSignature(p *analyzer.Pass, h *link.Header, sh sigv4Header) {
	rc := p.Request
	if _, _, incomplete := sigv4Incomplete(rc, sh); incomplete || sh.Hidden {
		return
	}
	sig := sh.Params["Signature"]
	if sig == "" || strings.IndexByte(sig, 0) >= 0 {
		return // computed when the request is sent
	}
	date := ""
	if d := rc.Header("X-Amz-Date"); d != nil && d.Value.Complete() {
		date = strings.TrimSpace(d.Value.Text)
	}
	message := msg.T("this AWS4-HMAC-SHA256 signature was computed once and pasted: API Gateway rejects it 5 minutes after it was made",
		"この AWS4-HMAC-SHA256 署名は一度計算して貼り付けたものです。API Gateway は作成から 5 分後に拒否します")
	if date != "" && !strings.ContainsRune(date, 0) {
		message = msg.T("this AWS4-HMAC-SHA256 signature was computed once and pasted: API Gateway rejects it 5 minutes after its X-Amz-Date %s",
			"この AWS4-HMAC-SHA256 署名は一度計算して貼り付けたものです。API Gateway は X-Amz-Date %s の 5 分後から拒否します", date)
	}
	region, service := "", ""
	keyID, r, s, scoped := credentialScope(sh.Params["Credential"])
	if scoped {
		region, service = r, s
	}
	if apiRegion, ok := apigwTarget(rc); ok {
		service = "execute-api"
		if apiRegion != "" {
			region = apiRegion
		}
	}
	withToken := isTempKeyID(keyID) || rc.Header("X-Amz-Security-Token") != nil
	value, ok := dialectValue(rc, region, service, withToken)
	edits := []analyzer.Edit{{Span: h.H.ValueSpan, NewText: value}}
	for _, o := range rc.Headers {
		if strings.EqualFold(o.H.Name, "X-Amz-Date") || strings.EqualFold(o.H.Name, "X-Amz-Security-Token") {
			edits = append(edits, analyzer.Edit{Span: lineWithEOL(rc.File.Src, o.H.Span.Start)})
		}
	}
	p.Report(analyzer.Diagnostic{
		Span:    h.H.Span,
		Message: message,
		Fixes: []analyzer.Fix{{
			Title:     msg.Text{EN: "Sign each request with the Authorization: AWS line", JA: "Authorization: AWS 行でリクエストごとに署名"},
			Edits:     edits,
			Safe:      ok && service != "",
			Preferred: true,
		}},
	})
}
