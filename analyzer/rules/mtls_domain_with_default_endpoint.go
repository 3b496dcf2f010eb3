package rules

import (
	"strings"

	"github.com/gw403/gw403-lsp/analyzer"
	"github.com/gw403/gw403-lsp/analyzer/link"
	"github.com/gw403/gw403-lsp/analyzer/msg"
	"github.com/gw403/gw403-lsp/schemas/apimodel"
	"github.com/gw403/gw403-lsp/schemas/template"
	"github.com/gw403/gw403-lsp/schemas/yamlpos"
)

// MTLSDomainWithDefaultEndpoint is GW233.
var MTLSDomainWithDefaultEndpoint = &analyzer.Rule{
	Code: "GW233", Slug: "mtls-domain-with-default-endpoint",
	Title: msg.Text{
		EN: "mTLS domain can be bypassed through the default endpoint",
		JA: "mTLS のドメインをデフォルトエンドポイントで迂回できる",
	},
	Severity: analyzer.Warning, Scope: analyzer.TemplateScope,
	Fix: analyzer.FixSometimes,
	Doc: analyzer.Doc{
		What: msg.Text{
			EN: "Finds APIs mapped to a custom domain that requires mutual TLS (`MutualTlsAuthentication` with a truststore) while their default `execute-api` endpoint stays enabled (no `DisableExecuteApiEndpoint: true`).",
			JA: "相互 TLS を必須にしたカスタムドメイン（トラストストア付きの `MutualTlsAuthentication`）にマッピングされているのに、デフォルトの `execute-api` エンドポイントが有効なまま（`DisableExecuteApiEndpoint: true` がない）の API を見つけます。",
		},
		Why: msg.Text{
			EN: "Mutual TLS is enforced by the custom domain only. The default `https://{api-id}.execute-api.{region}.amazonaws.com` endpoint accepts the same requests without a client certificate, so clients can bypass mTLS. This is a security finding, not a 403: AWS recommends disabling the default endpoint for APIs behind an mTLS domain.",
			JA: "相互 TLS を強制するのはカスタムドメインだけです。デフォルトの `https://{api-id}.execute-api.{region}.amazonaws.com` エンドポイントはクライアント証明書なしで同じリクエストを受け付けるため、mTLS を迂回できます。403 ではなくセキュリティ上の指摘です。AWS は mTLS ドメインの背後の API ではデフォルトエンドポイントを無効にするよう推奨しています。",
		},
		Returns: msg.Text{
			EN: "Nothing: the request succeeds on the default endpoint without a client certificate.",
			JA: "何も返りません。デフォルトエンドポイントではクライアント証明書なしでリクエストが成功します。",
		},
		Example: msg.Text{
			EN: "```yaml\nPartnerDomain:\n  Type: AWS::ApiGateway::DomainName\n  Properties:\n    DomainName: partner.example.com\n    MutualTlsAuthentication:\n      TruststoreUri: s3://truststore-bucket/partners.pem\nPartnerApi:\n  Type: AWS::ApiGateway::RestApi\n  Properties:\n    Name: partner        # default endpoint still enabled\n```",
			JA: "```yaml\nPartnerDomain:\n  Type: AWS::ApiGateway::DomainName\n  Properties:\n    DomainName: partner.example.com\n    MutualTlsAuthentication:\n      TruststoreUri: s3://truststore-bucket/partners.pem\nPartnerApi:\n  Type: AWS::ApiGateway::RestApi\n  Properties:\n    Name: partner        # デフォルトエンドポイントが有効のまま\n```",
		},
		Fix: msg.Text{
			EN: "Set `DisableExecuteApiEndpoint: true` on the API. The quick fix does so; it is not applied by `check --fix`, because clients that still call the default endpoint (tests, other services) will then get 403 Forbidden and must move to the custom domain.",
			JA: "API に `DisableExecuteApiEndpoint: true` を設定します。クイックフィックスがこれを行いますが、デフォルトエンドポイントを呼んでいるクライアント（テストや他のサービス）は 403 Forbidden になりカスタムドメインへの移行が必要になるため、`check --fix` では適用しません。",
		},
		References: []string{
			"https://docs.aws.amazon.com/apigateway/latest/developerguide/rest-api-mutual-tls.html",
			"https://docs.aws.amazon.com/apigateway/latest/developerguide/rest-api-disable-default-endpoint.html",
		},
	},
	Run: runMTLSDomainWithDefaultEndpoint,
}

func init() { analyzer.Register(MTLSDomainWithDefaultEndpoint) }

func runMTLSDomainWithDefaultEndpoint(p *analyzer.Pass) error {
	snap := p.Snap
	seen := map[*apimodel.API]bool{}
	for _, d := range snap.Model.Domains {
		if !d.MTLS {
			continue
		}
		for _, m := range d.Mappings {
			a := m.API
			// A private API's default endpoint is reachable only from a VPC.
			if a == nil || seen[a] || a.DisableExecute || a.Origin == apimodel.OpenAPI || a.EndpointType == apimodel.Private {
				continue
			}
			if tfFile(snap, a.DisableLoc.Path) {
				if !literalAt(snap, a.DisableLoc) {
					continue // not static
				}
			} else if _, n := nodeAt(snap, a.DisableLoc); !a.DisableLoc.IsZero() && (!yamlpos.LiteralScalar(n) || !strings.EqualFold(n.Value, "false")) {
				continue // not static
			}
			seen[a] = true
			loc := a.DisableLoc
			if loc.IsZero() {
				loc = a.Loc
				if (a.Origin == apimodel.SAMImplicit || a.Origin == apimodel.Serverless) && !d.MTLSLoc.IsZero() {
					loc = d.MTLSLoc // the implicit API has no logical id; serverless.yml declares the domain
				}
			}
			name := domainLabel(snap, d)
			diag := analyzer.Diagnostic{
				Path: loc.Path, Span: loc.Span,
				Message: msg.T("%s is mapped to %s, which requires mutual TLS, but keeps its default execute-api endpoint enabled: clients can call it there without a client certificate",
					"%s は相互 TLS を必須にした %s にマッピングされていますが、デフォルトの execute-api エンドポイントが有効なままです。クライアント証明書なしでそちらから呼び出せます",
					a.Name, name),
			}
			if !d.MTLSLoc.IsZero() {
				diag.Related = []analyzer.Related{{Path: d.MTLSLoc.Path, Span: d.MTLSLoc.Span, Message: msg.T("mutual TLS of %s", "%s の相互 TLS", name.EN)}}
			}
			if f, ok := disableEndpointFix(snap, a); ok {
				diag.Fixes = []analyzer.Fix{f}
			}
			p.Report(diag)
		}
	}
	return nil
}

// disableEndpointFix sets DisableExecuteApiEndpoint to true.
func disableEndpointFix(snap *link.Snapshot, a *apimodel.API) (analyzer.Fix, bool) {
	fix := analyzer.Fix{
		Title:     msg.T("Disable the default endpoint (DisableExecuteApiEndpoint: true)", "デフォルトエンドポイントを無効にする (DisableExecuteApiEndpoint: true)"),
		Preferred: true,
	}
	if a.Origin == apimodel.Terraform {
		fix.Title = msg.T("Disable the default endpoint (disable_execute_api_endpoint = true)", "デフォルトエンドポイントを無効にする (disable_execute_api_endpoint = true)")
		var e analyzer.Edit
		ok := false
		if !a.DisableLoc.IsZero() {
			e, ok = tfSetValue(snap, a.DisableLoc, "true")
		} else if r := tfResourceAt(snap, a.LogicalID); r != nil {
			e, ok = tfInsertArgument(r, "disable_execute_api_endpoint", "true")
		}
		if !ok {
			return analyzer.Fix{}, false
		}
		fix.Edits = []analyzer.Edit{e}
		return fix, true
	}
	if !a.DisableLoc.IsZero() {
		d, n := nodeAt(snap, a.DisableLoc)
		if n == nil {
			return analyzer.Fix{}, false
		}
		// A plain `false` becomes a plain `true` (SetScalar would quote
		// it to keep it a string).
		e := yamlpos.Edit{Span: d.TokenSpan(n), NewText: "true"}
		if n.Style != 0 {
			var err error
			if e, err = d.SetScalar(n, "true"); err != nil {
				return analyzer.Fix{}, false
			}
		}
		fix.Edits = toEdits(a.DisableLoc.Path, e)
		return fix, true
	}
	if a.Origin == apimodel.Serverless {
		svc := slsService(snap, a.File)
		if svc == nil {
			return analyzer.Fix{}, false
		}
		keys := []string{"provider", "apiGateway", "disableDefaultEndpoint"}
		if a.Kind == apimodel.HTTP {
			keys[1] = "httpApi"
		}
		e, err := svc.Doc.InsertPath(svc.Doc.Root, keys, true)
		if err != nil {
			return analyzer.Fix{}, false
		}
		fix.Title = msg.T("Disable the default endpoint (provider.%s.disableDefaultEndpoint: true)", "デフォルトエンドポイントを無効にする (provider.%s.disableDefaultEndpoint: true)", keys[1])
		fix.Edits = toEdits(a.File, e)
		return fix, true
	}
	r := apiResource(snap, a)
	t := snap.Template(a.File)
	if r == nil || t == nil {
		return analyzer.Fix{}, false
	}
	switch r.Type {
	case "AWS::ApiGateway::RestApi", "AWS::ApiGatewayV2::Api", "AWS::Serverless::Api", "AWS::Serverless::HttpApi":
	default:
		return analyzer.Fix{}, false
	}
	e, err := t.Doc.InsertPath(r.Node, []string{"Properties", "DisableExecuteApiEndpoint"}, true)
	if err != nil {
		return analyzer.Fix{}, false
	}
	fix.Edits = toEdits(a.File, e)
	return fix, true
}

// apiResource returns the template resource that declares a (nil for
// standalone OpenAPI documents and implicit SAM APIs).
func apiResource(snap *link.Snapshot, a *apimodel.API) *template.Resource {
	if a.LogicalID == "" || a.Origin == apimodel.SAMImplicit {
		return nil
	}
	return resourceOf(snap, a.File, a.LogicalID)
}

// domainLabel names a custom domain for a message: its name when static,
// else the source text that sets it (`!Ref DomainName`) when short, else
// its logical id, else "its custom domain".
func domainLabel(snap *link.Snapshot, d *apimodel.Domain) msg.Text {
	if d.Name.Known && d.Name.S != "" {
		return msg.Text{EN: d.Name.S, JA: d.Name.S}
	}
	if _, n := nodeAt(snap, d.Loc); n != nil {
		if name, arg, ok := template.Intrinsic(n); ok && name == "Ref" && yamlpos.IsScalar(arg) {
			s := "!Ref " + yamlpos.Resolve(arg).Value
			return msg.Text{EN: s, JA: s}
		}
	}
	if fd := snap.Files[d.Loc.Path]; fd != nil && !d.Loc.IsZero() && d.Loc.Span.End <= len(fd.Src.Text) {
		if s := fd.Src.Slice(d.Loc.Span); s != "" && len(s) <= 80 && !strings.ContainsAny(s, "\r\n") {
			return msg.Text{EN: s, JA: s}
		}
	}
	if d.LogicalID != "" {
		return msg.Text{EN: d.LogicalID, JA: d.LogicalID}
	}
	return msg.Text{EN: "its custom domain", JA: "カスタムドメイン名"}
}
