package rules

import (
	"strings"

	"github.com/gw403/gw403-lsp/analyzer"
	"github.com/gw403/gw403-lsp/analyzer/link"
	"github.com/gw403/gw403-lsp/analyzer/msg"
	"github.com/gw403/gw403-lsp/schemas/httpfile"
	"github.com/gw403/gw403-lsp/schemas/source"
)

// SigV4LineNotPortable is GW117.
var SigV4LineNotPortable = &analyzer.Rule{
	Code:       "GW117",
	Slug:       "sigv4-line-not-portable",
	Title:      msg.Text{EN: "Signing line some clients misread", JA: "一部のクライアントが誤読する署名行"},
	Severity:   analyzer.Warning,
	Scope:      analyzer.RequestScope,
	Standalone: true,
	Fix:        analyzer.FixSometimes,
	ErrorType:  "IncompleteSignatureException",
	Status:     403,
	Doc: analyzer.Doc{
		What: msg.Text{
			EN: "Checks that the signing line `Authorization: AWS <id> <secret> [token:<t>] [region:<r>] [service:<s>]` reads the same in VS Code REST Client and httpyac: options in the order `token:`, `region:`, `service:`, each once, keys in lower case, no blank after the colon, no other words. A key in upper case or a blank after the colon is not reported when REST Client, which then ignores the value, still signs for the same service and region (the ones it reads from an `execute-api` host). Also reports a signing line in a file that uses JetBrains handler scripts (`< {% %}`) in a workspace not configured for httpyac: such a file is run in the JetBrains HTTP Client, which has no signing line.",
			JA: "署名行 `Authorization: AWS <id> <secret> [token:<t>] [region:<r>] [service:<s>]` が VS Code REST Client と httpyac で同じように読まれるかを検査します（オプションは `token:`、`region:`、`service:` の順に各 1 回、キーは小文字、コロンの後に空白なし、他の単語なし）。キーの大文字やコロンの後の空白は、REST Client がその値を無視しても同じサービス・リージョン（`execute-api` ホストから読み取るもの）で署名する場合は報告しません。また、httpyac 用に設定されていないワークスペースで JetBrains のハンドラースクリプト（`< {% %}`）を使うファイルの署名行も報告します（そのファイルは署名行を持たない JetBrains HTTP Client で実行されます）。",
		},
		Why: msg.Text{
			EN: "httpyac matches the line against one pattern with the options in that fixed order; any other shape does not match and the header is sent as written: unsigned, with the keys in it. REST Client finds each option anywhere but only in lower case, and reads `region: ap-northeast-1` as an empty region (the signer then guesses from the host). A line that works for one teammate fails for the next.",
			JA: "httpyac は署名行をオプションの順序が固定された 1 つのパターンで照合し、形が違うと一致せず、ヘッダーを書かれたまま（署名なし、キーを含んだまま）送信します。REST Client は各オプションをどこにあっても見つけますが小文字だけで、`region: ap-northeast-1` は空のリージョンとして読みます（署名ライブラリはホスト名から推測します）。あるメンバーの環境で動く行が、別のメンバーでは失敗します。",
		},
		Returns: msg.Text{
			EN: "`x-amzn-errortype: IncompleteSignatureException` (\"Authorization header requires 'Credential' parameter…\") for a header sent unsigned; `InvalidSignatureException` when a value was read as empty.",
			JA: "署名なしで送られたヘッダーには `x-amzn-errortype: IncompleteSignatureException`（\"Authorization header requires 'Credential' parameter…\"）、値が空と読まれた場合は `InvalidSignatureException`。",
		},
		Example: msg.Text{
			EN: "```http\nGET https://a1b2c3d4e5.execute-api.ap-northeast-1.amazonaws.com/prod/reports\nAuthorization: AWS {{awsAccessKeyId}} {{awsSecretAccessKey}} service:execute-api region: ap-northeast-1 token:{{awsSessionToken}}\n```",
			JA: "```http\nGET https://a1b2c3d4e5.execute-api.ap-northeast-1.amazonaws.com/prod/reports\nAuthorization: AWS {{awsAccessKeyId}} {{awsSecretAccessKey}} service:execute-api region: ap-northeast-1 token:{{awsSessionToken}}\n```",
		},
		Fix: msg.Text{
			EN: "Write the options in canonical form: `token:{{awsSessionToken}} region:ap-northeast-1 service:execute-api`. The quick fix rewrites them so; it is safe when it only reorders, lower-cases and removes blanks. When it would drop a word it does not understand (an unknown option, a repeated one, an extra word) it is offered but not applied by `--fix`. For files meant for the JetBrains HTTP Client, sign in a pre-request script or use REST Client or httpyac for these requests; there is no automatic fix.",
			JA: "オプションを正規の形で書いてください: `token:{{awsSessionToken}} region:ap-northeast-1 service:execute-api`。クイックフィックスはこの形に書き換えます。並べ替え・小文字化・空白の削除だけなら安全です。理解できない単語（未知のオプション、重複したオプション、余分な単語）を削除する場合は提案のみで、`--fix` では適用しません。JetBrains HTTP Client 用のファイルでは、事前リクエストスクリプトで署名するか、これらのリクエストには REST Client か httpyac を使ってください（自動修正はありません）。",
		},
		References: []string{
			"https://github.com/Huachao/vscode-restclient#aws-signature-v4",
			"https://httpyac.github.io/guide/request.html#aws-signature-v4",
			"https://www.jetbrains.com/help/idea/http-client-in-product-code-editor.html",
		},
	},
	Run: runSigV4LineNotPortable,
}

func init() { analyzer.Register(SigV4LineNotPortable) }

var sigOptionRank = map[string]int{"token": 0, "region": 1, "service": 2}

func runSigV4LineNotPortable(p *analyzer.Pass) error {
	rc := p.Request
	if !notLocal(rc) {
		return nil
	}
	sigs := sigLines(rc)
	if len(sigs) == 0 {
		return nil
	}
	jetbrains := !p.Snap.Httpyac && fileUsesJetBrainsPreScripts(rc)
	for _, h := range sigs {
		a := h.H.AWS
		if jetbrains {
			p.Report(analyzer.Diagnostic{
				Span: h.H.Span,
				Message: msg.T("this file uses JetBrains handler scripts (< {%% %%}), so it runs in the JetBrains HTTP Client, which has no Authorization: AWS signing line: the header is sent as written, unsigned",
					"このファイルは JetBrains のハンドラースクリプト（< {%% %%}）を使うため JetBrains HTTP Client で実行されますが、JetBrains HTTP Client には Authorization: AWS 署名行がありません。ヘッダーは署名されずに書かれたまま送信されます"),
			})
		}
		if a.AccessKeyID.Span.IsEmpty() || a.Secret.Span.IsEmpty() {
			continue // not a signing line either client reads
		}
		problems, lossy := sigLineProblems(a, restClientSameScope(rc, h))
		if len(problems) == 0 {
			continue
		}
		canonical := canonicalOptions(a)
		repl := ""
		if canonical != "" {
			repl = " " + canonical
		}
		title := msg.T("Rewrite the options as %s", "オプションを %s に書き換え", canonical)
		if canonical == "" {
			title = msg.Text{EN: "Remove the words after the credentials", JA: "認証情報の後の単語を削除"}
		}
		p.Report(analyzer.Diagnostic{
			Span: h.H.Span,
			Message: msg.T("REST Client and httpyac read this signing line differently: %s", "REST Client と httpyac でこの署名行の読み方が異なります: %s",
				msg.Join(problems, "; ", "。")),
			Fixes: []analyzer.Fix{{
				Title:     title,
				Edits:     []analyzer.Edit{{Span: source.Span{Start: a.Secret.Span.End, End: h.H.ValueSpan.End}, NewText: repl}},
				Safe:      !lossy,
				Preferred: true,
			}},
		})
	}
	return nil
}

// jetBrainsPreScriptsKey is the file memo key of
// fileUsesJetBrainsPreScripts.
type jetBrainsPreScriptsKey struct{}

// fileUsesJetBrainsPreScripts reports whether the request's file has
// `< {% %}` pre-request handler scripts, computed once per file.
func fileUsesJetBrainsPreScripts(rc *link.RequestContext) bool {
	if rc.Data == nil {
		return usesJetBrainsPreScripts(rc.File)
	}
	return rc.Data.Memo(jetBrainsPreScriptsKey{}, func() any {
		return usesJetBrainsPreScripts(rc.File)
	}).(bool)
}

// usesJetBrainsPreScripts reports whether a file has `< {% %}` pre-request
// handler scripts, JetBrains HTTP Client syntax.
func usesJetBrainsPreScripts(f *httpfile.File) bool {
	for _, r := range f.Requests {
		for _, s := range r.PreScripts {
			if s.Syntax == "{%" {
				return true
			}
		}
	}
	return false
}

// restClientSameScope returns a predicate telling whether REST Client
// signs the same way although it does not read an option (written with a
// blank after the colon, or a key not in lower case): it then signs with the
// scope the aws4 signer reads from the host, which may equal the written
// value. Unknown hosts and values count as the same: no guessing.
func restClientSameScope(rc *link.RequestContext, h *link.Header) func(*httpfile.AWSOption) bool {
	return func(o *httpfile.AWSOption) bool {
		key := strings.ToLower(o.Key)
		if key == "token" {
			return o.Value.Span.IsEmpty() // REST Client sends no session token
		}
		if !rc.URL.HostKnown() {
			return true
		}
		v := tokenValue(h, o.Value)
		if !v.Complete() {
			return true
		}
		service, region := fileAWS4Scope(rc, rc.URL.HostInfo.Name)
		if key == "service" {
			return v.Text == service
		}
		return v.Text == region
	}
}

// aws4ScopeKey is the file memo key of fileAWS4Scope.
type aws4ScopeKey struct{ host string }

// fileAWS4Scope is aws4Scope(host), computed once per host in the
// request's file (a regular expression match, asked for each option of
// each signing line).
func fileAWS4Scope(rc *link.RequestContext, host string) (service, region string) {
	if rc.Data == nil {
		return aws4Scope(host)
	}
	sc := rc.Data.Memo(aws4ScopeKey{host}, func() any {
		service, region := aws4Scope(host)
		return [2]string{service, region}
	}).([2]string)
	return sc[0], sc[1]
}

// sigLineProblems lists what makes a signing line read differently by REST
// Client and httpyac. lossy is true when the canonical rewrite drops a word.
// sameScope reports options REST Client does not read but that give the
// same signature anyway (nil: none).
func sigLineProblems(a *httpfile.AWSAuth, sameScope func(*httpfile.AWSOption) bool) (problems []msg.Text, lossy bool) {
	last := -1
	ordered := true
	seen := map[string]bool{}
	for _, o := range a.Options {
		key := strings.ToLower(o.Key)
		rank, known := sigOptionRank[key]
		if !known {
			problems = append(problems, msg.T("unknown option %s: (httpyac then sends the header unsigned)", "未知のオプション %s:（httpyac はヘッダーを署名せずに送信します）", o.Key))
			lossy = true
			continue
		}
		if seen[key] {
			problems = append(problems, msg.T("%s: is given twice (httpyac then sends the header unsigned)", "%s: が 2 回あります（httpyac はヘッダーを署名せずに送信します）", key))
			lossy = true
			continue
		}
		seen[key] = true
		if rank < last {
			ordered = false
		}
		last = rank
		if o.Key == key && !o.SpaceAfterColon {
			continue // REST Client reads it: nothing to excuse
		}
		harmless := sameScope != nil && sameScope(o)
		if o.Key != key && !harmless {
			problems = append(problems, msg.T("%s: is not in lower case (REST Client ignores it)", "%s: が小文字ではありません（REST Client は無視します）", o.Key))
		}
		if o.SpaceAfterColon && !harmless {
			problems = append(problems, msg.T("a blank after %s: (REST Client reads an empty value)", "%s: の後に空白があります（REST Client は空の値として読みます）", o.Key))
		}
	}
	if !ordered {
		problems = append([]msg.Text{msg.Text{
			EN: "the options are not in the order token:, region:, service: (httpyac then sends the header unsigned)",
			JA: "オプションが token:、region:、service: の順ではありません（httpyac はヘッダーを署名せずに送信します）",
		}}, problems...)
	}
	if n := len(a.Extra); n > 0 {
		w := msg.T("an extra word that is neither a credential nor an option (httpyac then sends the header unsigned)",
			"余分な単語（認証情報でもオプションでもない。httpyac はヘッダーを署名せずに送信します）")
		if n > 1 {
			w = msg.T("%d extra words that are neither credentials nor options (httpyac then sends the header unsigned)",
				"余分な単語 %d 個（認証情報でもオプションでもない。httpyac はヘッダーを署名せずに送信します）", n)
		}
		problems = append(problems, w)
		lossy = true
	}
	return problems, lossy
}

// canonicalOptions renders the known options in canonical form: the first
// of each key, in the order token, region, service, lower-case keys, no
// blank after the colon.
func canonicalOptions(a *httpfile.AWSAuth) string {
	var parts []string
	for _, key := range []string{"token", "region", "service"} {
		if o := sigOption(a, key); o != nil {
			parts = append(parts, key+":"+o.Value.Text.Raw)
		}
	}
	return strings.Join(parts, " ")
}
