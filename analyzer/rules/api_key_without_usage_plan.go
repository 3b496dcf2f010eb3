package rules

import (
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/gw403/gw403-lsp/analyzer"
	"github.com/gw403/gw403-lsp/analyzer/link"
	"github.com/gw403/gw403-lsp/analyzer/msg"
	"github.com/gw403/gw403-lsp/schemas/apimodel"
	"github.com/gw403/gw403-lsp/schemas/template"
	"github.com/gw403/gw403-lsp/schemas/yamlpos"
)

// APIKeyWithoutUsagePlan is GW201.
var APIKeyWithoutUsagePlan = &analyzer.Rule{
	Code: "GW201", Slug: "api-key-without-usage-plan",
	Title: msg.Text{
		EN: "API keys are required but no usage plan includes the API",
		JA: "API キーが必須なのに API が使用量プランに含まれていない",
	},
	Severity: analyzer.Warning, Scope: analyzer.TemplateScope,
	Fix: analyzer.FixSometimes, ErrorType: "ForbiddenException", Status: 403,
	Doc: analyzer.Doc{
		What: msg.Text{
			EN: "Finds REST APIs whose methods require an API key (SAM `Auth.ApiKeyRequired`, `AWS::ApiGateway::Method.ApiKeyRequired`, an OpenAPI `apiKey` security requirement) while no usage plan of the workspace lists the API in its `ApiStages`: no SAM `Auth.UsagePlan` (or `CreateUsagePlan: NONE`) and no `AWS::ApiGateway::UsagePlan` that names it.",
			JA: "メソッドが API キーを必須にしている（SAM の `Auth.ApiKeyRequired`、`AWS::ApiGateway::Method.ApiKeyRequired`、OpenAPI の `apiKey` セキュリティ要件）のに、ワークスペースのどの使用量プランの `ApiStages` にもその API がない REST API を見つけます。SAM の `Auth.UsagePlan` がない（または `CreateUsagePlan: NONE`）で、その API を指す `AWS::ApiGateway::UsagePlan` もない場合です。",
		},
		Why: msg.Text{
			EN: "API Gateway accepts an API key only when the key belongs to a usage plan that includes the API's stage. Without any usage plan, no key can ever be valid, so every call to a key-required method is refused, with or without an `x-api-key` header. A usage plan created outside the workspace (console, CLI, another stack) would make the keys work, hence a warning.",
			JA: "API Gateway が API キーを受け付けるのは、そのキーが API のステージを含む使用量プランに属しているときだけです。使用量プランがなければ有効なキーは存在せず、キー必須のメソッドへの呼び出しは `x-api-key` ヘッダーの有無にかかわらずすべて拒否されます。ワークスペースの外（コンソール、CLI、別スタック）で使用量プランを作っている場合は動くため、警告としています。",
		},
		Returns: msg.Text{
			EN: "`403` with `x-amzn-errortype: ForbiddenException` and `{\"message\":\"Forbidden\"}` for every call to a key-required method.",
			JA: "キー必須のメソッドへのすべての呼び出しに `403`、`x-amzn-errortype: ForbiddenException`、`{\"message\":\"Forbidden\"}` が返ります。",
		},
		Example: msg.Text{
			EN: "```yaml\nOrdersApi:\n  Type: AWS::Serverless::Api\n  Properties:\n    StageName: prod\n    Auth:\n      ApiKeyRequired: true   # no UsagePlan: no key can be valid\n```",
			JA: "```yaml\nOrdersApi:\n  Type: AWS::Serverless::Api\n  Properties:\n    StageName: prod\n    Auth:\n      ApiKeyRequired: true   # UsagePlan がないので有効なキーがない\n```",
		},
		Fix: msg.Text{
			EN: "For SAM, add `UsagePlan: {CreateUsagePlan: PER_API}` under the API's `Auth` (in `Globals.Api.Auth` for the implicit API): SAM then creates a usage plan, an API key and the link between them. The fix is safe when nothing sets `CreateUsagePlan: NONE`, and for the implicit API only when the template declares no `AWS::Serverless::Api` (SAM applies `Globals.Api` to those too); replacing an explicit `NONE` is offered but not applied by `check --fix`. For CloudFormation, add an `AWS::ApiGateway::UsagePlan` whose `ApiStages` names the API and stage, and an `AWS::ApiGateway::UsagePlanKey` for each key. In a `serverless.yml`, the framework creates a usage plan for the stage when `provider.apiGateway` has `apiKeys` or `usagePlan`: the fix adds an API key named after the service and stage; keys written directly under `provider` (the v2 location) are moved under `provider.apiGateway` when `frameworkVersion` is 3 or later, which reads only there.\n\n```yaml\n    Auth:\n      ApiKeyRequired: true\n      UsagePlan:\n        CreateUsagePlan: PER_API\n```",
			JA: "SAM では API の `Auth` の下に `UsagePlan: {CreateUsagePlan: PER_API}` を追加します（暗黙の API では `Globals.Api.Auth`）。SAM が使用量プラン、API キー、その関連付けを作成します。`CreateUsagePlan: NONE` がどこにもなければ安全な修正です（暗黙の API では、SAM が `Globals.Api` を適用する `AWS::Serverless::Api` がテンプレートにない場合に限ります）。明示的な `NONE` の置き換えは提案のみで、`check --fix` では適用しません。CloudFormation では、`ApiStages` にその API とステージを指定した `AWS::ApiGateway::UsagePlan` と、キーごとの `AWS::ApiGateway::UsagePlanKey` を追加します。`serverless.yml` では、`provider.apiGateway` に `apiKeys` か `usagePlan` があればフレームワークがステージの使用量プランを作ります。修正はサービス名とステージ名を付けた API キーを追加します。`provider` の直下（v2 の書き方）にあるキーは、そこを読まない `frameworkVersion` 3 以降では `provider.apiGateway` の下へ移します。\n\n```yaml\n    Auth:\n      ApiKeyRequired: true\n      UsagePlan:\n        CreateUsagePlan: PER_API\n```",
		},
		References: []string{
			"https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-api-usage-plans.html",
			"https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-property-api-apiusageplan.html",
			"https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-apigateway-usageplan.html",
		},
	},
	Run: runAPIKeyWithoutUsagePlan,
}

func init() { analyzer.Register(APIKeyWithoutUsagePlan) }

func runAPIKeyWithoutUsagePlan(p *analyzer.Pass) error {
	snap := p.Snap
	for _, a := range snap.Model.APIs {
		if a.Kind != apimodel.REST || a.Origin == apimodel.OpenAPI {
			continue
		}
		routes := keyRequired(snap, a)
		if len(routes) == 0 || inUsagePlan(snap.Model, a) || usagePlanMayInclude(snap, a) ||
			a.Origin == apimodel.Terraform && (a.Exported || tfNamedElsewhere(snap, a) || tfPlanMayInclude(snap)) {
			continue
		}
		none := false
		if sa := a.SAM; sa != nil && !sa.CreateUsagePlanLoc.IsZero() {
			if !strings.EqualFold(sa.CreateUsagePlan, "NONE") {
				continue // PER_API/SHARED are in the model; anything else is not static
			}
			none = true
		}
		loc := keyLoc(a, routes)
		why := msg.T("no AWS::ApiGateway::UsagePlan lists it in ApiStages", "どの AWS::ApiGateway::UsagePlan の ApiStages にもありません")
		var ignored *yaml.Node // provider.apiKeys under frameworkVersion 3+
		if a.Origin == apimodel.Terraform {
			why = msg.T("no aws_api_gateway_usage_plan lists it in api_stages", "どの aws_api_gateway_usage_plan の api_stages にもありません")
		}
		if a.Origin == apimodel.Serverless {
			why = msg.T("provider.apiGateway has no apiKeys and no usagePlan, so the framework creates no usage plan", "provider.apiGateway に apiKeys も usagePlan もないため、フレームワークは使用量プランを作りません")
			if svc := slsService(snap, a.File); svc != nil {
				for _, name := range []string{"apiKeys", "usagePlan"} {
					if k := svc.IgnoredSetting(name); k != nil && ignored == nil {
						ignored = k
						loc = apimodel.Loc{Path: a.File, Span: svc.Doc.Span(k)}
						why = msg.T("provider.%[1]s is where Serverless v1 and v2 read it; frameworkVersion %[2]d reads only provider.apiGateway.%[1]s", "provider.%[1]s は Serverless v1/v2 の書き方です。frameworkVersion %[2]d は provider.apiGateway.%[1]s だけを読みます", name, svc.FrameworkMajor)
					}
				}
			}
		}
		if a.Origin == apimodel.SAMApi || a.Origin == apimodel.SAMImplicit {
			why = msg.T("no Auth.UsagePlan and no AWS::ApiGateway::UsagePlan for it", "Auth.UsagePlan も、この API の AWS::ApiGateway::UsagePlan もありません")
			if none {
				why = msg.T("Auth.UsagePlan.CreateUsagePlan is NONE and no AWS::ApiGateway::UsagePlan lists it", "Auth.UsagePlan.CreateUsagePlan が NONE で、どの AWS::ApiGateway::UsagePlan にもありません")
			}
		}
		d := analyzer.Diagnostic{
			Path: loc.Path, Span: loc.Span,
			Message: msg.T("%s requires an API key (%s) but no usage plan includes it (%s): every call gets 403 Forbidden, even with a valid key",
				"%s は API キーを必須にしています（%s）が、どの使用量プランにも含まれていません（%s）。有効なキーを送ってもすべての呼び出しが 403 Forbidden になります",
				a.Name, routeNames(routes), why),
			Related: []analyzer.Related{{Path: a.Loc.Path, Span: a.Loc.Span, Message: msg.T("API %s", "API %s", a.Name)}},
		}
		if ignored != nil {
			if f, ok := moveUnderAPIGateway(snap, a, ignored); ok {
				d.Fixes = []analyzer.Fix{f}
			}
		} else if f, ok := usagePlanFix(snap, a); ok {
			d.Fixes = []analyzer.Fix{f}
		}
		p.Report(d)
	}
	return nil
}

// usagePlanMayInclude reports a usage plan whose ApiStages cannot be read
// in this template, or that names a through an import or a parameter from
// another stack.
func usagePlanMayInclude(snap *link.Snapshot, a *apimodel.API) bool {
	target := apiTarget(a)
	unreadable := func(t *template.Template) bool {
		return t.Path() == a.File || exposed(snap, target)
	}
	for _, t := range snap.Templates() {
		for _, r := range t.Resources {
			if r.Type != "AWS::ApiGateway::UsagePlan" || !t.Created(r) {
				continue
			}
			st := r.Prop("ApiStages")
			if st == nil {
				continue
			}
			if !yamlpos.IsSeq(st) {
				if unreadable(t) {
					return true
				}
				continue
			}
			for _, it := range yamlpos.Items(st) {
				if !yamlpos.IsMap(it) {
					if unreadable(t) {
						return true
					}
					continue
				}
				if mayName(snap, t, yamlpos.Value(it, "ApiId"), target, false) {
					return true
				}
			}
		}
	}
	return false
}

// inUsagePlan reports whether some usage plan lists a (whatever the stage:
// a wrong stage is GW202's finding).
func inUsagePlan(m *apimodel.Model, a *apimodel.API) bool {
	for _, up := range m.UsagePlans {
		for _, s := range up.Stages {
			if s.API == a {
				return true
			}
		}
	}
	return false
}

// usagePlanFix adds `UsagePlan: {CreateUsagePlan: PER_API}` to the SAM
// API's Auth (Globals.Api.Auth for the implicit API).
func usagePlanFix(snap *link.Snapshot, a *apimodel.API) (analyzer.Fix, bool) {
	if a.Origin == apimodel.Serverless {
		return serverlessKeysFix(snap, a)
	}
	t := snap.Template(a.File)
	if t == nil {
		return analyzer.Fix{}, false
	}
	d := t.Doc
	var base *yaml.Node // the mapping the keys below start from
	var keys []string
	var globalAuth *yaml.Node
	switch a.Origin {
	case apimodel.SAMApi:
		r := t.Resource(a.LogicalID)
		if r == nil {
			return analyzer.Fix{}, false
		}
		base, keys = r.Node, []string{"Properties", "Auth", "UsagePlan", "CreateUsagePlan"}
		globalAuth = yamlpos.Value(yamlpos.Value(t.Globals, "Api"), "Auth")
	case apimodel.SAMImplicit:
		if t.Globals == nil {
			return analyzer.Fix{}, false
		}
		base, keys = t.Globals, []string{"Api", "Auth", "UsagePlan", "CreateUsagePlan"}
	default:
		return analyzer.Fix{}, false
	}
	title := msg.T("Add a usage plan (Auth.UsagePlan.CreateUsagePlan: PER_API)", "使用量プランを追加 (Auth.UsagePlan.CreateUsagePlan: PER_API)")
	ownAuth := yamlpos.Value(yamlpos.Value(base, keys[0]), "Auth")
	safe := !writesNone(globalAuth)
	if up := yamlpos.Value(ownAuth, "UsagePlan"); up != nil {
		cu := yamlpos.Value(up, "CreateUsagePlan")
		switch {
		case cu == nil && up.Kind == yaml.MappingNode:
			e, err := d.InsertKey(up, "CreateUsagePlan", "PER_API")
			if err != nil {
				return analyzer.Fix{}, false
			}
			return analyzer.Fix{Title: title, Edits: toEdits(a.File, e), Safe: safe, Preferred: true}, true
		case yamlpos.LiteralScalar(cu) && strings.EqualFold(cu.Value, "NONE"):
			e, err := d.SetScalar(cu, "PER_API")
			if err != nil {
				return analyzer.Fix{}, false
			}
			return analyzer.Fix{
				Title: msg.T("Set CreateUsagePlan to PER_API", "CreateUsagePlan を PER_API に変更"),
				Edits: toEdits(a.File, e), Preferred: true,
			}, true
		}
		return analyzer.Fix{}, false
	}
	e, err := d.InsertPath(base, keys, "PER_API")
	if err != nil {
		return analyzer.Fix{}, false
	}
	f := analyzer.Fix{Title: title, Edits: toEdits(a.File, e), Safe: safe, Preferred: true}
	if a.Origin == apimodel.SAMImplicit {
		f = globalsFix(t, f)
	}
	return f, true
}

// globalsFix makes a fix that edits Globals.Api for the implicit API
// unsafe when the template also declares AWS::Serverless::Api resources:
// SAM applies Globals.Api to each of them too.
func globalsFix(t *template.Template, f analyzer.Fix) analyzer.Fix {
	n := 0
	for _, r := range t.Resources {
		if r.Type == "AWS::Serverless::Api" {
			n++
		}
	}
	if n > 0 {
		f.Safe, f.Preferred = false, false
		f.Title = analyzer.AlsoChanges(f.Title, n, "API", "APIs", "API")
	}
	return f
}

// writesNone reports an Auth mapping that says CreateUsagePlan: NONE.
func writesNone(auth *yaml.Node) bool {
	cu := yamlpos.Value(yamlpos.Value(auth, "UsagePlan"), "CreateUsagePlan")
	return cu != nil && cu.Kind == yaml.ScalarNode && strings.EqualFold(cu.Value, "NONE")
}

// serverlessKeysFix adds an API key under provider.apiGateway of a
// serverless.yml: with apiKeys the framework creates a usage plan for the
// stage and adds the keys to it. Key names are global to the account and
// region, hence the service and stage in the name.
func serverlessKeysFix(snap *link.Snapshot, a *apimodel.API) (analyzer.Fix, bool) {
	svc := slsService(snap, a.File)
	if svc == nil {
		return analyzer.Fix{}, false
	}
	e, err := svc.Doc.InsertPath(svc.Doc.Root, []string{"provider", "apiGateway", "apiKeys"}, []any{"${self:service}-${sls:stage}"})
	if err != nil {
		return analyzer.Fix{}, false
	}
	return analyzer.Fix{
		Title: msg.T("Add an API key (provider.apiGateway.apiKeys): the framework then creates a usage plan", "API キーを追加 (provider.apiGateway.apiKeys)。フレームワークが使用量プランを作成します"),
		Edits: toEdits(a.File, e), Safe: true, Preferred: true,
	}, true
}

// moveUnderAPIGateway moves provider.<key> (the v2 location) under a new
// provider.apiGateway, where frameworkVersion 3 reads it. Offered only when
// provider has no apiGateway to merge with.
func moveUnderAPIGateway(snap *link.Snapshot, a *apimodel.API, key *yaml.Node) (analyzer.Fix, bool) {
	svc := slsService(snap, a.File)
	if svc == nil {
		return analyzer.Fix{}, false
	}
	if k, _ := yamlpos.Get(svc.Provider, "apiGateway"); k != nil {
		return analyzer.Fix{}, false
	}
	_, v := yamlpos.Get(svc.Provider, key.Value)
	d := svc.Doc
	sp := d.PairSpan(key, v)
	text := svc.File.Text
	if key.Column < 1 || sp.Start < key.Column-1 || sp.End > len(text) || strings.TrimSpace(text[sp.Start-(key.Column-1):sp.Start]) != "" {
		return analyzer.Fix{}, false // not a block mapping key at the start of its line
	}
	eol := fileEOL(text)
	unit := strings.Repeat(" ", d.IndentUnit())
	indent := strings.Repeat(" ", key.Column-1)
	lines := strings.Split(strings.ReplaceAll(text[sp.Start:sp.End], "\r\n", "\n"), "\n")
	for i := range lines {
		if i > 0 && strings.TrimSpace(lines[i]) == "" {
			continue
		}
		lines[i] = unit + lines[i]
	}
	lines[0] = "apiGateway:" + eol + indent + lines[0]
	return analyzer.Fix{
		Title: msg.T("Move provider.%s under provider.apiGateway", "provider.%s を provider.apiGateway の下に移動", key.Value),
		Edits: []analyzer.Edit{{Path: a.File, Span: sp, NewText: strings.Join(lines, eol)}},
		Safe:  true, Preferred: true,
	}, true
}

// keyLoc returns where a's API key requirement is written: the SAM
// Auth.ApiKeyRequired default, else the first route's.
func keyLoc(a *apimodel.API, routes []*apimodel.Route) apimodel.Loc {
	if a.SAM != nil && a.SAM.ApiKeyRequired && !a.SAM.ApiKeyRequiredLoc.IsZero() {
		for _, r := range routes {
			if r.Auth.APIKeyLoc == a.SAM.ApiKeyRequiredLoc {
				return r.Auth.APIKeyLoc
			}
		}
	}
	for _, r := range routes {
		if !r.Auth.APIKeyLoc.IsZero() {
			return r.Auth.APIKeyLoc
		}
	}
	return a.Loc
}
