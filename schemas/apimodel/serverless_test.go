package apimodel

import (
	"strings"
	"testing"

	"github.com/gw403/gw403-lsp/schemas/serverless"
	"github.com/gw403/gw403-lsp/schemas/source"
)

func buildServerlessText(t *testing.T, text string) (*Model, *source.File) {
	t.Helper()
	src := source.NewFile("svc/serverless.yml", text)
	s, probs := serverless.Load(src)
	if len(probs) > 0 {
		t.Fatalf("problems: %v", probs)
	}
	return Build(nil, nil, Options{Serverless: []*serverless.Service{s}}), src
}

func locText(src *source.File, l Loc) string {
	if l.IsZero() {
		return "-"
	}
	return src.Text[l.Span.Start:l.Span.End]
}

const slsShop = `# shop service
service: shop
plugins:
  - serverless-domain-manager
provider:
  name: aws
  region: eu-west-1
  stage: ${opt:stage, 'dev'}
  endpointType: PRIVATE
  vpcEndpointIds:
    - vpce-0123456789abcdef0
  apiGateway:
    apiKeySourceType: HEADER
    disableDefaultEndpoint: true
    apiKeys:
      - free:
          - ${self:service}-free
      - paid:
          - ${self:service}-paid
    usagePlan:
      - free:
          quota: {limit: 100, period: DAY}
      - paid:
          quota: {limit: 10000, period: DAY}
    resourcePolicy:
      - Effect: Allow
        Principal: '*'
        Action: execute-api:Invoke
        Resource: execute-api:/*
        Condition:
          StringEquals:
            aws:SourceVpce: vpce-0123456789abcdef0
  httpApi:
    authorizers:
      auth0:
        identitySource: $request.header.Authorization
        issuerUrl: https://shop.eu.auth0.com/
        audience: [shop]
      custom:
        type: request
        functionName: authorize
        identitySource:
          - $request.header.X-Tenant
custom:
  domains:
    dev: api-dev.shop.example.com
  customDomains:
    - rest:
        domainName: ${self:custom.domains.${sls:stage}}
        basePath: ''
        tlsTruststoreUri: s3://shop-truststore/ca.pem
    - http:
        domainName: v2.shop.example.com
        basePath: orders
functions:
  authorize:
    handler: auth.handler
  tenantAuth:
    handler: auth.tenant
  list:
    handler: items.list
    events:
      - http:
          path: /items/
          method: GET
          private: true
      - http:
          path: items/{id}
          method: any
          authorizer: authorize
      - http:
          path: admin
          method: post
          authorizer:
            type: AWS_IAM
      - http:
          path: me
          method: get
          authorizer:
            name: shopUsers
            arn: arn:aws:cognito-idp:eu-west-1:123456789012:userpool/eu-west-1_AbCdEf
      - http:
          path: tenants/{t}
          method: get
          authorizer:
            name: tenantAuth
            type: request
            identitySource: method.request.header.X-Tenant
      - httpApi: 'GET /v2/items'
      - httpApi:
          path: /v2/me
          method: get
          authorizer:
            name: auth0
      - httpApi:
          path: /v2/tenant
          authorizer:
            name: custom
      - httpApi: '*'
resources:
  Resources:
    PartnerPlan:
      Type: AWS::ApiGateway::UsagePlan
      DependsOn: ApiGatewayDeploymentDummy
      Properties:
        ApiStages:
          - ApiId:
              Ref: ApiGatewayRestApi
            Stage: ${sls:stage}
`

func TestServerlessFacts(t *testing.T) {
	m, src := buildServerlessText(t, slsShop)
	rest := apiNamed(t, m, "shop")
	if rest.Kind != REST || rest.Origin != Serverless || rest.LogicalID != serverless.RestAPIID {
		t.Errorf("rest = %s %s %s", rest.Kind, rest.Origin, rest.LogicalID)
	}
	if got := stageNames(rest); got != "dev" {
		t.Errorf("stages = %s, want dev", got)
	}
	if st := rest.Stages[0]; len(st.Params) == 0 || locText(src, st.Loc) != "${opt:stage, 'dev'}" {
		t.Errorf("stage %+v: want params and the provider.stage value", st)
	}
	if rest.EndpointType != Private || locText(src, rest.EndpointLoc) != "PRIVATE" {
		t.Errorf("endpoint = %s at %q", rest.EndpointType, locText(src, rest.EndpointLoc))
	}
	if len(rest.VpcEndpointIDs) != 1 || rest.VpcEndpointIDs[0].S != "vpce-0123456789abcdef0" {
		t.Errorf("vpce = %+v", rest.VpcEndpointIDs)
	}
	if !rest.DisableExecute || locText(src, rest.DisableLoc) != "true" || rest.APIKeySource != "HEADER" {
		t.Errorf("disable=%v at %q, key source %q", rest.DisableExecute, locText(src, rest.DisableLoc), rest.APIKeySource)
	}
	if rest.Policy == nil || len(rest.Policy.Statements) != 1 || rest.Policy.Statements[0].Effect != "Allow" {
		t.Fatalf("policy = %+v", rest.Policy)
	}
	if c := rest.Policy.Statements[0].Conditions; len(c) != 1 || c[0].Key != "aws:SourceVpce" {
		t.Errorf("conditions = %+v", c)
	}

	tests := []struct {
		method, path string
		typ          AuthType
		authorizer   string
		authLoc      string
		key          bool
		keyLoc       string
	}{
		{"GET", "/items", AuthNone, "", "-", true, "true"},
		{"ANY", "/items/{id}", AuthToken, "authorize", "authorize", false, "-"},
		{"POST", "/admin", AuthIAM, "", "type: AWS_IAM", false, "-"},
		{"GET", "/me", AuthCognito, "shopUsers", "name: shopUsers\n            arn: arn:aws:cognito-idp:eu-west-1:123456789012:userpool/eu-west-1_AbCdEf", false, "-"},
		{"GET", "/tenants/{t}", AuthRequest, "tenantAuth", "name: tenantAuth\n            type: request\n            identitySource: method.request.header.X-Tenant", false, "-"},
	}
	for _, tc := range tests {
		r := routeOf(t, rest, tc.method, tc.path)
		name := ""
		if r.Auth.Authorizer != nil {
			name = r.Auth.Authorizer.Name
		}
		if r.Auth.Type != tc.typ || name != tc.authorizer || locText(src, r.Auth.Loc) != tc.authLoc ||
			r.Auth.APIKeyRequired != tc.key || locText(src, r.Auth.APIKeyLoc) != tc.keyLoc {
			t.Errorf("%s %s: auth %s %q at %q, key %v at %q", tc.method, tc.path, r.Auth.Type, name, locText(src, r.Auth.Loc), r.Auth.APIKeyRequired, locText(src, r.Auth.APIKeyLoc))
		}
		if r.Function != "list" {
			t.Errorf("%s %s: function %q", tc.method, tc.path, r.Function)
		}
	}
	// Authorizers are shared by name, as the framework does.
	if n := len(rest.Authorizers); n != 3 {
		t.Errorf("REST authorizers = %d, want 3 (authorize, shopUsers, tenantAuth)", n)
	}
	if z := routeOf(t, rest, "GET", "/tenants/{t}").Auth.Authorizer; len(z.Identity) != 1 || z.Identity[0].Name != "X-Tenant" {
		t.Errorf("request authorizer identity = %+v", z.Identity)
	}

	http := apiNamed(t, m, "shop (httpApi)")
	if http.Kind != HTTP || stageNames(http) != "$default" {
		t.Errorf("http = %s stages %s", http.Kind, stageNames(http))
	}
	for _, tc := range []struct {
		method, path string
		typ          AuthType
		identity     string
	}{
		{"GET", "/v2/items", AuthNone, ""},
		{"GET", "/v2/me", AuthJWT, "Authorization"},
		{"ANY", "/v2/tenant", AuthRequest, "X-Tenant"},
		{"ANY", "$default", AuthNone, ""},
	} {
		r := routeOf(t, http, tc.method, tc.path)
		id := ""
		if r.Auth.Authorizer != nil && len(r.Auth.Authorizer.Identity) > 0 {
			id = r.Auth.Authorizer.Identity[0].Name
		}
		if r.Auth.Type != tc.typ || id != tc.identity {
			t.Errorf("http %s %s: %s identity %q", tc.method, tc.path, r.Auth.Type, id)
		}
	}

	// Usage plans: two from provider.apiGateway.usagePlan, keys grouped
	// by plan, and one from resources: joined to ApiGatewayRestApi.
	if len(m.UsagePlans) != 3 || len(m.APIKeys) != 2 {
		t.Fatalf("plans %d keys %d, want 3 and 2", len(m.UsagePlans), len(m.APIKeys))
	}
	for _, p := range m.UsagePlans {
		if len(p.Stages) != 1 || p.Stages[0].API != rest || p.Stages[0].Stage.S != "dev" || !p.Stages[0].Stage.Known {
			t.Errorf("plan %s stages %+v", p.LogicalID, p.Stages[0])
		}
	}
	if m.UsagePlans[0].Keys[0].Plans[0] != m.UsagePlans[0] || m.UsagePlans[1].Keys[0].Plans[0] != m.UsagePlans[1] {
		t.Errorf("keys are not in their plans")
	}

	if len(m.Domains) != 2 {
		t.Fatalf("domains = %d", len(m.Domains))
	}
	d := m.Domains[0]
	if d.Name.S != "api-dev.shop.example.com" || !d.MTLS || len(d.Mappings) != 1 {
		t.Fatalf("rest domain = %+v", d)
	}
	if mp := d.Mappings[0]; mp.API != rest || mp.BasePath != "" || mp.Stage != "dev" {
		t.Errorf("rest mapping = %+v", mp)
	}
	if mp := m.Domains[1].Mappings[0]; mp.API != http || mp.BasePath != "orders" || mp.Stage != "$default" || m.Domains[1].Kind != HTTP {
		t.Errorf("http mapping = %+v", mp)
	}
}

func TestServerlessStagePinnedAndUnknown(t *testing.T) {
	m, src := buildServerlessText(t, "service: a\nprovider:\n  name: aws\n  stage: prod\nfunctions:\n  f:\n    handler: h\n    events:\n      - http: GET x\n")
	a := m.APIs[0]
	if st := a.Stages[0]; st.Name != "prod" || len(st.Params) != 0 || locText(src, st.Loc) != "prod" {
		t.Errorf("pinned stage = %+v", st)
	}
	m, _ = buildServerlessText(t, "service: a\nprovider:\n  name: aws\n  stage: ${opt:stage}\nfunctions:\n  f:\n    handler: h\n    events:\n      - http: GET x\n")
	if a := m.APIs[0]; a.StagesKnown || len(a.Stages) != 0 {
		t.Errorf("unknown stage: known=%v stages=%v", a.StagesKnown, stageNames(a))
	}
	m, _ = buildServerlessText(t, "service: a\nprovider:\n  name: aws\nfunctions:\n  f:\n    handler: h\n    events:\n      - http: GET x\n")
	if st := m.APIs[0].Stages[0]; st.Name != "dev" || len(st.Params) == 0 {
		t.Errorf("default stage = %+v", st)
	}
}

func TestServerlessExternalAndUnknown(t *testing.T) {
	m, _ := buildServerlessText(t, `service: a
provider:
  name: aws
  apiGateway:
    restApiId: xyz123abcd
    restApiRootResourceId: root
functions: ${file(./functions.yml)}
`)
	if len(m.APIs) != 0 {
		t.Errorf("no events known: want no API, got %d", len(m.APIs))
	}
	m, _ = buildServerlessText(t, `service: a
provider:
  name: aws
  apiGateway:
    restApiId: xyz123abcd
    apiKeys: [k]
functions:
  f:
    handler: h
    events:
      - http: GET x
      - http:
          path: ${env:PATH_PART}
          method: get
`)
	a := m.APIs[0]
	if !a.Exported || a.RoutesKnown || len(a.IDs) != 1 || a.IDs[0] != "xyz123abcd" {
		t.Errorf("external API: exported=%v routesKnown=%v ids=%v", a.Exported, a.RoutesKnown, a.IDs)
	}
	// The owner's plans are not in the file: one undecided plan stands
	// for them (rules that say "no usage plan" stay quiet).
	if len(m.UsagePlans) != 1 || m.UsagePlans[0].Generated || m.UsagePlans[0].Stages[0].Stage.Known {
		t.Errorf("plans of an external API: %+v", m.UsagePlans)
	}
	// Another provider, and a file that is not a service.
	m, _ = buildServerlessText(t, "service: a\nprovider:\n  name: google\nfunctions:\n  f:\n    handler: h\n    events:\n      - http: GET x\n")
	if len(m.APIs) != 0 {
		t.Errorf("google provider: %d APIs", len(m.APIs))
	}
}

func TestServerlessResourcesIncludes(t *testing.T) {
	m, _ := buildServerlessText(t, `service: a
provider:
  name: aws
functions:
  f:
    handler: h
    events:
      - http:
          path: x
          method: get
          private: true
resources:
  - ${file(resources/usage-plan.yml)}
  - Resources:
      KeyA:
        Type: AWS::ApiGateway::ApiKey
  - Resources:
      PlanB:
        Type: AWS::ApiGateway::UsagePlan
        Properties:
          ApiStages:
            - ApiId: {Ref: ApiGatewayRestApi}
              Stage: ${sls:stage}
    Outputs:
      Api:
        Value: {Ref: ApiGatewayRestApi}
`)
	if len(m.APIKeys) != 1 || m.APIKeys[0].LogicalID != "KeyA" {
		t.Errorf("keys = %+v, want KeyA from the second item", m.APIKeys)
	}
	var ids []string
	for _, p := range m.UsagePlans {
		ids = append(ids, p.LogicalID)
		if p.Stages[0].API == nil || p.Stages[0].API.LogicalID != serverless.RestAPIID {
			t.Errorf("plan %s does not include the REST API", p.LogicalID)
		}
	}
	if got := strings.Join(ids, ","); got != "${file(resources/usage-plan.yml)},PlanB" {
		t.Errorf("plans = %s", got)
	}
	src := source.NewFile("serverless.yml", "service: a\nprovider:\n  name: aws\nresources:\n  Resources: ${file(./r.yml)}\n")
	s, probs := serverless.Load(src)
	if len(probs) != 0 || s.ResourcesUnknown == nil {
		t.Errorf("Resources from a file: problems %v, unknown %v", probs, s.ResourcesUnknown)
	}
}

func TestServerlessCORS(t *testing.T) {
	m, src := buildServerlessText(t, `service: a
provider:
  name: aws
  httpApi:
    cors: true
functions:
  f:
    handler: h
    events:
      - http:
          path: items
          method: get
          private: true
          cors: true
      - http:
          path: items
          method: post
          authorizer: aws_iam
          cors:
            origin: https://shop.example.com
      - http:
          path: admin
          method: get
          authorizer: aws_iam
      - http:
          path: own
          method: get
          cors: true
      - http:
          path: own
          method: options
      - httpApi: GET /v2/items
`)
	rest := apiNamed(t, m, "a")
	if rest.CORS == nil || locText(src, rest.CORS.Loc) != "true" || rest.CORS.Preflight.Type != AuthNone {
		t.Fatalf("rest CORS = %+v", rest.CORS)
	}
	r := routeOf(t, rest, "OPTIONS", "/items")
	if !r.CORS || !r.Mock || r.Auth.Type != AuthNone || r.Auth.APIKeyRequired {
		t.Errorf("generated OPTIONS /items = %+v", r)
	}
	if r := routeOf(t, rest, "OPTIONS", "/own"); r.CORS {
		t.Errorf("an explicit OPTIONS event is not generated: %+v", r)
	}
	for _, rt := range rest.Routes {
		if rt.Method == "OPTIONS" && rt.Path == "/admin" {
			t.Errorf("no cors on /admin, but an OPTIONS route")
		}
	}
	http := apiNamed(t, m, "a (httpApi)")
	if http.CORS == nil || !routeOf(t, http, "OPTIONS", "/v2/items").CORS {
		t.Errorf("http API CORS = %+v", http.CORS)
	}
}
