package rules

import (
	"path/filepath"
	"strings"

	"github.com/gw403/gw403-lsp/analyzer"
	"github.com/gw403/gw403-lsp/analyzer/link"
	"github.com/gw403/gw403-lsp/analyzer/msg"
	"github.com/gw403/gw403-lsp/schemas/source"
)

// CDKNotSynthesized is GW003.
var CDKNotSynthesized = &analyzer.Rule{
	Code:     "GW003",
	Slug:     "cdk-not-synthesized",
	Title:    msg.Text{EN: "CDK app without synthesized templates", JA: "合成済みテンプレートのない CDK アプリ"},
	Severity: analyzer.Info,
	Scope:    analyzer.FileScope,
	Kinds:    []link.FileKind{link.KindCDKApp},
	Doc: analyzer.Doc{
		What: msg.Text{
			EN: "Notes an AWS CDK app (a `cdk.json`) whose cloud assembly (`cdk.out`, or the directory cdk.json's `output` names) holds no `*.template.json`: gw403-lsp reads the CloudFormation the CDK synthesizes, not the CDK code, so requests to this app's APIs are not linked and not checked until `cdk synth` has run. One note per app.",
			JA: "クラウドアセンブリ（`cdk.out`、または cdk.json の `output` が指すディレクトリ）に `*.template.json` がない AWS CDK アプリ（`cdk.json`）を知らせます。gw403-lsp が読むのは CDK が合成する CloudFormation で、CDK のコードではありません。そのため `cdk synth` を実行するまで、このアプリの API へのリクエストはリンクも検査もされません。アプリごとに 1 件です。",
		},
		Why: msg.Text{
			EN: "Without the synthesized templates the workspace shows no API for this app: missing API keys, unsigned requests to IAM routes and wrong stages in its request files go unreported.",
			JA: "合成済みテンプレートがないと、ワークスペースにはこのアプリの API が見えません。リクエストファイルの API キー漏れ、IAM ルートへの未署名リクエスト、ステージの誤りが報告されません。",
		},
		Example: msg.Text{
			EN: "```json\n{\n  \"app\": \"npx ts-node --prefer-ts-exts bin/orders.ts\"\n}\n```\n(no cdk.out next to it)",
			JA: "```json\n{\n  \"app\": \"npx ts-node --prefer-ts-exts bin/orders.ts\"\n}\n```\n（隣に cdk.out がない）",
		},
		Fix: msg.Text{
			EN: "Run `cdk synth` in the app's folder (it needs no AWS account for most apps), then the templates in `cdk.out` are read; re-run it after changing the CDK code. Findings in them name the construct path (`aws:cdk:path`) to change in the CDK code. To silence the note, disable GW003 in `.gw403.yaml`.",
			JA: "アプリのフォルダーで `cdk synth` を実行してください（多くのアプリでは AWS アカウントは不要です）。`cdk.out` のテンプレートが読まれるようになります。CDK のコードを変えたら再実行してください。そこでの指摘は CDK のコードで変更すべきコンストラクトパス（`aws:cdk:path`）を示します。このメモを出さないには `.gw403.yaml` で GW003 を無効にします。",
		},
		References: []string{"https://docs.aws.amazon.com/cdk/v2/guide/ref-cli-cmd-synth.html"},
	},
	Run: runCDKNotSynthesized,
}

func init() { analyzer.Register(CDKNotSynthesized) }

func runCDKNotSynthesized(p *analyzer.Pass) error {
	fd := p.File
	if fd.Src == nil {
		return nil
	}
	out := link.CDKOutDir(fd.Path, fd.Src.Text)
	for path, f := range p.Snap.Files {
		if f.CDK && strings.HasPrefix(path, out+string(filepath.Separator)) {
			return nil
		}
	}
	sp := source.Span{}
	if i := strings.Index(fd.Src.Text, `"app"`); i >= 0 {
		sp = source.Span{Start: i, End: i + len(`"app"`)}
	}
	rel := filepath.Base(out)
	p.Report(analyzer.Diagnostic{
		Span: sp,
		Message: msg.T("CDK app without synthesized templates (no %s/*.template.json): run `cdk synth` here to check requests against this app's APIs",
			"合成済みテンプレートのない CDK アプリです（%s/*.template.json がありません）。このアプリの API に対してリクエストを検査するには、ここで `cdk synth` を実行してください", rel),
	})
	return nil
}
