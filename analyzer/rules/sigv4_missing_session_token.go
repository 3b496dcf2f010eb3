package rules

import (
	"strings"

	"github.com/gw403/gw403-lsp/analyzer"
	"github.com/gw403/gw403-lsp/analyzer/msg"
	"github.com/gw403/gw403-lsp/schemas/source"
)

// SigV4MissingSessionToken is GW113.
var SigV4MissingSessionToken = &analyzer.Rule{
	Code:       "GW113",
	Slug:       "sigv4-missing-session-token",
	Title:      msg.Text{EN: "Temporary credentials signed without a session token", JA: "一時的な認証情報なのにセッショントークンがない"},
	Severity:   analyzer.Error,
	Scope:      analyzer.RequestScope,
	Standalone: true,
	Fix:        analyzer.FixAlways,
	ErrorType:  "UnrecognizedClientException",
	Status:     403,
	Doc: analyzer.Doc{
		What: msg.Text{
			EN: "Finds a REST Client / httpyac signing line `Authorization: AWS <id> <secret> …` whose access key id is temporary (it starts with `ASIA`: credentials from STS, IAM Identity Center / `aws sso login`, an assumed role) and that has no `token:` option. The key id may be written on the line or come from a variable; variables are resolved in each environment (values from the shell environment are unknown and skipped).",
			JA: "REST Client / httpyac の署名行 `Authorization: AWS <id> <secret> …` のアクセスキー ID が一時的な認証情報（`ASIA` で始まる。STS、IAM Identity Center / `aws sso login`、引き受けたロールなど）なのに `token:` オプションがないものを検出します。キー ID は行に直接書かれていても変数から来ていても構いません。変数は環境ごとに解決します（シェルの環境変数の値は不明なので飛ばします）。",
		},
		Why: msg.Text{
			EN: "Temporary credentials are three values: access key id, secret access key and session token. A request signed with the first two but without the `X-Amz-Security-Token` header is rejected: AWS cannot find the temporary key without its token.",
			JA: "一時的な認証情報はアクセスキー ID・シークレットアクセスキー・セッショントークンの 3 つで 1 組です。最初の 2 つで署名しても `X-Amz-Security-Token` ヘッダーがなければ、AWS は一時キーを見つけられずリクエストを拒否します。",
		},
		Returns: msg.Text{
			EN: "`x-amzn-errortype: UnrecognizedClientException` (or `AccessDeniedException`) with \"The security token included in the request is invalid\".",
			JA: "`x-amzn-errortype: UnrecognizedClientException`（または `AccessDeniedException`）、メッセージは \"The security token included in the request is invalid\"。",
		},
		Example: msg.Text{
			EN: "```http\n# awsAccessKeyId is ASIA… (from aws sso / assume-role)\nGET https://a1b2c3d4e5.execute-api.ap-northeast-1.amazonaws.com/prod/reports\nAuthorization: AWS {{awsAccessKeyId}} {{awsSecretAccessKey}} region:ap-northeast-1 service:execute-api\n```",
			JA: "```http\n# awsAccessKeyId は ASIA…（aws sso / assume-role の一時キー）\nGET https://a1b2c3d4e5.execute-api.ap-northeast-1.amazonaws.com/prod/reports\nAuthorization: AWS {{awsAccessKeyId}} {{awsSecretAccessKey}} region:ap-northeast-1 service:execute-api\n```",
		},
		Fix: msg.Text{
			EN: "Add `token:{{awsSessionToken}}` right after the secret (options go in the order `token:`, `region:`, `service:`), and define the variable next to the key id, e.g. in `http-client.private.env.json`. The quick fix uses a session-token variable the environment already defines (`awsSessionToken`, `aws_session_token`, `sessionToken` …); it is applied by `--fix` only in that case, since a reference to an undefined variable would still fail.",
			JA: "シークレットの直後に `token:{{awsSessionToken}}` を追加し（オプションの順序は `token:`、`region:`、`service:`）、キー ID と同じ場所（例: `http-client.private.env.json`）に変数を定義してください。クイックフィックスは環境で定義済みのセッショントークン変数（`awsSessionToken`、`aws_session_token`、`sessionToken` など）を使います。その場合に限り `--fix` で適用します（未定義の変数を参照しても失敗するため）。",
		},
		References: []string{
			"https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_temp_use-resources.html",
			"https://docs.aws.amazon.com/IAM/latest/UserGuide/security-creds.html#sec-access-keys-and-secret-access-keys",
			"https://github.com/Huachao/vscode-restclient#aws-signature-v4",
		},
	},
	Run: runSigV4MissingSessionToken,
}

func init() { analyzer.Register(SigV4MissingSessionToken) }

func runSigV4MissingSessionToken(p *analyzer.Pass) error {
	rc := p.Request
	if !notLocal(rc) {
		return nil
	}
	for _, h := range sigLines(rc) {
		a := h.H.AWS
		if a.AccessKeyID.Span.IsEmpty() {
			continue
		}
		key := tokenValue(h, a.AccessKeyID)
		if !key.Complete() || !isTempKeyID(key.Text) {
			continue
		}
		tok := sigOption(a, "token")
		if tok != nil {
			if tok.SpaceAfterColon || !tok.Value.Span.IsEmpty() {
				continue // a token is given (GW117 reports a blank after the colon)
			}
		}
		where := msg.T("written on this line", "この行に直接記述")
		if len(key.Pieces) == 1 && key.Pieces[0].Var != "" {
			pc := key.Pieces[0]
			origin, _, _ := strings.Cut(pc.Origin, ", env ")
			where = msg.T("{{%s}} in %s", "%[2]s の {{%[1]s}}", pc.Var, origin)
			if origin == "" {
				where = msg.T("{{%s}}", "{{%s}}", pc.Var)
			}
		}
		name, defined := pickVar(rc.EnvVars, "awsSessionToken", tokenVarNames...)
		opt := "token:{{" + name + "}}"
		var edit analyzer.Edit
		if tok != nil {
			edit = analyzer.Edit{Span: tok.Span, NewText: opt}
		} else {
			at := a.AccessKeyID.Span.End
			if !a.Secret.Span.IsEmpty() {
				at = a.Secret.Span.End
			}
			edit = analyzer.Edit{Span: source.Span{Start: at, End: at}, NewText: " " + opt}
		}
		p.Report(analyzer.Diagnostic{
			Span: h.H.Span,
			Message: msg.T("the access key id (%s) is temporary (ASIA…) but the signing line sends no session token: add token:",
				"アクセスキー ID（%s）は一時的な認証情報（ASIA…）ですが、署名行がセッショントークンを送っていません。token: を追加してください", where),
			Fixes: []analyzer.Fix{{
				Title:     msg.T("Add %s", "%s を追加", strings.TrimSpace(opt)),
				Edits:     []analyzer.Edit{edit},
				Safe:      defined,
				Preferred: true,
			}},
		})
	}
	return nil
}
