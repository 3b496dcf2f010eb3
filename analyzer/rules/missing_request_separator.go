package rules

import (
	"strings"

	"github.com/gw403/gw403-lsp/analyzer"
	"github.com/gw403/gw403-lsp/analyzer/link"
	"github.com/gw403/gw403-lsp/analyzer/msg"
	"github.com/gw403/gw403-lsp/schemas/httpfile"
	"github.com/gw403/gw403-lsp/schemas/source"
)

// MissingRequestSeparator is GW002.
var MissingRequestSeparator = &analyzer.Rule{
	Code:     "GW002",
	Slug:     "missing-request-separator",
	Title:    msg.Text{EN: "Request line without a ### separator", JA: "### 区切りのないリクエスト行"},
	Severity: analyzer.Warning,
	Scope:    analyzer.FileScope,
	Kinds:    []link.FileKind{link.KindHTTP},
	Fix:      analyzer.FixAlways,
	Doc: analyzer.Doc{
		What: msg.Text{
			EN: "Finds a line that looks like a request line (`METHOD https://…`) inside the headers or the body of the request above it, with no `###` separator between them. Workspaces configured for httpyac (`.httpyac.json`, `.httpyac.js`, `httpyac.config.js`, an `httpyac` key in `package.json`) and files that use syntax only httpyac reads (`{{ }}` script blocks, `# @ref`, `# @import`, `# @loop`, `# @jwt`, `gql name < file`) are not checked: httpyac starts a new request at such a line.",
			JA: "上のリクエストのヘッダーや本文の中にあり、`###` 区切りのないリクエスト行らしき行（`METHOD https://…`）を検出します。httpyac 用に設定されたワークスペース（`.httpyac.json`、`.httpyac.js`、`httpyac.config.js`、`package.json` の `httpyac` キー）と、httpyac だけが読む構文（`{{ }}` スクリプトブロック、`# @ref`、`# @import`、`# @loop`、`# @jwt`、`gql name < file`）を使うファイルは対象外です（httpyac はそこで新しいリクエストを始めます）。",
		},
		Why: msg.Text{
			EN: "VS Code REST Client and the JetBrains HTTP Client need `###` between requests. Without it the second request line is read as a (broken) header or as body text of the first request: the second request is never sent, and the first one is sent with a header or body it was not meant to have, which API Gateway may answer with an error you do not expect.",
			JA: "VS Code REST Client と JetBrains HTTP Client はリクエストの間に `###` が必要です。区切りがないと、2 つ目のリクエスト行は 1 つ目のリクエストの（不正な）ヘッダーまたは本文として読まれます。2 つ目のリクエストは送信されず、1 つ目は意図しないヘッダーや本文付きで送信され、API Gateway から予期しないエラーが返ることがあります。",
		},
		Returns: msg.Text{
			EN: "Nothing for the second request: it is never sent. The first request may fail on the client (an invalid header name) or reach API Gateway with an unexpected body.",
			JA: "2 つ目のリクエストは送信されないため応答はありません。1 つ目はクライアント側で失敗する（不正なヘッダー名）か、意図しない本文付きで API Gateway に届きます。",
		},
		Example: msg.Text{
			EN: "```http\n### List orders\nGET https://a1b2c3d4e5.execute-api.ap-northeast-1.amazonaws.com/prod/orders\nx-api-key: {{apiKey}}\nGET https://a1b2c3d4e5.execute-api.ap-northeast-1.amazonaws.com/prod/orders/42\nx-api-key: {{apiKey}}\n```",
			JA: "```http\n### 注文一覧\nGET https://a1b2c3d4e5.execute-api.ap-northeast-1.amazonaws.com/prod/orders\nx-api-key: {{apiKey}}\nGET https://a1b2c3d4e5.execute-api.ap-northeast-1.amazonaws.com/prod/orders/42\nx-api-key: {{apiKey}}\n```",
		},
		Fix: msg.Text{
			EN: "Insert a `###` line above the request line (above the `# @name` and comment lines that belong to it). The fix is safe: it makes REST Client and JetBrains read the file the way httpyac already does. If your team uses only httpyac, add a `.httpyac.json` to the workspace instead.",
			JA: "リクエスト行（とその上にある `# @name` やコメント行）の上に `###` 行を挿入してください。この修正は安全です（REST Client と JetBrains が httpyac と同じようにファイルを読むようになります）。チームが httpyac だけを使う場合は、代わりにワークスペースに `.httpyac.json` を追加してください。",
		},
		References: []string{
			"https://github.com/Huachao/vscode-restclient#usage",
			"https://www.jetbrains.com/help/idea/exploring-http-syntax.html",
			"https://httpyac.github.io/guide/request.html",
		},
	},
	Run: runMissingRequestSeparator,
}

func init() { analyzer.Register(MissingRequestSeparator) }

func runMissingRequestSeparator(p *analyzer.Pass) error {
	f := p.File.HTTP
	if f == nil || f.Binary || (p.Snap != nil && p.Snap.Httpyac) || usesHttpyacSyntax(f) {
		return nil
	}
	src := p.File.Src
	for _, r := range f.Requests {
		for _, l := range r.SuspectRequestLines {
			inBody := r.Body != nil && l.Span.Start >= r.Body.Span.Start
			shown := requestLineDisplay(l.Text)
			message := msg.T("%s sits among the headers of the request above without a ### separator: REST Client and JetBrains read it as a broken header and never send it as a request (httpyac does)",
				"%s が ### 区切りなしで上のリクエストのヘッダーの中にあります。REST Client と JetBrains はこれを不正なヘッダーとして読み、リクエストとしては送信しません（httpyac は送信します）", shown)
			if inBody {
				message = msg.T("%s sits in the body of the request above without a ### separator: REST Client and JetBrains send it as body text, never as a request (httpyac does)",
					"%s が ### 区切りなしで上のリクエストの本文の中にあります。REST Client と JetBrains はこれを本文として送信し、リクエストとしては送信しません（httpyac は送信します）", shown)
			}
			at := separatorInsertAt(src, l.Span.Start)
			eol := r.EOL
			if eol == "" {
				eol = "\n"
			}
			p.Report(analyzer.Diagnostic{
				Span:    l.Span,
				Message: message,
				Fixes: []analyzer.Fix{{
					Title:     msg.Text{EN: "Insert ### above the request line", JA: "リクエスト行の上に ### を挿入"},
					Edits:     []analyzer.Edit{{Span: source.Span{Start: at, End: at}, NewText: "###" + eol}},
					Safe:      true,
					Preferred: true,
				}},
			})
		}
	}
	return nil
}

// httpyacMetaKeys are `# @key` lines only httpyac reads.
var httpyacMetaKeys = map[string]bool{"ref": true, "forceref": true, "import": true, "loop": true, "jwt": true}

// usesHttpyacSyntax reports whether a file uses syntax only httpyac reads
// (`{{ }}` script blocks, `# @ref`, `# @import`, `# @loop`, `# @jwt`,
// `gql name < file` lines): it is written for httpyac, which splits requests
// on request lines.
func usesHttpyacSyntax(f *httpfile.File) bool {
	for _, r := range f.Requests {
		for _, s := range r.PreScripts {
			if s.Syntax == "{{" {
				return true
			}
		}
		for _, s := range r.PostScripts {
			if s.Syntax == "{{" {
				return true
			}
		}
		for _, m := range r.Meta {
			if httpyacMetaKeys[strings.ToLower(m.Key)] {
				return true
			}
		}
	}
	if f.Src != nil && strings.Contains(f.Src.Text, "gql ") {
		for _, line := range strings.Split(f.Src.Text, "\n") {
			if w := strings.Fields(line); len(w) >= 4 && w[0] == "gql" && w[2] == "<" {
				return true
			}
		}
	}
	return false
}

// requestLineDisplay shows a request line for a message: method and URL
// without query (a query may hold a key), quoted, cut when long.
func requestLineDisplay(line string) string {
	if i := strings.IndexAny(line, "?#"); i >= 0 {
		line = strings.TrimSpace(line[:i])
	}
	if f := strings.Fields(line); len(f) >= 2 && strings.HasPrefix(strings.ToUpper(f[len(f)-1]), "HTTP/") {
		line = strings.Join(f[:len(f)-1], " ")
	}
	if r := []rune(line); len(r) > 80 {
		line = string(r[:79]) + "…"
	}
	return `"` + line + `"`
}

// separatorInsertAt returns where a `###` line goes for the request line
// starting at off: above the comment lines (`# @name …`) right above it.
func separatorInsertAt(src *source.File, off int) int {
	l := src.LineOf(off)
	for l > 0 {
		prev := strings.TrimSpace(src.Slice(src.LineSpan(l - 1)))
		if prev == "" || !(strings.HasPrefix(prev, "#") || strings.HasPrefix(prev, "//")) || strings.HasPrefix(prev, "###") {
			break
		}
		l--
	}
	return src.LineStart(l)
}
