package rules

import (
	"strings"

	"github.com/gw403/gw403-lsp/analyzer"
	"github.com/gw403/gw403-lsp/analyzer/link"
	"github.com/gw403/gw403-lsp/analyzer/msg"
	"github.com/gw403/gw403-lsp/schemas/apimodel"
	"github.com/gw403/gw403-lsp/schemas/openapi"
	"github.com/gw403/gw403-lsp/schemas/yamlpos"
)

// APIKeySourceNotHeader is GW204.
var APIKeySourceNotHeader = &analyzer.Rule{
	Code: "GW204", Slug: "api-key-source-not-header",
	Title: msg.Text{
		EN: "OpenAPI API key scheme is not the x-api-key header",
		JA: "OpenAPI の API キースキームが x-api-key ヘッダーではない",
	},
	Severity: analyzer.Error, Scope: analyzer.TemplateScope,
	Fix: analyzer.FixSometimes, ErrorType: "ForbiddenException", Status: 403,
	Doc: analyzer.Doc{
		What: msg.Text{
			EN: "Finds OpenAPI `apiKey` security schemes used by a REST API definition (a SAM `DefinitionBody`, a RestApi `Body`, or a document with API Gateway extensions) whose `name` is not `x-api-key` or whose `in` is not `header`, while the API reads keys from the header (`ApiKeySourceType` / `x-amazon-apigateway-api-key-source` absent or `HEADER`). Schemes that define a Lambda or Cognito authorizer (`x-amazon-apigateway-authtype`) are not API keys and are not checked.",
			JA: "REST API の定義（SAM の `DefinitionBody`、RestApi の `Body`、API Gateway 拡張を含むドキュメント）が使う OpenAPI の `apiKey` セキュリティスキームのうち、API がヘッダーからキーを読む（`ApiKeySourceType` / `x-amazon-apigateway-api-key-source` がないか `HEADER`）のに、`name` が `x-api-key` でないもの、または `in` が `header` でないものを見つけます。Lambda や Cognito のオーソライザーを定義するスキーム（`x-amazon-apigateway-authtype`）は API キーではないので対象外です。",
		},
		Why: msg.Text{
			EN: "API Gateway turns such a scheme into \"API key required\" and then reads the key only from the `x-api-key` header, whatever `name` and `in` say. Clients, SDKs and documentation generated from the definition send the key as `?api_key=…` or under another header name, and API Gateway sees no key.",
			JA: "API Gateway はこのスキームを「API キー必須」として扱い、`name` や `in` の値にかかわらず `x-api-key` ヘッダーからだけキーを読みます。定義から生成したクライアント、SDK、ドキュメントは `?api_key=…` や別名のヘッダーでキーを送るため、API Gateway にはキーが届きません。",
		},
		Returns: msg.Text{
			EN: "`403` with `x-amzn-errortype: ForbiddenException` and `{\"message\":\"Forbidden\"}` for clients that follow the definition.",
			JA: "定義どおりに送るクライアントに `403`、`x-amzn-errortype: ForbiddenException`、`{\"message\":\"Forbidden\"}` が返ります。",
		},
		Example: msg.Text{
			EN: "```yaml\nsecurityDefinitions:\n  api_key:\n    type: apiKey\n    name: api_key   # API Gateway reads x-api-key\n    in: query       # … from the header\n```",
			JA: "```yaml\nsecurityDefinitions:\n  api_key:\n    type: apiKey\n    name: api_key   # API Gateway が読むのは x-api-key\n    in: query       # … ヘッダーから\n```",
		},
		Fix: msg.Text{
			EN: "Describe the key as API Gateway reads it: `name: x-api-key`, `in: header`. The quick fix rewrites both values; it is safe because it only makes the definition say what API Gateway already does. To take keys from elsewhere, use a Lambda authorizer that returns `usageIdentifierKey` with `ApiKeySourceType: AUTHORIZER`.",
			JA: "API Gateway が読むとおりにキーを記述します: `name: x-api-key`、`in: header`。クイックフィックスは両方の値を書き換えます。API Gateway の実際の動作に定義を合わせるだけなので安全です。別の場所からキーを受け取るには、`usageIdentifierKey` を返す Lambda オーソライザーと `ApiKeySourceType: AUTHORIZER` を使います。",
		},
		References: []string{
			"https://docs.aws.amazon.com/apigateway/latest/developerguide/api-key-usage-plan-oas.html",
			"https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-swagger-extensions-api-key-source.html",
		},
	},
	Run: runAPIKeySourceNotHeader,
}

func init() { analyzer.Register(APIKeySourceNotHeader) }

func runAPIKeySourceNotHeader(p *analyzer.Pass) error {
	snap := p.Snap
	seen := map[*openapi.SecurityScheme]bool{}
	for _, a := range snap.Model.APIs {
		if a.Kind != apimodel.REST {
			continue
		}
		if strings.EqualFold(a.APIKeySource, "AUTHORIZER") || !a.APIKeySourceLoc.IsZero() && !literalAt(snap, a.APIKeySourceLoc) {
			continue // keys come from an authorizer, or from a source a deployment may change
		}
		doc := definitionDoc(snap, a)
		if doc == nil || doc.LooksHTTPAPI() || a.GatewayUnconfirmed {
			continue
		}
		used := usedSchemes(doc)
		for _, sch := range doc.SecuritySchemes {
			if seen[sch] || !used[sch.Name] || !strings.EqualFold(sch.Type, "apiKey") || sch.AuthType != "" || sch.Authorizer != nil {
				continue
			}
			badName := !strings.EqualFold(sch.ParamName, "x-api-key")
			badIn := !strings.EqualFold(sch.In, "header")
			if !badName && !badIn {
				continue
			}
			seen[sch] = true
			sp := sch.NameSpan
			if badIn || sp.IsEmpty() {
				sp = sch.InSpan
			}
			if sp.IsEmpty() {
				sp = sch.KeySpan
			}
			where := msg.T("the %q header", "%q ヘッダー", sch.ParamName)
			switch strings.ToLower(sch.In) {
			case "query":
				where = msg.T("the query parameter %q", "クエリパラメーター %q", sch.ParamName)
			case "cookie":
				where = msg.T("the cookie %q", "Cookie %q", sch.ParamName)
			}
			d := analyzer.Diagnostic{
				Path: doc.File.Path, Span: sp,
				Message: msg.T("Security scheme %[1]s of %[2]s sends the API key in %[3]s, but API Gateway reads keys only from the x-api-key header: clients that follow the definition get 403 Forbidden",
					"%[2]s のセキュリティスキーム %[1]s は API キーを%[3]sで送るよう定義していますが、API Gateway は x-api-key ヘッダーからしかキーを読みません。定義どおりに送るクライアントは 403 Forbidden になります",
					sch.Name, a.Name, where),
			}
			if f, ok := headerSchemeFix(doc, sch, badName, badIn); ok {
				d.Fixes = []analyzer.Fix{f}
			}
			p.Report(d)
		}
	}
	return nil
}

// usedSchemes returns the names of the schemes that a security requirement
// of the document refers to.
func usedSchemes(doc *openapi.Doc) map[string]bool {
	used := map[string]bool{}
	add := func(reqs []*openapi.Requirement) {
		for _, r := range reqs {
			for _, s := range r.Schemes {
				used[s.Name] = true
			}
		}
	}
	add(doc.Security)
	for _, op := range doc.Operations() {
		add(op.Security)
	}
	return used
}

// headerSchemeFix sets `name: x-api-key` and `in: header`.
func headerSchemeFix(doc *openapi.Doc, sch *openapi.SecurityScheme, badName, badIn bool) (analyzer.Fix, bool) {
	d := doc.Src
	var edits []yamlpos.Edit
	set := func(key, value string) bool {
		n := yamlpos.Value(sch.Node, key)
		if !yamlpos.LiteralScalar(n) {
			return false
		}
		e, err := d.SetScalar(n, value)
		if err != nil {
			return false
		}
		edits = append(edits, e)
		return true
	}
	if badName && !set("name", "x-api-key") || badIn && !set("in", "header") {
		return analyzer.Fix{}, false
	}
	return analyzer.Fix{
		Title: msg.T("Use the x-api-key header", "x-api-key ヘッダーを使う"),
		Edits: toEdits(doc.File.Path, edits...),
		Safe:  true, Preferred: true,
	}, true
}

// definitionDoc returns the OpenAPI document that defines a, or nil.
func definitionDoc(snap *link.Snapshot, a *apimodel.API) *openapi.Doc {
	if a.DefinitionFile == "" {
		return nil
	}
	if fd := snap.Files[a.DefinitionFile]; fd != nil && fd.OpenAPI != nil {
		return fd.OpenAPI
	}
	if a.Origin == apimodel.Terraform && snap.Terraform != nil {
		// A body written as jsonencode() of an HCL object (or a literal
		// heredoc): its nodes point into the .tf file.
		for _, r := range snap.Terraform.Resources {
			if r.Addr != a.LogicalID {
				continue
			}
			if d := r.Document(r.Attr("body")); d.Root != nil {
				return openapi.FromNode(d.Src, d.Root)
			}
		}
		return nil
	}
	t := snap.Template(a.DefinitionFile)
	if t == nil || a.DefinitionLoc.Path != a.DefinitionFile {
		return nil
	}
	n := t.Doc.FindNode(a.DefinitionLoc.Span)
	if n == nil || !yamlpos.IsMap(n) {
		return nil
	}
	return openapi.FromNode(t.Doc, n)
}
