package rules

import (
	"path/filepath"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/gw403/gw403-lsp/analyzer"
	"github.com/gw403/gw403-lsp/analyzer/link"
	"github.com/gw403/gw403-lsp/analyzer/msg"
	"github.com/gw403/gw403-lsp/schemas/env"
	"github.com/gw403/gw403-lsp/schemas/httpfile"
	"github.com/gw403/gw403-lsp/schemas/yamlpos"
)

// HardcodedAPIKey is GW502.
var HardcodedAPIKey = &analyzer.Rule{
	Code:     "GW502",
	Slug:     "hardcoded-api-key",
	Title:    msg.Text{EN: "API key written in plain text", JA: "API キーの平文での記述"},
	Severity: analyzer.Warning,
	Scope:    analyzer.FileScope,
	Kinds:    []link.FileKind{link.KindHTTP, link.KindEnv},
	Fix:      analyzer.FixSometimes,
	Doc: analyzer.Doc{
		What: msg.Text{
			EN: "Finds a literal value in an `x-api-key` header of a request file (not a `{{variable}}`), and an API-key variable (`apiKey`, `api_key`, `ordersApiKey` …) with a literal value in an environment file meant to be committed (`http-client.env.json`, `.vscode/settings.json`). Only values that can be real API Gateway keys count: 20 to 128 characters, not a placeholder (`your-api-key-here`, `<api-key>`, `xxxx…`); shorter values are local test keys. Requests to `localhost` are not checked. Files meant for secrets never are: `http-client.private.env.json`, `.env*` files and files git ignores.",
			JA: "リクエストファイルの `x-api-key` ヘッダーに直接書かれた値（`{{変数}}` でないもの）と、コミットされる前提の環境ファイル（`http-client.env.json`、`.vscode/settings.json`）で API キー用の変数（`apiKey`、`api_key`、`ordersApiKey` など）に直接書かれた値を検出します。実際の API Gateway のキーでありうる値（20〜128 文字で、`your-api-key-here`、`<api-key>`、`xxxx…` のようなプレースホルダーでないもの）だけが対象で、短い値はローカル用のテストキーとみなします。`localhost` へのリクエストは対象外です。秘密情報を置くためのファイル（`http-client.private.env.json`、`.env*` ファイル、git が無視するファイル）は検査しません。",
		},
		Why: msg.Text{
			EN: "An API key identifies the caller to a usage plan: whoever reads the repository can spend your quota or call the API as you. Keys in request files also go stale when they are rotated, which then shows up as `403 Forbidden` for whoever runs the file next.",
			JA: "API キーは使用量プランに対して呼び出し元を識別します。リポジトリを読める人なら誰でもクォータを消費したり、あなたとして API を呼び出したりできます。また、リクエストファイルのキーはローテーションで古くなり、次にファイルを実行した人には `403 Forbidden` として現れます。",
		},
		Returns: msg.Text{
			EN: "Nothing specific: this is a security finding. A rotated key left in a file gets `x-amzn-errortype: ForbiddenException` \"Forbidden\".",
			JA: "特定の応答はありません（セキュリティ上の指摘です）。ファイルに残ったローテーション済みのキーは `x-amzn-errortype: ForbiddenException` \"Forbidden\" になります。",
		},
		Example: msg.Text{
			EN: "```http\nGET https://a1b2c3d4e5.execute-api.ap-northeast-1.amazonaws.com/prod/orders\nx-api-key: 7sKq2pLm9XvB4nRt6YwZ1cDf8GhJ3kMa0NbVc5Qe\n```",
			JA: "```http\nGET https://a1b2c3d4e5.execute-api.ap-northeast-1.amazonaws.com/prod/orders\nx-api-key: 7sKq2pLm9XvB4nRt6YwZ1cDf8GhJ3kMa0NbVc5Qe\n```",
		},
		Fix: msg.Text{
			EN: "Use `x-api-key: {{apiKey}}` and define `apiKey` where secrets live: `http-client.private.env.json` (JetBrains, httpyac, kulala), `{{$dotenv API_KEY}}` or `{{$processEnv API_KEY}}` (REST Client). Rotate a key that was committed.\n\nThe quick fixes:\n\n- In a request file, when `http-client.private.env.json` exists for it and defines every environment the file can run in, \"Move the key to http-client.private.env.json\" replaces the value with `{{apiKey}}` and adds `\"apiKey\": \"<value>\"` to each of those environments, so the request sends the same key in every environment. It is safe and applied by `--fix` (only when no variable `apiKey` exists yet and no REST Client or httpyac settings define environments, which would not see the private file).\n- \"Replace with {{apiKey}}\" only replaces the value. It is safe when every environment already resolves `{{apiKey}}` to this very value; otherwise the variable must be defined first, so `--fix` leaves it to you.\n- In `http-client.env.json`, the variable is moved to the same environment of `http-client.private.env.json` when that file exists (a fix cannot create files).",
			JA: "`x-api-key: {{apiKey}}` とし、`apiKey` は秘密情報を置く場所で定義してください: `http-client.private.env.json`（JetBrains、httpyac、kulala）、`{{$dotenv API_KEY}}` や `{{$processEnv API_KEY}}`（REST Client）。コミットしてしまったキーはローテーションしてください。\n\nクイックフィックス:\n\n- リクエストファイルで、対応する `http-client.private.env.json` があり、ファイルを実行しうるすべての環境を定義している場合、「キーを http-client.private.env.json に移動」は値を `{{apiKey}}` に置き換え、それらの環境すべてに `\"apiKey\": \"<値>\"` を追加します。どの環境でも同じキーが送られるので安全で、`--fix` で適用します（`apiKey` という変数がまだなく、プライベートファイルを読まない REST Client や httpyac の設定が環境を定義していない場合に限ります）。\n- 「{{apiKey}} に置き換え」は値を置き換えるだけです。すべての環境で `{{apiKey}}` がすでにこの値になる場合は安全です。そうでなければ先に変数の定義が必要なので、`--fix` では適用しません。\n- `http-client.env.json` では、隣に `http-client.private.env.json` があれば、変数をその同じ環境へ移動します（修正でファイルは作れません）。",
		},
		References: []string{
			"https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-api-usage-plans.html",
			"https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-setup-api-key-with-console.html",
			"https://www.jetbrains.com/help/idea/http-client-variables.html#environment-variables",
			"https://github.com/Huachao/vscode-restclient#environments",
		},
	},
	Run: runSecretRule(apiKeysInRequestFile, apiKeysInEnvFile),
}

func init() { analyzer.Register(HardcodedAPIKey) }

func apiKeysInEnvFile(p *analyzer.Pass) {
	fd := p.File
	lines := offendingEnvVars(fd, func(v *env.Value) bool {
		return isAPIKeyVarName(v.Name) && !v.Template.HasRefs() && looksLikeRealAPIKey(v.Text)
	})
	reportEnvSecrets(p, lines, func(vs []envVarLine) msg.Text {
		return msg.T("%s holds an API key in plain text in %s, a file meant to be committed",
			"%s に API キーが平文で書かれています（%s はコミットされる前提のファイルです）", envVarWhere(vs[0].env, vs[0].val), filepath.Base(fd.Path))
	})
}

func apiKeysInRequestFile(p *analyzer.Pass) {
	fd := p.File
	f := fd.HTTP
	if f == nil || f.Binary {
		return
	}
	for _, r := range f.Requests {
		for _, h := range r.Headers {
			if !strings.EqualFold(h.Name, "x-api-key") || h.Value.HasRefs() {
				continue
			}
			val := strings.TrimSpace(h.Value.Raw)
			if !looksLikeRealAPIKey(val) {
				continue
			}
			if literalLocalTarget(r) {
				break // a local emulator checks no keys: a test value
			}
			p.Report(analyzer.Diagnostic{
				Span: h.Span,
				Message: msg.T("the x-api-key value is written in plain text in this request file: anyone who can read the repository can call the API with it",
					"x-api-key の値がこのリクエストファイルに平文で書かれています。リポジトリを読める人なら誰でもこのキーで API を呼び出せます"),
				Fixes: apiKeyFixes(p, h, val),
			})
		}
	}
}

// literalLocalTarget reports whether a request's URL is written literally
// and goes to a local host (local emulators check no keys: test values).
func literalLocalTarget(r *httpfile.Request) bool {
	if r.Target.HasRefs() {
		return false
	}
	u := link.ParseURL(link.NewExpanded([]link.Piece{{Text: r.Target.Raw}}), "")
	return u.HostInfo.Kind == link.HostLocal
}

// apiKeyFixes returns the fixes for a literal x-api-key value: move it to
// the private env file (when that keeps every environment sending the same
// key), and replace it with a variable.
func apiKeyFixes(p *analyzer.Pass, h *httpfile.Header, val string) []analyzer.Fix {
	fd := p.File
	set := fd.EnvSet
	name, have := "apiKey", false
	if set != nil {
		var defined []string
		for _, ef := range set.Files {
			for _, e := range ef.Envs {
				for _, v := range e.Vars {
					defined = append(defined, v.Name)
				}
			}
		}
		for _, v := range fd.HTTP.Vars {
			defined = append(defined, v.Name)
		}
		name, have = pickVar(defined, "apiKey", "apiKey", "api_key", "xApiKey", "x-api-key")
	}
	replace := analyzer.Edit{Span: h.ValueSpan, NewText: "{{" + name + "}}"}
	var fixes []analyzer.Fix
	if !have {
		if mv := moveAPIKeyToPrivate(p, set, name, val, replace); mv != nil {
			fixes = append(fixes, *mv)
		}
	}
	fixes = append(fixes, analyzer.Fix{
		Title:     msg.T("Replace with {{%s}}", "{{%s}} に置き換え", name),
		Edits:     []analyzer.Edit{replace},
		Safe:      have && resolvesEverywhere(fd, set, name, val),
		Preferred: len(fixes) == 0,
	})
	return fixes
}

// resolvesEverywhere reports whether {{name}} is val in every environment
// of the request file (and it has at least one), and no file variable
// shadows it.
func resolvesEverywhere(fd *link.FileData, set *env.Set, name, val string) bool {
	for _, v := range fd.HTTP.Vars {
		if v.Name == name {
			return false
		}
	}
	names := set.Names()
	if len(names) == 0 {
		return false
	}
	for _, n := range names {
		v, ok := set.Lookup(n, name)
		if !ok || v.Text != val || v.Template.HasRefs() {
			return false
		}
	}
	return true
}

// moveAPIKeyToPrivate builds the fix that replaces the value with {{name}}
// and adds `"name": "<value>"` to every environment of the nearest
// http-client.private.env.json, when that file defines every environment
// the request file can run in and no settings file (REST Client, httpyac)
// defines environments that would not see it.
func moveAPIKeyToPrivate(p *analyzer.Pass, set *env.Set, name, val string, replace analyzer.Edit) *analyzer.Fix {
	if set == nil {
		return nil
	}
	var priv *env.EnvFile
	for _, ef := range set.Files {
		switch ef.Kind {
		case env.SourceVSCodeSettings, env.SourceHttpyacConfig:
			if len(ef.Envs) > 0 {
				return nil
			}
		case env.SourcePrivateEnvJSON:
			if priv == nil {
				priv = ef
			}
		}
	}
	if priv == nil {
		return nil
	}
	pfd := p.Snap.Files[priv.Path]
	if pfd == nil || pfd.Src == nil || len(pfd.Problems) > 0 {
		return nil
	}
	doc, err := yamlpos.Parse(pfd.Src)
	if err != nil || !doc.JSON {
		return nil
	}
	root := docRoot(doc)
	if root == nil || root.Kind != yaml.MappingNode {
		return nil
	}
	names := set.Names()
	if len(names) == 0 {
		return nil
	}
	edits := []analyzer.Edit{replace}
	for _, n := range names {
		e := yamlpos.Value(root, n)
		if e == nil || e.Kind != yaml.MappingNode {
			return nil
		}
		ins, err := doc.InsertKey(e, name, val)
		if err != nil {
			return nil
		}
		edits = append(edits, analyzer.Edit{Path: priv.Path, Span: ins.Span, NewText: ins.NewText, Secret: true})
	}
	return &analyzer.Fix{
		Title:     msg.T("Move the key to %[1]s as {{%[2]s}}", "キーを {{%[2]s}} として %[1]s に移動", env.PrivateEnvJSONName, name),
		Edits:     edits,
		Safe:      true,
		Preferred: true,
	}
}
