package rules

import (
	"path/filepath"
	"sort"
	"strings"

	"github.com/gw403/gw403-lsp/analyzer"
	"github.com/gw403/gw403-lsp/analyzer/link"
	"github.com/gw403/gw403-lsp/analyzer/msg"
	"github.com/gw403/gw403-lsp/schemas/env"
	"github.com/gw403/gw403-lsp/schemas/httpfile"
	"github.com/gw403/gw403-lsp/schemas/source"
)

// HardcodedAWSCredentials is GW501.
var HardcodedAWSCredentials = &analyzer.Rule{
	Code:     "GW501",
	Slug:     "hardcoded-aws-credentials",
	Title:    msg.Text{EN: "AWS credentials written in plain text", JA: "AWS 認証情報の平文での記述"},
	Severity: analyzer.Error,
	Scope:    analyzer.FileScope,
	Kinds:    []link.FileKind{link.KindHTTP, link.KindEnv},
	Fix:      analyzer.FixSometimes,
	Doc: analyzer.Doc{
		What: msg.Text{
			EN: "Finds AWS access key ids (`AKIA…`, `ASIA…`, 20 characters) and 40-character secret access keys written in a request file or in an environment file meant to be committed (`http-client.env.json`, `.vscode/settings.json`). A 40-character value counts as a secret only where AWS credentials go: after the name of a secret access key (`awsSecretAccessKey`, `aws_secret_access_key`, `secretKey` …), as the secret of the `Authorization: AWS` line, or right after a key id; hex digests do not count, nor do AWS's documentation placeholders (`…EXAMPLE`). Files meant for secrets are never checked: `http-client.private.env.json`, `.env*` files and files git ignores. A line is reported once, however many credentials it holds; the message never shows them.",
			JA: "リクエストファイルや、コミットされる前提の環境ファイル（`http-client.env.json`、`.vscode/settings.json`）に書かれた AWS アクセスキー ID（`AKIA…`、`ASIA…`、20 文字）と 40 文字のシークレットアクセスキーを検出します。40 文字の値をシークレットとみなすのは AWS 認証情報の位置にある場合だけです（シークレットアクセスキーの名前（`awsSecretAccessKey`、`aws_secret_access_key`、`secretKey` など）の後、`Authorization: AWS` 行のシークレット、キー ID の直後）。16 進のダイジェストや AWS ドキュメントのプレースホルダー（`…EXAMPLE`）は対象外です。秘密情報を置くためのファイル（`http-client.private.env.json`、`.env*` ファイル、git が無視するファイル）は検査しません。1 行に複数あっても報告は 1 回で、メッセージに値は含めません。",
		},
		Why: msg.Text{
			EN: "Request and env files are committed and shared. Keys in them reach every clone, fork and CI log, and leaked AWS keys are abused within minutes. It is also a common source of 403s: the key in the file is rotated or expired while the one in your profile is valid.",
			JA: "リクエストファイルや環境ファイルはコミットされ共有されます。そこに書いたキーはすべてのクローン、フォーク、CI ログに届き、漏えいした AWS キーは数分で悪用されます。403 のよくある原因でもあります（ファイルのキーはローテーション済みや期限切れで、プロファイルのキーは有効）。",
		},
		Returns: msg.Text{
			EN: "Nothing specific: this is a security finding. Stale keys in files typically get `UnrecognizedClientException` / `InvalidSignatureException` 403s.",
			JA: "特定の応答はありません（セキュリティ上の指摘です）。ファイル内の古いキーは、多くの場合 `UnrecognizedClientException` / `InvalidSignatureException` の 403 になります。",
		},
		Example: msg.Text{
			EN: "```json\n// http-client.env.json\n{\n  \"dev\": {\n    \"awsAccessKeyId\": \"AKIA…\",\n    \"awsSecretAccessKey\": \"…40 characters…\"\n  }\n}\n```",
			JA: "```json\n// http-client.env.json\n{\n  \"dev\": {\n    \"awsAccessKeyId\": \"AKIA…\",\n    \"awsSecretAccessKey\": \"…40 文字…\"\n  }\n}\n```",
		},
		Fix: msg.Text{
			EN: "Keep credentials out of committed files and rotate any key that was committed.\n\n- In `http-client.env.json`: the quick fix moves the variable into the same environment of `http-client.private.env.json` next to it (JetBrains, httpyac and kulala merge that file over the public one, so requests see the same value). It is safe and offered only when the private file already exists: a fix cannot create files. Make sure git ignores the private file.\n- In a request file: reference the process environment instead, `Authorization: AWS {{$processEnv AWS_ACCESS_KEY_ID}} {{$processEnv AWS_SECRET_ACCESS_KEY}} token:{{$processEnv AWS_SESSION_TOKEN}} …` (`{{$env.NAME}}` in files for the JetBrains HTTP Client). The quick fix does this for the signing line and for `@name = value` variables; it is not applied by `--fix`, because the variables must then be set in your shell.\n- In `.vscode/settings.json`: use `{{$dotenv NAME}}` or `{{$processEnv NAME}}` in the request instead; there is no automatic fix.",
			JA: "認証情報はコミットされるファイルに置かず、コミットしてしまったキーはローテーションしてください。\n\n- `http-client.env.json` の場合: クイックフィックスは変数を隣の `http-client.private.env.json` の同じ環境へ移動します（JetBrains・httpyac・kulala はこのファイルを公開側に重ねて読むため、リクエストから見える値は変わりません）。プライベートファイルが既にある場合に限り提案し、安全です（修正でファイルは作れません）。プライベートファイルは git の無視対象にしてください。\n- リクエストファイルの場合: プロセスの環境変数を参照してください（`Authorization: AWS {{$processEnv AWS_ACCESS_KEY_ID}} {{$processEnv AWS_SECRET_ACCESS_KEY}} token:{{$processEnv AWS_SESSION_TOKEN}} …`、JetBrains HTTP Client 用のファイルでは `{{$env.NAME}}`）。クイックフィックスは署名行と `@name = value` 変数をこのように書き換えます。シェルで変数を設定する必要があるため、`--fix` では適用しません。\n- `.vscode/settings.json` の場合: リクエスト側で `{{$dotenv NAME}}` か `{{$processEnv NAME}}` を使ってください（自動修正はありません）。",
		},
		References: []string{
			"https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#remove-credentials",
			"https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_access-keys.html",
			"https://www.jetbrains.com/help/idea/http-client-variables.html#environment-variables",
			"https://github.com/Huachao/vscode-restclient#system-variables",
		},
	},
	Run: runSecretRule(credentialsInRequestFile, credentialsInEnvFile),
}

func init() { analyzer.Register(HardcodedAWSCredentials) }

func credentialsInEnvFile(p *analyzer.Pass) {
	fd := p.File
	lines := offendingEnvVars(fd, func(v *env.Value) bool {
		return scanSecrets(v.Name+": ", v.Text).any()
	})
	reportEnvSecrets(p, lines, func(vs []envVarLine) msg.Text {
		var k secretKind
		for _, ev := range vs {
			vk := scanSecrets(ev.val.Name+": ", ev.val.Text)
			k.keyID, k.tempKeyID, k.secret = k.keyID || vk.keyID, k.tempKeyID || vk.tempKeyID, k.secret || vk.secret
		}
		what := k.describe()
		where, file := envVarWhere(vs[0].env, vs[0].val), filepath.Base(fd.Path)
		return msg.T("%s holds %s in plain text in %s, a file meant to be committed",
			"%s に%sが平文で書かれています（%s はコミットされる前提のファイルです）", where, what, file)
	})
}

func credentialsInRequestFile(p *analyzer.Pass) {
	fd := p.File
	src := fd.Src
	f := fd.HTTP
	if f == nil || f.Binary || !mayHoldKey(src.Text) {
		return
	}
	cands := credentialCandidateLines(src)
	forced := map[int]bool{} // signing lines with a literal secret key
	for _, r := range f.Requests {
		for _, h := range r.Headers {
			if h.AWS != nil && !h.AWS.Secret.Span.IsEmpty() && !h.AWS.Secret.Text.HasRefs() && looksLikeSecretKey(h.AWS.Secret.Text.Raw) {
				l := src.LineOf(h.Span.Start)
				cands[l], forced[l] = true, true
			}
		}
	}
	lines := make([]int, 0, len(cands))
	for l := range cands {
		lines = append(lines, l)
	}
	sort.Ints(lines)
	var sigs map[int]*httpfile.Header
	var vars map[int]*httpfile.Var
	jetbrains := f.JetBrainsScripts
	for _, l := range lines {
		line := src.Slice(src.LineSpan(l))
		k := scanSecrets("", line)
		if forced[l] {
			k.secret = true
		}
		if !k.any() {
			continue
		}
		if sigs == nil {
			sigs, vars = map[int]*httpfile.Header{}, map[int]*httpfile.Var{}
			for _, r := range f.Requests {
				for _, h := range r.Headers {
					if h.AWS != nil {
						sigs[src.LineOf(h.Span.Start)] = h
					}
				}
			}
			for _, v := range f.Vars {
				vars[src.LineOf(v.Span.Start)] = v
			}
		}
		what := k.describe()
		what.EN = upperFirst(what.EN) // it starts the English sentence
		verb := "is"
		if k.secret && (k.keyID || k.tempKeyID) {
			verb = "are"
		}
		d := analyzer.Diagnostic{
			Span: trimmedLine(src, l),
			Message: msg.T("%[1]s %[2]s written in plain text in this request file: anyone who can read the repository can use it",
				"このリクエストファイルに%[1]sが平文で書かれています。リポジトリを読める人なら誰でも使えます", what, verb),
		}
		if fix := processEnvFix(sigs[l], vars[l], jetbrains); fix != nil {
			d.Fixes = []analyzer.Fix{*fix}
		}
		p.Report(d)
	}
}

// credentialCandidateLines returns the lines of src on which scanSecrets
// may find a credential: those holding an access key id or a 40-character
// run that looks like a secret key. It looks at the text once (neither a
// key nor a run spans a line break), not line by line.
func credentialCandidateLines(src *source.File) map[int]bool {
	cands := map[int]bool{}
	ids, _ := findKeyIDs(src.Text)
	for _, r := range ids {
		cands[src.LineOf(r[0])] = true
	}
	for _, r := range secretKeyRuns(src.Text) {
		cands[src.LineOf(r[0])] = true
	}
	return cands
}

// mayHoldKey is a quick filter: a text without "AKIA", "ASIA" or a
// secret-looking context holds no credential.
func mayHoldKey(t string) bool {
	return strings.Contains(t, "AKIA") || strings.Contains(t, "ASIA") || containsFoldASCII(t, "secret") ||
		strings.Contains(t, "AWS ") || strings.Contains(t, "aws ")
}

// containsFoldASCII reports whether t contains the lower-case ASCII word w
// in any letter case, as strings.Contains(strings.ToLower(t), w) does (no
// other character lower-cases to an ASCII letter of w but the Kelvin sign
// and the dotted capital I, which give 'k' and 'i') without copying t.
func containsFoldASCII(t, w string) bool {
	for i := 0; i+len(w) <= len(t); i++ {
		if t[i]|0x20 != w[0] {
			continue
		}
		j := 1
		for j < len(w) && t[i+j]|0x20 == w[j] {
			j++
		}
		if j == len(w) {
			return true
		}
	}
	return false
}

// processEnvFix replaces literal credentials of the signing line, or the
// literal value of an `@name = value` line, with process environment
// references. Not safe: the variables must be set in the shell.
func processEnvFix(sig *httpfile.Header, v *httpfile.Var, jetbrains bool) *analyzer.Fix {
	ref := func(name string) string {
		if jetbrains {
			return "{{$env." + name + "}}"
		}
		return "{{$processEnv " + name + "}}"
	}
	var edits []analyzer.Edit
	switch {
	case sig != nil:
		a := sig.AWS
		if t := a.AccessKeyID; !t.Span.IsEmpty() && !t.Text.HasRefs() && accessKeyIDRE.MatchString(t.Text.Raw) {
			edits = append(edits, analyzer.Edit{Span: t.Span, NewText: ref("AWS_ACCESS_KEY_ID")})
		}
		if t := a.Secret; !t.Span.IsEmpty() && !t.Text.HasRefs() && looksLikeSecretKey(t.Text.Raw) {
			edits = append(edits, analyzer.Edit{Span: t.Span, NewText: ref("AWS_SECRET_ACCESS_KEY")})
		}
		if o := sigOption(a, "token"); o != nil && !o.Value.Span.IsEmpty() && !o.Value.Text.HasRefs() && len(edits) > 0 {
			edits = append(edits, analyzer.Edit{Span: o.Value.Span, NewText: ref("AWS_SESSION_TOKEN")})
		}
	case v != nil && !v.Value.HasRefs():
		val := strings.TrimSpace(v.Value.Raw)
		name := ""
		switch {
		case accessKeyIDRE.MatchString(val):
			name = "AWS_ACCESS_KEY_ID"
		case looksLikeSecretKey(val):
			name = "AWS_SECRET_ACCESS_KEY"
		}
		if name != "" {
			start := v.Value.Span.Start + strings.Index(v.Value.Raw, val)
			edits = append(edits, analyzer.Edit{Span: source.Span{Start: start, End: start + len(val)}, NewText: ref(name)})
		}
	}
	if len(edits) == 0 {
		return nil
	}
	title := msg.Text{EN: "Read the credentials from the process environment", JA: "認証情報をプロセスの環境変数から読む"}
	return &analyzer.Fix{Title: title, Edits: edits, Preferred: true}
}

// upperFirst capitalises the first letter of an English phrase.
func upperFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
