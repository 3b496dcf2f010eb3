package apimodel

import (
	"strings"
	"testing"

	"github.com/gw403/gw403-lsp/schemas/openapi"
	"github.com/gw403/gw403-lsp/schemas/source"
	"github.com/gw403/gw403-lsp/schemas/template"
)

func apiNamed(t *testing.T, m *Model, name string) *API {
	t.Helper()
	for _, a := range m.APIs {
		if a.Name == name {
			return a
		}
	}
	t.Fatalf("no API %q", name)
	return nil
}

func routeOf(t *testing.T, a *API, method, path string) *Route {
	t.Helper()
	for _, r := range a.Routes {
		if r.Method == method && r.Path == path {
			return r
		}
	}
	t.Fatalf("%s has no route %s %s", a.Name, method, path)
	return nil
}

func stageNames(a *API) string {
	var out []string
	for _, s := range a.Stages {
		out = append(out, s.Name)
	}
	return strings.Join(out, ",")
}

// TestRouteAuth checks the effective auth of routes across fixtures, and
// that the Loc of the deciding fact slices to the expected text.
func TestRouteAuth(t *testing.T) {
	tests := []struct {
		dir               string
		api, method, path string
		typ               AuthType
		authorizer        string
		authLoc           string // text of Auth.Loc ("-" for none)
		apiKey            bool
		keyLoc            string
	}{
		{"apikey", "OrdersApi", "GET", "/orders", AuthNone, "", "-", true, `"true"`},
		{"apikey", "OrdersApi", "GET", "/health", AuthNone, "", "-", false, `"false"`},
		{"authorizers", "ServerlessRestApi", "GET", "/reports/daily", AuthToken, "TokenAuth", `"TokenAuth"`, false, "-"},
		{"authorizers", "ServerlessRestApi", "GET", "/reports/{tenant}", AuthRequest, "RequestAuth", `"RequestAuth"`, false, "-"},
		{"authorizers", "ServerlessRestApi", "POST", "/reports", AuthIAM, "", `"AWS_IAM"`, false, "-"},
		{"authorizers", "ServerlessRestApi", "GET", "/me", AuthCognito, "UserPool", `"UserPool"`, false, "-"},
		{"authorizers", "ServerlessRestApi", "GET", "/ping", AuthNone, "", `"NONE"`, false, "-"},
		{"httpapi", "EventsApi", "GET", "/events", AuthJWT, "CognitoJwt", `"CognitoJwt"`, false, "-"},
		{"httpapi", "EventsApi", "PUT", "/events/{id}", AuthIAM, "", `"AWS_IAM"`, false, "-"},
		{"httpapi", "EventsApi", "ANY", "/public", AuthNone, "", `"NONE"`, false, "-"},
		{"domain-cfn", "ShopApi", "GET", "/products", AuthNone, "", `"NONE"`, true, `"true"`},
		{"domain-cfn", "ShopApi", "GET", "/products/{productId}", AuthToken, "shop-token", `"CUSTOM"`, false, "-"},
		{"domain-cfn", "ShopApi", "DELETE", "/products/{productId}", AuthIAM, "", `"AWS_IAM"`, false, "-"},
		{"body", "PetsApi", "GET", "/pets", AuthNone, "", `"api_key: []"`, true, `"api_key"`},
		{"body", "PetsApi", "POST", "/pets", AuthIAM, "", `"sigv4"`, false, "-"},
		{"export", "注文サービス (orders) 🛒", "GET", "/orders/{id}", AuthToken, "token_auth", `"token_auth"`, true, `"api_key"`},
		{"export", "注文サービス (orders) 🛒", "ANY", "/orders/{id}", AuthNone, "", `"[]"`, false, "-"},
		{"export", "events-http", "POST", "/events", AuthIAM, "", `"{ \"type\" : \"AWS_IAM\" }"`, false, "-"},
		{"httpcfn", "ChatApi", "GET", "/messages", AuthJWT, "jwt", `"\"JWT\""`, false, "-"},
	}
	models := map[string]*Model{}
	spaces := map[string]*workspace{}
	for _, tt := range tests {
		if models[tt.dir] == nil {
			spaces[tt.dir] = loadWorkspace(t, tt.dir)
			models[tt.dir] = spaces[tt.dir].build()
		}
		w, m := spaces[tt.dir], models[tt.dir]
		r := routeOf(t, apiNamed(t, m, tt.api), tt.method, tt.path)
		name := ""
		if r.Auth.Authorizer != nil {
			name = r.Auth.Authorizer.Name
		}
		if r.Auth.Type != tt.typ || name != tt.authorizer || r.Auth.APIKeyRequired != tt.apiKey {
			t.Errorf("%s %s %s: auth %s/%q key=%v, want %s/%q key=%v", tt.api, tt.method, tt.path, r.Auth.Type, name, r.Auth.APIKeyRequired, tt.typ, tt.authorizer, tt.apiKey)
		}
		if got := w.slice(t, r.Auth.Loc); got != tt.authLoc {
			t.Errorf("%s %s %s: Auth.Loc slices to %s, want %s", tt.api, tt.method, tt.path, got, tt.authLoc)
		}
		if got := w.slice(t, r.Auth.APIKeyLoc); got != tt.keyLoc {
			t.Errorf("%s %s %s: APIKeyLoc slices to %s, want %s", tt.api, tt.method, tt.path, got, tt.keyLoc)
		}
	}
}

func TestStages(t *testing.T) {
	w := loadWorkspace(t, "apikey", "private", "httpapi", "domain-cfn", "defuri", "export")
	m := w.build()
	tests := []struct {
		api, stages string
		known       bool
	}{
		{"OrdersApi", "prod,Stage", true},         // StageName from a parameter default, plus SAM's "Stage"
		{"ServerlessRestApi", "Prod,Stage", true}, // the implicit API
		{"InternalApi", "v1", true},               // Globals.Api.OpenApiVersion: no "Stage" stage
		{"EventsApi", "$default", true},           // HTTP API default
		{"ServerlessHttpApi", "$default", true},   // implicit HTTP API
		{"ShopApi", "live", true},                 // AWS::ApiGateway::Stage
		{"BooksApi", "Prod,Stage", true},          // local DefinitionUri
		{"RemoteApi", "Prod,Stage", true},         // stages do not depend on the definition
		{"注文サービス (orders) 🛒", "prod", false},      // an export names one stage of many
		{"events-http", "$default", false},        // HTTP export with an empty basePath
	}
	for _, tt := range tests {
		a := apiNamed(t, m, tt.api)
		if got := stageNames(a); got != tt.stages || a.StagesKnown != tt.known {
			t.Errorf("%s: stages %s (known=%v), want %s (known=%v)", tt.api, got, a.StagesKnown, tt.stages, tt.known)
		}
	}
	if got := apiNamed(t, m, "RemoteApi").RoutesKnown; got {
		t.Errorf("RemoteApi (DefinitionUri on S3): RoutesKnown = true")
	}
}

func buildSources(t *testing.T, files map[string]string) (*Model, map[string]*source.File) {
	t.Helper()
	var tpls []*template.Template
	var docs []*openapi.Doc
	srcs := map[string]*source.File{}
	for _, name := range sortedKeys(files) {
		f := source.NewFile(name, files[name])
		srcs[name] = f
		tp, probs := template.Load(f)
		if len(probs) != 0 {
			t.Fatalf("%s: %v", name, probs)
		}
		if !tp.NotTemplate {
			tpls = append(tpls, tp)
			continue
		}
		d, _ := openapi.Load(f)
		docs = append(docs, d)
	}
	return Build(tpls, docs, Options{}), srcs
}

func TestDomainsAcrossTemplates(t *testing.T) {
	m, _ := buildSources(t, map[string]string{
		"infra/domain.yaml": "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  Domain:\n    Type: AWS::ApiGateway::DomainName\n    Properties:\n      DomainName: api.example.com\n",
		"svc/api.yaml": "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  Api:\n    Type: AWS::ApiGateway::RestApi\n  Mapping:\n    Type: AWS::ApiGateway::BasePathMapping\n    Properties:\n      DomainName: api.example.com\n      RestApiId: !Ref Api\n      BasePath: orders\n      Stage: prod\n" +
			"  Other:\n    Type: AWS::ApiGateway::BasePathMapping\n    Properties:\n      DomainName: other.example.com\n      RestApiId: !Ref Api\n      Stage: !ImportValue stage-name\n",
	})
	if len(m.Domains) != 2 {
		t.Fatalf("%d domains, want 2", len(m.Domains))
	}
	d := m.Domains[0]
	if d.Name.S != "api.example.com" || d.External || d.LogicalID != "Domain" || len(d.Mappings) != 1 || d.Mappings[0].API == nil || d.Mappings[0].BasePath != "orders" || d.Mappings[0].Stage != "prod" {
		t.Errorf("api.example.com = %+v, mappings %+v", d, d.Mappings)
	}
	o := m.Domains[1]
	if o.Name.S != "other.example.com" || !o.External || len(o.Mappings) != 1 || !o.Mappings[0].StageUnknown || o.Mappings[0].Stage != "" {
		t.Errorf("other.example.com = %+v, mapping %+v: want an external domain with an unknown stage", o, o.Mappings[0])
	}
}

// TestUnknownFactsStayUnknown checks that what cannot be read statically
// makes the model say so instead of guessing.
func TestUnknownFactsStayUnknown(t *testing.T) {
	m, _ := buildSources(t, map[string]string{
		"sam.yaml": `Transform: AWS::Serverless-2016-10-31
Parameters:
  Stage: {Type: String}
Resources:
  Api:
    Type: AWS::Serverless::Api
    Properties:
      StageName: !Ref Stage
  Included:
    Type: AWS::Serverless::Api
    Properties:
      StageName: prod
      DefinitionBody:
        Fn::Transform:
          Name: AWS::Include
          Parameters: {Location: s3://bucket/openapi.yaml}
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Handler: a.h
      Events:
        Imported:
          Type: Api
          Properties:
            RestApiId: !ImportValue shared-api
            Path: /x
            Method: get
`,
		"cfn.yaml": `AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Rest:
    Type: AWS::ApiGateway::RestApi
  M:
    Type: AWS::ApiGateway::Method
    Properties:
      RestApiId: !Ref Rest
      ResourceId: !ImportValue shared-resource
      HttpMethod: GET
  S:
    Type: AWS::ApiGateway::Stage
    Properties:
      RestApiId: !ImportValue shared-api
      StageName: prod
`,
	})
	api := apiNamed(t, m, "Api")
	if api.StagesKnown || !strings.Contains(stageNames(api), "Stage") {
		t.Errorf("Api: StagesKnown=%v stages=%s, want unknown (a parameter without default) and SAM's Stage", api.StagesKnown, stageNames(api))
	}
	if api.RoutesKnown {
		t.Errorf("Api: RoutesKnown = true although an event names an imported API")
	}
	if inc := apiNamed(t, m, "Included"); inc.RoutesKnown {
		t.Errorf("Included (AWS::Include from S3): RoutesKnown = true")
	}
	rest := apiNamed(t, m, "Rest")
	if rest.RoutesKnown || rest.StagesKnown || len(rest.Routes) != 0 {
		t.Errorf("Rest: RoutesKnown=%v StagesKnown=%v routes=%d, want unknown and no guessed route", rest.RoutesKnown, rest.StagesKnown, len(rest.Routes))
	}
}

func TestConditionsPoliciesAndWAF(t *testing.T) {
	m, srcs := buildSources(t, map[string]string{
		"t.yaml": `Transform: AWS::Serverless-2016-10-31
Parameters:
  Env: {Type: String, Default: dev}
Conditions:
  IsProd: !Equals [!Ref Env, prod]
Resources:
  ProdOnlyApi:
    Type: AWS::ApiGateway::RestApi
    Condition: IsProd
  JsonPolicyApi:
    Type: AWS::ApiGateway::RestApi
    Properties:
      Policy: '{"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Principal": "*", "Action": "execute-api:Invoke", "Resource": "execute-api:/*"}]}'
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Handler: a.h
      Events:
        Get: {Type: Api, Properties: {Path: /a, Method: get}}
  Acl:
    Type: AWS::WAFv2::WebACL
    Properties:
      DefaultAction: {Allow: {}}
  Assoc:
    Type: AWS::WAFv2::WebACLAssociation
    Properties:
      WebACLArn: !GetAtt Acl.Arn
      ResourceArn: !Sub arn:aws:apigateway:${AWS::Region}::/restapis/${ServerlessRestApi}/stages/${ServerlessRestApiProdStage}
`,
	})
	for _, a := range m.APIs {
		if a.Name == "ProdOnlyApi" {
			t.Errorf("ProdOnlyApi is modelled although its condition is false")
		}
	}
	pol := apiNamed(t, m, "JsonPolicyApi").Policy
	if pol == nil || !pol.Known || len(pol.Statements) != 1 || pol.Statements[0].Effect != "Deny" || pol.Statements[0].Principal != "*" {
		t.Fatalf("JSON string policy = %+v", pol)
	}
	if got := srcs["t.yaml"].Slice(pol.Statements[0].EffectLoc.Span); !strings.HasPrefix(got, "'{\"Version\"") {
		t.Errorf("statements of a JSON string point at %q, want the string", got)
	}
	as := m.WebACLs[0].Associations
	if len(as) != 1 || as[0].API == nil || as[0].API.Name != "ServerlessRestApi" || as[0].Stage != "Prod" {
		t.Errorf("association = %+v, want ServerlessRestApi/Prod", as)
	}
	if m.WebACLs[0].DefaultAction != "Allow" {
		t.Errorf("DefaultAction = %q", m.WebACLs[0].DefaultAction)
	}
}

func TestDefinitionURIDocIsNotASecondAPI(t *testing.T) {
	m := loadWorkspace(t, "defuri").build()
	for _, a := range m.APIs {
		if a.Origin == OpenAPI {
			t.Errorf("the document behind DefinitionUri became API %q of its own", a.Name)
		}
	}
	if got := routeOf(t, apiNamed(t, m, "BooksApi"), "ANY", "/books/{isbn}"); got.Loc.Path != "defuri/api/books.yaml" {
		t.Errorf("route Loc path = %q, want the OpenAPI file", got.Loc.Path)
	}
}

func TestBuildSurvivesOddInput(t *testing.T) {
	var b strings.Builder
	b.WriteString("AWSTemplateFormatVersion: '2010-09-09'\nMappings:\n  M:\n    a0: &a0 [x, x, x, x, x, x, x, x, x]\n")
	prev := "a0"
	for i := 1; i < 9; i++ {
		name := "a" + string(rune('0'+i))
		b.WriteString("    " + name + ": &" + name + " [*" + prev + ", *" + prev + ", *" + prev + ", *" + prev + ", *" + prev + ", *" + prev + ", *" + prev + ", *" + prev + "]\n")
		prev = name
	}
	b.WriteString("Resources:\n  Api:\n    Type: AWS::ApiGateway::RestApi\n    Properties:\n      Policy:\n        Statement:\n          - Effect: Allow\n            Resource: *a8\n")
	nt, _ := template.Load(source.NewFile("x.yaml", "just: text\n"))
	bad, _ := template.Load(source.NewFile("bad.yaml", "Resources: [\n"))
	bomb, _ := template.Load(source.NewFile("bomb.yaml", b.String()))
	m := Build([]*template.Template{nil, nt, bad, bomb}, []*openapi.Doc{nil}, Options{})
	if len(m.APIs) != 1 || m.APIs[0].Policy == nil {
		t.Fatalf("APIs = %d, want the bomb template's one with its policy", len(m.APIs))
	}
}

func TestParseIdentitySource(t *testing.T) {
	got := ParseIdentitySource("method.request.header.Authorization, method.request.querystring.tenant", "$request.header.X-Id", "$context.identity.sourceIp", "stageVariables.v", "junk")
	want := []IdentitySource{{"header", "Authorization"}, {"query", "tenant"}, {"header", "X-Id"}, {"context", "identity.sourceIp"}, {"stageVariables", "v"}}
	if len(got) != len(want) {
		t.Fatalf("ParseIdentitySource = %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("ParseIdentitySource[%d] = %v, want %v", i, got[i], want[i])
		}
	}
}

func TestRoutingRules(t *testing.T) {
	m, _ := buildSources(t, map[string]string{
		"t.yaml": `AWSTemplateFormatVersion: "2010-09-09"
Resources:
  V1:
    Type: AWS::ApiGateway::RestApi
  V1Stage:
    Type: AWS::ApiGateway::Stage
    Properties: {RestApiId: !Ref V1, StageName: prod}
  Domain:
    Type: AWS::ApiGateway::DomainName
    Properties: {DomainName: api.example.com, RoutingMode: ROUTING_RULE_ONLY}
  Rule:
    Type: AWS::ApiGatewayV2::RoutingRule
    Properties:
      DomainNameArn: !Sub "arn:aws:apigateway:${AWS::Region}::/domainnames/${Domain}"
      Priority: 1
      Conditions:
        - MatchHeaders: {AnyOf: [{Header: X-Version, ValueGlob: v1}]}
        - MatchBasePaths: {AnyOf: [products]}
      Actions:
        - InvokeApi: {ApiId: !Ref V1, Stage: !Ref V1Stage, StripBasePath: true}
`,
	})
	if len(m.Domains) != 1 {
		t.Fatalf("%d domains, want 1", len(m.Domains))
	}
	d := m.Domains[0]
	if !d.RoutingRules || len(d.Mappings) != 1 {
		t.Fatalf("domain = %+v, want routing rules and one base path", d)
	}
	mp := d.Mappings[0]
	if !mp.FromRule || mp.BasePath != "products" || mp.API == nil || mp.API.Name != "V1" || mp.Stage != "prod" {
		t.Errorf("mapping = %+v, want products -> V1/prod from a rule", mp)
	}
}

func TestRegionOption(t *testing.T) {
	text := "Transform: AWS::Serverless-2016-10-31\nResources:\n  Api:\n    Type: AWS::Serverless::Api\n    Properties:\n      StageName: !Sub '${AWS::Region}-stage'\n"
	for _, region := range []string{"", "ap-northeast-1"} {
		tp, _ := template.LoadWith(source.NewFile("t.yaml", text), template.Options{Region: region})
		a := Build([]*template.Template{tp}, nil, Options{}).APIs[0]
		if a.Region != region {
			t.Errorf("Region = %q, want %q", a.Region, region)
		}
		if wantKnown := region != ""; a.StagesKnown != wantKnown {
			t.Errorf("region %q: StagesKnown = %v, want %v", region, a.StagesKnown, wantKnown)
		}
		if region != "" && a.StageNamed(region+"-stage") == nil {
			t.Errorf("no stage %s-stage", region)
		}
	}
}

func TestPlansKeysDomainsPolicies(t *testing.T) {
	w := loadWorkspace(t, "domain-cfn")
	m := w.build()
	shop := apiNamed(t, m, "ShopApi")

	// Usage plan stages: one names the real stage through a Ref, one a
	// case-mismatched literal.
	if len(m.UsagePlans) != 1 {
		t.Fatalf("%d usage plans, want 1", len(m.UsagePlans))
	}
	plan := m.UsagePlans[0]
	var got []string
	for _, s := range plan.Stages {
		if s.API != shop {
			t.Errorf("plan stage API = %v, want ShopApi", s.API)
		}
		got = append(got, s.Stage.S+"="+w.slice(t, s.Loc))
	}
	if want := `live="!Ref LiveStage",Live="Live"`; strings.Join(got, ",") != want {
		t.Errorf("plan stages = %s, want %s", strings.Join(got, ","), want)
	}

	// Keys: one in the plan, one orphan.
	keys := map[string]int{}
	for _, k := range m.APIKeys {
		keys[k.LogicalID] = len(k.Plans)
	}
	if keys["PartnerKey"] != 1 || keys["OrphanKey"] != 0 || len(plan.Keys) != 1 {
		t.Errorf("keys = %v, plan keys = %d", keys, len(plan.Keys))
	}

	// Domain with mTLS and two mappings (the second by literal name).
	if len(m.Domains) != 1 {
		t.Fatalf("%d domains, want 1", len(m.Domains))
	}
	d := m.Domains[0]
	if !d.MTLS || w.slice(t, d.MTLSLoc) != `"MutualTlsAuthentication"` || d.EndpointType != Regional || d.External {
		t.Errorf("domain = %+v", d)
	}
	var maps []string
	for _, mp := range d.Mappings {
		maps = append(maps, mp.BasePath+"→"+mp.Stage+"@"+w.slice(t, mp.Loc))
	}
	if want := `→live@"RootMapping",v2→@"/v2/"`; strings.Join(maps, ",") != want {
		t.Errorf("mappings = %s, want %s", strings.Join(maps, ","), want)
	}

	// Policy: an explicit Deny outside an IP range, then an Allow.
	pol := shop.Policy
	if pol == nil || len(pol.Statements) != 2 {
		t.Fatalf("policy = %+v", pol)
	}
	deny := pol.Statements[0]
	if deny.Effect != "Deny" || w.slice(t, deny.EffectLoc) != `"Deny"` || len(deny.Conditions) != 1 ||
		deny.Conditions[0].Operator != "NotIpAddress" || deny.Conditions[0].Key != "aws:SourceIp" || deny.Conditions[0].Values[0].S != "203.0.113.0/24" {
		t.Errorf("deny statement = %+v", deny)
	}
	if allow := pol.Statements[1]; allow.Principal != "*" || allow.Resources[0].S != "execute-api:/*" {
		t.Errorf("allow statement = %+v ({AWS: \"*\"} is anyone)", allow)
	}

	// Deployment without StageName and its DependsOn list.
	if len(shop.Deployments) != 1 || strings.Join(shop.Deployments[0].DependsOn, ",") != "ListProducts,GetProduct" || shop.Deployments[0].StageName != "" {
		t.Errorf("deployments = %+v", shop.Deployments)
	}

	// WAF: Block by default, no Allow rule, associated with live.
	acl := m.WebACLs[0]
	if acl.DefaultAction != "Block" || acl.HasAllowRule || len(acl.Associations) != 1 || acl.Associations[0].API != shop || acl.Associations[0].Stage != "live" {
		t.Errorf("web ACL = %+v", acl)
	}

	// Endpoint facts point at their values.
	if w.slice(t, shop.EndpointLoc) != `"REGIONAL"` || !shop.DisableExecute || w.slice(t, shop.DisableLoc) != `"true"` {
		t.Errorf("endpoint = %s %s", w.slice(t, shop.EndpointLoc), w.slice(t, shop.DisableLoc))
	}
}

func TestSAMUsagePlanAndResourcePolicy(t *testing.T) {
	w := loadWorkspace(t, "apikey", "private")
	m := w.build()
	orders := apiNamed(t, m, "OrdersApi")
	if len(m.UsagePlans) != 1 || !m.UsagePlans[0].Generated || m.UsagePlans[0].Stages[0].API != orders || m.UsagePlans[0].Stages[0].Stage.S != "prod" {
		t.Errorf("SAM usage plan = %+v", m.UsagePlans)
	}
	if len(m.APIKeys) != 1 || !m.APIKeys[0].Generated || len(m.APIKeys[0].Plans) != 1 {
		t.Errorf("SAM API key = %+v", m.APIKeys)
	}
	if s := orders.SAM; s == nil || !s.ApiKeyRequired || s.CreateUsagePlan != "PER_API" || w.slice(t, s.CreateUsagePlanLoc) != `"PER_API"` {
		t.Errorf("SAM auth = %+v", orders.SAM)
	}
	internal := apiNamed(t, m, "InternalApi")
	if internal.EndpointType != Private || len(internal.VpcEndpointIDs) != 1 || internal.VpcEndpointIDs[0].S != "vpce-0a1b2c3d4e5f60789" {
		t.Errorf("private endpoint = %s %+v", internal.EndpointType, internal.VpcEndpointIDs)
	}
	pol := internal.Policy
	if pol == nil || len(pol.Statements) != 5 {
		t.Fatalf("policy = %+v, want 2+2 generated statements and 1 custom", pol)
	}
	vpce := pol.Statements[1]
	if vpce.Effect != "Deny" || vpce.Conditions[0].Operator != "StringNotEquals" || vpce.Conditions[0].Key != "aws:SourceVpce" || vpce.Resources[0].S != "execute-api:/v1/GET/items/*" {
		t.Errorf("SourceVpcWhitelist deny = %+v", vpce)
	}
	custom := pol.Statements[4]
	if custom.Effect != "Allow" || custom.Resources[0].Known || custom.Resources[0].S != "execute-api:/${AWS::StackName}/*" {
		t.Errorf("custom statement = %+v, want an unknown resource with its display form", custom)
	}
}

// TestCrossStackAPI: an API exported by one stack and given methods and a
// stage by another (through Fn::ImportValue) must not look complete.
func TestCrossStackAPI(t *testing.T) {
	m, _ := buildSources(t, map[string]string{
		"api.yaml": `AWSTemplateFormatVersion: "2010-09-09"
Resources:
  SharedApi:
    Type: AWS::ApiGateway::RestApi
    Properties: {Name: shared}
Outputs:
  ApiId:
    Value: !Ref SharedApi
    Export: {Name: shared-api-id}
`,
		"methods.yaml": `AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Get:
    Type: AWS::ApiGateway::Method
    Properties:
      RestApiId: !ImportValue shared-api-id
      ResourceId: !ImportValue shared-api-root
      HttpMethod: GET
      AuthorizationType: NONE
`,
	})
	a := apiNamed(t, m, "SharedApi")
	if !a.Exported || a.RoutesKnown || a.StagesKnown {
		t.Errorf("SharedApi: Exported=%v RoutesKnown=%v StagesKnown=%v, want true false false", a.Exported, a.RoutesKnown, a.StagesKnown)
	}
}
