package rules

import (
	"sort"
	"strings"

	"github.com/gw403/gw403-lsp/analyzer"
	"github.com/gw403/gw403-lsp/analyzer/link"
	"github.com/gw403/gw403-lsp/analyzer/msg"
	"github.com/gw403/gw403-lsp/schemas/apimodel"
)

// ExecuteAPIEndpointDisabled is GW161.
var ExecuteAPIEndpointDisabled = &analyzer.Rule{
	Code:      "GW161",
	Slug:      "execute-api-endpoint-disabled",
	Title:     msg.Text{EN: "Default execute-api endpoint is disabled", JA: "デフォルトの execute-api エンドポイントが無効"},
	Severity:  analyzer.Error,
	Scope:     analyzer.RequestScope,
	Fix:       analyzer.FixSometimes,
	ErrorType: "ForbiddenException",
	Status:    403,
	Doc: analyzer.Doc{
		What: msg.Text{
			EN: "Finds a request to the default `https://<api-id>.execute-api.<region>.amazonaws.com` host of an API whose template sets `DisableExecuteApiEndpoint: true`.",
			JA: "テンプレートで `DisableExecuteApiEndpoint: true` が設定された API に、デフォルトのホスト `https://<api-id>.execute-api.<region>.amazonaws.com` で送るリクエストを検出します。",
		},
		Why: msg.Text{
			EN: "Teams disable the default endpoint so that every client goes through the custom domain (often for mutual TLS or a WAF on the domain). Once it is disabled, API Gateway refuses every call to the `execute-api` host name, even with valid keys or signatures.",
			JA: "すべてのクライアントにカスタムドメイン名を通らせるため（ドメイン側の相互 TLS や WAF のため）、デフォルトのエンドポイントを無効にすることがあります。無効にすると、API Gateway は `execute-api` ホスト名への呼び出しを、キーや署名が正しくてもすべて拒否します。",
		},
		Returns: msg.Text{
			EN: "`x-amzn-errortype: ForbiddenException` with `{\"message\":\"Forbidden\"}`.",
			JA: "`x-amzn-errortype: ForbiddenException`、本文は `{\"message\":\"Forbidden\"}`。",
		},
		Example: msg.Text{
			EN: "```yaml\nOrdersApi:\n  Type: AWS::Serverless::Api\n  Properties:\n    StageName: prod\n    DisableExecuteApiEndpoint: true\n    Domain:\n      DomainName: api.example.jp\n      BasePath: [orders]\n```\n```http\nGET https://a1b2c3d4e5.execute-api.ap-northeast-1.amazonaws.com/prod/orders\n```",
			JA: "```yaml\nOrdersApi:\n  Type: AWS::Serverless::Api\n  Properties:\n    StageName: prod\n    DisableExecuteApiEndpoint: true\n    Domain:\n      DomainName: api.example.jp\n      BasePath: [orders]\n```\n```http\nGET https://a1b2c3d4e5.execute-api.ap-northeast-1.amazonaws.com/prod/orders\n```",
		},
		Fix: msg.Text{
			EN: "Call the API through the custom domain and base path that map it: `https://api.example.jp/orders/orders`. The quick fix replaces the scheme, host and stage (when the mapping selects the stage) where they are written, in the request line or in the env file that defines the base URL. It is safe when exactly one mapping fits and the part it replaces is written in one place (or all in the request line); when the host comes from an env file and the stage from the request line, editing the shared env value would leave other requests half-moved, so that fix is offered but not applied by `--fix`. With several mappings, one fix per mapping is offered. When no custom domain maps the API, there is no fix (GW231 reports the template).",
			JA: "API をマッピングしているカスタムドメイン名とベースパスで呼び出してください（`https://api.example.jp/orders/orders`）。クイックフィックスは、スキーム・ホスト・ステージ（マッピングがステージを選ぶ場合）を書かれている場所（リクエスト行、またはベース URL を定義する環境ファイル）で置き換えます。当てはまるマッピングが 1 つで、置き換える部分が 1 か所に（またはすべてリクエスト行に）書かれていれば安全です。ホストが環境ファイル、ステージがリクエスト行にある場合は、共有される環境の値を変えると他のリクエストが中途半端に移行するため、提案のみで `--fix` では適用しません。マッピングが複数あれば、マッピングごとに修正を提案します。API をマッピングするカスタムドメイン名がなければ修正はありません（テンプレート側は GW231 が報告します）。",
		},
		References: []string{
			"https://docs.aws.amazon.com/apigateway/latest/developerguide/rest-api-disable-default-endpoint.html",
			"https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-apigateway-restapi.html#cfn-apigateway-restapi-disableexecuteapiendpoint",
		},
	},
	Run: runExecuteAPIEndpointDisabled,
}

func init() { analyzer.Register(ExecuteAPIEndpointDisabled) }

// domainRoute is a custom domain mapping that serves an API.
type domainRoute struct {
	domain  *apimodel.Domain
	mapping *apimodel.Mapping
}

// prefix is the URL start that replaces scheme and host: the domain and
// base path.
func (d domainRoute) prefix() string {
	s := "https://" + strings.ToLower(d.domain.Name.S)
	if d.mapping.BasePath != "" {
		s += "/" + d.mapping.BasePath
	}
	return s
}

// domainRoutesFor returns the custom domain mappings that serve api at
// stage (nil when the stage is unknown: then only mappings that leave the
// stage in the URL fit), sorted by URL.
func domainRoutesFor(m *apimodel.Model, api *apimodel.API, stage *apimodel.Stage) []domainRoute {
	var out []domainRoute
	for _, d := range m.Domains {
		if !d.Name.Known || d.Name.S == "" {
			continue
		}
		for _, mp := range d.Mappings {
			if !mp.Known || mp.API != api || mp.StageUnknown {
				continue
			}
			if mp.Stage != "" && (stage == nil || stage.Name != mp.Stage) {
				continue
			}
			out = append(out, domainRoute{d, mp})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].prefix() < out[j].prefix() })
	return out
}

func runExecuteAPIEndpointDisabled(p *analyzer.Pass) error {
	rc := p.Request
	l := rc.Link
	if l == nil || l.API == nil || !l.API.DisableExecute || rc.URL.HostInfo.Kind != link.HostExecuteAPI {
		return nil
	}
	api := l.API
	routes := domainRoutesFor(p.Snap.Model, api, l.Stage)
	var fixes []analyzer.Fix
	for _, r := range routes {
		edits := domainEdits(rc, r)
		if edits == nil {
			continue
		}
		// Host in an env file and stage in the request line: the env value
		// is shared with other requests, which keep their stage segment.
		split := len(edits) > 1 && (edits[0].Path != rc.Path || edits[1].Path != rc.Path)
		fixes = append(fixes, analyzer.Fix{
			Title:     msg.T("Call it through %s", "%s 経由で呼び出す", r.prefix()),
			Edits:     edits,
			Safe:      len(routes) == 1 && !split,
			Preferred: len(routes) == 1,
		})
	}
	set := disableName(api) + ": true"
	if api.Origin == apimodel.Terraform {
		set = disableName(api) + " = true"
	}
	message := msg.T("%s disables its default execute-api endpoint (%s): every call to %s is refused",
		"%s はデフォルトの execute-api エンドポイントを無効にしています（%s）。%s への呼び出しはすべて拒否されます", api.Name, set, hostDisplay(rc))
	if len(routes) > 0 {
		var urls []string
		for _, r := range routes {
			urls = append(urls, r.prefix())
		}
		message = msg.T("%s; call it through %s", "%s。%s 経由で呼び出してください",
			message, msg.Text{EN: strings.Join(urls, " or "), JA: strings.Join(urls, " または ")})
	}
	p.Report(analyzer.Diagnostic{
		Span:    hostSpan(rc),
		Message: message,
		Related: relatedAt(api.DisableLoc, msg.T("%s disables the default endpoint here", "%s はここでデフォルトのエンドポイントを無効にしています", api.Name)),
		Fixes:   fixes,
	})
	return nil
}

// domainEdits rewrites the start of the request's URL for a custom domain
// mapping: scheme and host become the domain and base path, and the stage
// segment goes when the mapping selects the stage. Each part is edited
// where it is written (request line or env file); nil when a part is not
// written in one place.
func domainEdits(rc *link.RequestContext, r domainRoute) []analyzer.Edit {
	u := rc.URL
	if u.PathStart < 0 {
		return nil
	}
	end := u.PathStart
	if r.mapping.Stage != "" && rc.Link.StageSeg >= 0 && rc.Link.StageSeg < len(u.Segments) {
		end = u.Segments[rc.Link.StageSeg].End
	}
	// One edit when scheme, host and stage are written together.
	if path, span, exact := rc.URLSource(0, end); exact {
		return []analyzer.Edit{{Path: path, Span: span, NewText: r.prefix()}}
	}
	if end == u.PathStart {
		return nil
	}
	seg := u.Segments[rc.Link.StageSeg]
	hp, hs, hok := rc.URLSource(0, u.PathStart)
	sp, ss, sok := rc.URLSource(seg.Start-1, seg.End)
	if !hok || !sok {
		return nil
	}
	host := "https://" + strings.ToLower(r.domain.Name.S)
	stage := ""
	if r.mapping.BasePath != "" {
		stage = "/" + r.mapping.BasePath
	}
	return []analyzer.Edit{{Path: hp, Span: hs, NewText: host}, {Path: sp, Span: ss, NewText: stage}}
}
