package analyzer

import (
	"github.com/gw403/gw403-lsp/analyzer/link"
	"github.com/gw403/gw403-lsp/analyzer/msg"
)

// ParseError is GW001: a file that cannot be read or parsed. The rest of
// the file and of the workspace is still checked where possible.
var ParseError = &Rule{
	Code:       "GW001",
	Slug:       "parse-error",
	Title:      msg.Text{EN: "File cannot be parsed", JA: "ファイルを解析できません"},
	Severity:   Error,
	Scope:      FileScope,
	Kinds:      []link.FileKind{link.KindHTTP, link.KindTemplate, link.KindOpenAPI, link.KindEnv, link.KindConfig, link.KindTerraform, link.KindServerless},
	Standalone: true,
	Doc: Doc{
		What: msg.Text{
			EN: "Reports a request file, template, OpenAPI document, Terraform file (`.tf`, `.tfvars`), `serverless.yml`, env file or `.gw403.yaml` that cannot be read or parsed: a YAML, JSON or HCL syntax error (text after a closing quote, an unclosed quote, a tab, a misindented line, a repeated key), a file that is not text, a file too large to read, an unreadable file. One finding per file, at the position of the first error (in `.gw403.yaml`, one per wrong setting). Files that are not of these kinds (`appspec.yml`, `env.json`, workflows, SDK data) are never reported. Also reports, as a warning, a value past one of the limits of evaluation (a variable that expands to more than 64 KiB, a template value that builds more than 4 MiB of text): it is left unresolved and the rules that need it stay quiet. A request file is read up to 10,000 requests and 100,000 lines outside bodies; the rest is reported and not read.",
			JA: "読み込めない、または解析できないリクエストファイル・テンプレート・OpenAPI ドキュメント・Terraform ファイル（`.tf`、`.tfvars`）・`serverless.yml`・環境ファイル・`.gw403.yaml` を報告します（YAML/JSON/HCL の構文エラー〔閉じ引用符の後の文字、閉じていない引用符、タブ、インデントの誤り、重複キー〕、テキストでないファイル、大きすぎるファイル、読み取り権限のないファイルなど）。1 ファイルにつき 1 件、最初のエラーの位置に報告します（`.gw403.yaml` では誤った設定ごとに 1 件）。これらの種類でないファイル（`appspec.yml`、`env.json`、ワークフロー、SDK データ）は報告しません。評価の上限を超える値（64 KiB を超えて展開される変数、4 MiB を超えるテキストを生成するテンプレートの値）も警告として報告します。その値は未解決として扱われ、それを必要とするルールは何も報告しません。リクエストファイルは 10,000 リクエスト・本文以外の 100,000 行までを読み、それ以降は報告して読みません。",
		},
		Why: msg.Text{
			EN: "A file that cannot be parsed is not understood: the requests and APIs it holds are not checked, so the 403s they would cause go unnoticed. CloudFormation and the HTTP clients reject the same file too.",
			JA: "解析できないファイルの内容は理解できないため、そこに含まれるリクエストや API は検査されず、起こりうる 403 も見逃されます。CloudFormation や HTTP クライアントも同じファイルを受け付けません。",
		},
		Example: msg.Text{
			EN: "```yaml\nResources:\n  OrdersApi:\n    Type: AWS::Serverless::Api\n    Properties:\n      StageName: prod\n     Auth:            # indented one space too little\n        ApiKeyRequired: true\n```",
			JA: "```yaml\nResources:\n  OrdersApi:\n    Type: AWS::Serverless::Api\n    Properties:\n      StageName: prod\n     Auth:            # インデントが 1 文字足りない\n        ApiKeyRequired: true\n```",
		},
		Fix: msg.Text{
			EN: "Fix the syntax at the reported position. There is no automatic fix: `--fix` never writes a file it cannot parse.",
			JA: "報告された位置の構文を修正してください。自動修正はありません（`--fix` は解析できないファイルを書き換えません）。",
		},
	},
	Run: func(p *Pass) error {
		if t := p.File.Template; t != nil {
			// A value whose evaluation went past a limit of output: undecided.
			for _, pr := range t.EvalProblems() {
				p.Report(Diagnostic{Span: pr.Span, Severity: Warning, Message: msg.T("%s", "%s", pr.Message)})
			}
		}
		// One finding per file, at the first problem: after a syntax error
		// the rest of a file is guesswork, and twenty findings for one
		// missing quote hide it.
		probs := p.File.Problems
		if len(probs) == 0 {
			return nil
		}
		if p.File.Kind == link.KindConfig {
			// .gw403.yaml: each wrong setting is a mistake of its own.
			for _, pr := range probs {
				p.Report(Diagnostic{Span: pr.Span, Message: msg.T("%s", "%s", pr.Message)})
			}
			return nil
		}
		first := probs[0]
		for _, pr := range probs[1:] {
			if pr.Span.Start < first.Span.Start {
				first = pr
			}
		}
		m := msg.T("%s", "%s", first.Message)
		if n := len(probs) - 1; n > 0 {
			m = msg.T("%s (and %d more problems in this file)", "%s（このファイルには他に %d 件の問題があります）", first.Message, n)
		}
		p.Report(Diagnostic{Span: first.Span, Message: m})
		return nil
	},
}

func init() { Register(ParseError) }
