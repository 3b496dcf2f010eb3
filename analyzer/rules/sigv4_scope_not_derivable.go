package rules

import (
	"strings"

	"github.com/gw403/gw403-lsp/analyzer"
	"github.com/gw403/gw403-lsp/analyzer/link"
	"github.com/gw403/gw403-lsp/analyzer/msg"
	"github.com/gw403/gw403-lsp/schemas/httpfile"
	"github.com/gw403/gw403-lsp/schemas/source"
)

// SigV4ScopeNotDerivable is GW116.
var SigV4ScopeNotDerivable = &analyzer.Rule{
	Code:       "GW116",
	Slug:       "sigv4-scope-not-derivable",
	Title:      msg.Text{EN: "Signing scope cannot be derived from the host", JA: "ホスト名から署名スコープを導けない"},
	Severity:   analyzer.Error,
	Scope:      analyzer.RequestScope,
	Standalone: true,
	Fix:        analyzer.FixAlways,
	ErrorType:  "InvalidSignatureException",
	Status:     403,
	Doc: analyzer.Doc{
		What: msg.Text{
			EN: "Finds a REST Client / httpyac signing line `Authorization: AWS <id> <secret> …` that omits `service:` (or `region:`) on a request whose host does not name them: a VPC endpoint host (`vpce-….execute-api.<region>.vpce.amazonaws.com`), or a custom domain or CloudFront host linked to an API of the workspace. A missing `region:` is reported on a VPC endpoint host, and elsewhere when the API's region is known and is not `us-east-1`. On `execute-api` hosts both can be omitted: the client reads them from the host name.",
			JA: "ホスト名からサービスやリージョンが分からないリクエスト（VPC エンドポイントのホスト `vpce-….execute-api.<region>.vpce.amazonaws.com`、ワークスペースの API にリンクされたカスタムドメイン名や CloudFront のホスト）で、`service:`（または `region:`）を省いた REST Client / httpyac の署名行 `Authorization: AWS <id> <secret> …` を検出します。`region:` の省略は、VPC エンドポイントのホストでは常に、それ以外では API のリージョンが分かっていて `us-east-1` でない場合に報告します。`execute-api` ホストではどちらも省略できます（クライアントがホスト名から読み取ります）。",
		},
		Why: msg.Text{
			EN: "When the line names no service or region, REST Client and httpyac let the aws4 signer read them from a host of the form `<service>.<region>.amazonaws.com`. A custom domain or a CloudFront host does not have that form, so the request is signed for service `\"\"` in `us-east-1`; a VPC endpoint host gives wrong labels (the region as the service). API Gateway verifies the signature for `execute-api` in its own region, so it never matches.",
			JA: "署名行にサービスやリージョンがないと、REST Client と httpyac は aws4 署名ライブラリに `<service>.<region>.amazonaws.com` 形式のホスト名から読み取らせます。カスタムドメイン名や CloudFront のホスト名はこの形式ではないため、サービス `\"\"`・リージョン `us-east-1` で署名されます。VPC エンドポイントのホスト名では誤ったラベル（リージョンをサービスとして）を読みます。API Gateway は自分のリージョンと `execute-api` で署名を検証するため、一致しません。",
		},
		Returns: msg.Text{
			EN: "`x-amzn-errortype: InvalidSignatureException` with \"Credential should be scoped to correct service: 'execute-api'\" or \"Credential should be scoped to a valid region\".",
			JA: "`x-amzn-errortype: InvalidSignatureException`、メッセージは \"Credential should be scoped to correct service: 'execute-api'\" または \"Credential should be scoped to a valid region\"。",
		},
		Example: msg.Text{
			EN: "```http\nGET https://reports.example.jp/v1/reports\nAuthorization: AWS {{awsAccessKeyId}} {{awsSecretAccessKey}} token:{{awsSessionToken}}\n```",
			JA: "```http\nGET https://reports.example.jp/v1/reports\nAuthorization: AWS {{awsAccessKeyId}} {{awsSecretAccessKey}} token:{{awsSessionToken}}\n```",
		},
		Fix: msg.Text{
			EN: "Name the scope on the line: `… region:ap-northeast-1 service:execute-api`, after `token:` if there is one. The quick fix uses the region in the host or of the linked API, else a region variable the environment defines (`awsRegion` …), else `{{awsRegion}}`; `--fix` applies it only when the region is known or the variable is defined.",
			JA: "署名行にスコープを書いてください（`… region:ap-northeast-1 service:execute-api`、`token:` があればその後）。クイックフィックスはホスト名またはリンク先 API のリージョンを使い、分からなければ環境で定義済みのリージョン変数（`awsRegion` など）、それもなければ `{{awsRegion}}` を使います。`--fix` はリージョンが分かるか変数が定義済みの場合だけ適用します。",
		},
		References: []string{
			"https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-private-api-test-invoke-url.html",
			"https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html",
			"https://github.com/Huachao/vscode-restclient#aws-signature-v4",
			"https://httpyac.github.io/guide/request.html#aws-signature-v4",
		},
	},
	Run: runSigV4ScopeNotDerivable,
}

func init() { analyzer.Register(SigV4ScopeNotDerivable) }

// omittedOption reports whether the signing line leaves an option out for
// both clients: absent, or written with an empty value (not `key: value`,
// which GW117 reports).
func omittedOption(a *httpfile.AWSAuth, key string) (omitted bool, empty *httpfile.AWSOption) {
	o := sigOption(a, key)
	if o == nil {
		return true, nil
	}
	if !o.SpaceAfterColon && o.Value.Span.IsEmpty() {
		return true, o
	}
	return false, nil
}

func runSigV4ScopeNotDerivable(p *analyzer.Pass) error {
	rc := p.Request
	hi := rc.URL.HostInfo
	var where msg.Text
	region := ""
	vpce := false // aws4 reads a vpce host's labels as service "<region>", region "vpce"
	switch {
	case hi.Kind == link.HostVPCE:
		vpce = true
		where = msg.T("the VPC endpoint host %s (the client reads its labels as the wrong service and region)",
			"VPC エンドポイントのホスト %s（クライアントは誤ったラベルをサービス・リージョンとして読みます）", hostDisplay(rc))
		region = hi.Region
	case (hi.Kind == link.HostOther || hi.Kind == link.HostCloudFront) && rc.Link != nil && (rc.Link.API != nil || rc.Link.Domain != nil):
		kind := msg.Text{EN: "the custom domain", JA: "カスタムドメイン名"}
		if hi.Kind == link.HostCloudFront {
			kind = msg.Text{EN: "the CloudFront host", JA: "CloudFront のホスト"}
		}
		where = msg.T("%s %s (the client signs for service \"\" in us-east-1)",
			"%s %s（クライアントはサービス \"\"、リージョン us-east-1 で署名します）", kind, hostDisplay(rc))
		if rc.Link.API != nil {
			region = rc.Link.API.Region
		}
	default:
		return nil
	}
	for _, h := range sigLines(rc) {
		a := h.H.AWS
		if a.Secret.Span.IsEmpty() {
			continue
		}
		svcOmitted, svcEmpty := omittedOption(a, "service")
		regOmitted, regEmpty := omittedOption(a, "region")
		regWrong := regOmitted && (vpce || region != "" && region != "us-east-1")
		if !svcOmitted && !regWrong {
			continue
		}
		var names []string
		if regWrong || (regOmitted && svcOmitted) {
			names = append(names, "region:")
		}
		if svcOmitted {
			names = append(names, "service:")
		}
		regionText, safe := region, true
		if regionText == "" {
			name, defined := pickVar(rc.EnvVars, "awsRegion", regionVarNames...)
			regionText, safe = "{{"+name+"}}", defined
		}
		edits := scopeEdits(h, a, regOmitted && (regWrong || svcOmitted), regEmpty, svcOmitted, svcEmpty, regionText)
		p.Report(analyzer.Diagnostic{
			Span: h.H.Span,
			Message: msg.T("the signing line omits %s, which REST Client and httpyac cannot derive from %s",
				"署名行に %s がありません。REST Client と httpyac は %s からこれを導けません",
				msg.Text{EN: strings.Join(names, " and "), JA: strings.Join(names, "・")}, where),
			Fixes: []analyzer.Fix{{
				Title:     msg.T("Add the signing scope (%s)", "署名スコープを追加（%s）", scopeTitle(regOmitted && (regWrong || svcOmitted), svcOmitted, regionText)),
				Edits:     edits,
				Safe:      safe,
				Preferred: true,
			}},
		})
	}
	return nil
}

func scopeTitle(addRegion, addService bool, region string) string {
	var parts []string
	if addRegion {
		parts = append(parts, "region:"+region)
	}
	if addService {
		parts = append(parts, "service:execute-api")
	}
	return strings.Join(parts, " ")
}

// scopeEdits adds region: and service: to a signing line in canonical
// order: region before an existing service:, service at the end; an
// option written with an empty value is filled in place.
func scopeEdits(h *link.Header, a *httpfile.AWSAuth, addRegion bool, regEmpty *httpfile.AWSOption, addService bool, svcEmpty *httpfile.AWSOption, region string) []analyzer.Edit {
	end := h.H.ValueSpan.End
	var edits []analyzer.Edit
	svc := sigOption(a, "service")
	switch {
	case addRegion && regEmpty != nil:
		edits = append(edits, analyzer.Edit{Span: regEmpty.Span, NewText: "region:" + region})
	case addRegion && svc != nil && !addService:
		edits = append(edits, analyzer.Edit{Span: source.Span{Start: svc.Span.Start, End: svc.Span.Start}, NewText: "region:" + region + " "})
	case addRegion && svcEmpty != nil:
		// region goes right before the empty service: option, which is
		// replaced below.
		edits = append(edits, analyzer.Edit{Span: svcEmpty.Span, NewText: "region:" + region + " service:execute-api"})
		return edits
	case addRegion:
		edits = append(edits, analyzer.Edit{Span: source.Span{Start: end, End: end}, NewText: " region:" + region})
	}
	if addService {
		if svcEmpty != nil {
			edits = append(edits, analyzer.Edit{Span: svcEmpty.Span, NewText: "service:execute-api"})
		} else if len(edits) == 1 && edits[0].Span.Start == end && edits[0].Span.IsEmpty() {
			edits[0].NewText += " service:execute-api"
		} else {
			edits = append(edits, analyzer.Edit{Span: source.Span{Start: end, End: end}, NewText: " service:execute-api"})
		}
	}
	return edits
}
