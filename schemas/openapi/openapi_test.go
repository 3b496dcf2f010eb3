package openapi

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gw403/gw403-lsp/schemas/source"
	"github.com/gw403/gw403-lsp/schemas/yamlpos"
)

func load(t *testing.T, name string) *Doc {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	d, probs := Load(source.NewFile(name, string(b)))
	if len(probs) != 0 {
		t.Fatalf("Load(%s) problems: %v", name, probs)
	}
	return d
}

func routes(d *Doc) string {
	var out []string
	for _, o := range d.Operations() {
		out = append(out, o.Method+" "+o.Path)
	}
	return strings.Join(out, ", ")
}

func slice(d *Doc, sp source.Span) string { return d.File.Slice(sp) }

func TestRESTExportOAS3(t *testing.T) {
	d := load(t, "rest-export-oas3.yaml")
	if d.Major != 3 || d.Version != "3.0.1" || d.NotOpenAPI || d.Inline {
		t.Errorf("Major=%d Version=%q NotOpenAPI=%v Inline=%v", d.Major, d.Version, d.NotOpenAPI, d.Inline)
	}
	if d.Title != "注文サービス (orders) 🛒" || slice(d, d.TitleSpan) != "注文サービス (orders) 🛒" {
		t.Errorf("Title = %q, span %q", d.Title, slice(d, d.TitleSpan))
	}
	if got, want := routes(d), "GET /orders, POST /orders, GET /orders/{id}, DELETE /orders/{id}, ANY /orders/{id}, GET /health"; got != want {
		t.Errorf("routes = %s, want %s", got, want)
	}
	if !d.PathsKnown {
		t.Errorf("PathsKnown = false")
	}
	if d.Export == nil || d.Export.APIID != "a1b2c3d4e5" || d.Export.Region != "ap-northeast-1" || d.Export.Stage != "prod" {
		t.Errorf("Export = %+v, want a1b2c3d4e5 ap-northeast-1 prod", d.Export)
	}
	if got := slice(d, d.Export.Span); got != `"https://a1b2c3d4e5.execute-api.ap-northeast-1.amazonaws.com/{basePath}"` {
		t.Errorf("Export span slices to %q", got)
	}
	if d.Endpoint == nil || !d.Endpoint.DisableExecuteAPIEndpoint || slice(d, d.Endpoint.DisableSpan) != "true" {
		t.Errorf("Endpoint = %+v", d.Endpoint)
	}
	if d.APIKeySource != "HEADER" || slice(d, d.APIKeySourceSpan) != "HEADER" {
		t.Errorf("APIKeySource = %q", d.APIKeySource)
	}
	if d.Policy == nil || !strings.HasPrefix(slice(d, d.PolicySpan), "Version: \"2012-10-17\"") {
		t.Errorf("Policy span = %q", slice(d, d.PolicySpan))
	}
	if !d.SecuritySet || len(d.Security) != 1 || d.Security[0].Schemes[0].Name != "api_key" {
		t.Errorf("top-level security = %+v", d.Security)
	}
	if d.LooksHTTPAPI() {
		t.Errorf("a REST export looks like an HTTP API")
	}

	ops := d.Operations()
	getOrders, postOrders, getOrder, delOrder, anyOrder, health := ops[0], ops[1], ops[2], ops[3], ops[4], ops[5]
	if slice(d, getOrders.KeySpan) != "get" || !strings.HasPrefix(slice(d, getOrders.Span()), "get:\n      summary: 注文一覧") {
		t.Errorf("GET /orders spans: key %q op %q", slice(d, getOrders.KeySpan), slice(d, getOrders.Span()))
	}
	if getOrders.Integration == nil || getOrders.Integration.Type != "aws_proxy" || !strings.Contains(getOrders.Integration.URI, "function:list") {
		t.Errorf("GET /orders integration = %+v", getOrders.Integration)
	}
	reqs, set, _ := getOrder.EffectiveSecurity()
	if !set || len(reqs) != 1 || len(reqs[0].Schemes) != 2 {
		t.Errorf("GET /orders/{id} security = %+v, want one requirement with two schemes", reqs)
	}
	reqs, _, _ = health.EffectiveSecurity()
	if len(reqs) != 1 || reqs[0].Schemes[0].Name != "api_key" {
		t.Errorf("GET /health inherits %+v, want the top-level api_key", reqs)
	}
	reqs, set, sp := anyOrder.EffectiveSecurity()
	if !set || len(reqs) != 0 || slice(d, sp) != "[]" {
		t.Errorf("ANY security = %+v %q, want an explicit empty list", reqs, slice(d, sp))
	}
	if anyOrder.Method != "ANY" || slice(d, anyOrder.KeySpan) != "x-amazon-apigateway-any-method" {
		t.Errorf("ANY op = %s %q", anyOrder.Method, slice(d, anyOrder.KeySpan))
	}
	if delOrder.Security[0].Schemes[0].Scopes[0] != "orders/admin" {
		t.Errorf("DELETE scopes = %+v", delOrder.Security[0].Schemes[0].Scopes)
	}
	_ = postOrders

	key := d.Scheme("api_key")
	if key == nil || key.Type != "apiKey" || key.ParamName != "x-api-key" || key.In != "header" || slice(d, key.NameSpan) != "x-api-key" || slice(d, key.InSpan) != "header" {
		t.Errorf("api_key scheme = %+v", key)
	}
	if s := d.Scheme("sigv4"); s == nil || s.AuthType != "awsSigv4" || slice(d, s.AuthTypeSpan) != "awsSigv4" {
		t.Errorf("sigv4 scheme = %+v", s)
	}
	tok := d.Scheme("token_auth")
	if tok == nil || tok.Authorizer == nil || tok.Authorizer.Type != "token" || strings.Join(tok.Authorizer.IdentitySource, ",") != "method.request.header.X-Token" ||
		slice(d, tok.Authorizer.IdentitySourceSpan) != "method.request.header.X-Token" || tok.Authorizer.ResultTTL != "300" || !strings.Contains(tok.Authorizer.AuthorizerURI, "function:auth") {
		t.Errorf("token_auth = %+v / %+v", tok, tok.Authorizer)
	}
	cog := d.Scheme("cognito")
	if cog == nil || cog.Authorizer == nil || cog.Authorizer.Type != "cognito_user_pools" || len(cog.Authorizer.ProviderARNs) != 1 {
		t.Errorf("cognito = %+v", cog)
	}
}

func TestSwagger2JSON(t *testing.T) {
	d := load(t, "rest-export-swagger2.json")
	if d.Major != 2 || d.Version != "2.0" {
		t.Errorf("Major=%d Version=%q", d.Major, d.Version)
	}
	if d.Host != "z9y8x7w6v5.execute-api.us-east-1.amazonaws.com" || d.BasePath != "/v1" || slice(d, d.BaseSpan) != `"/v1"` {
		t.Errorf("Host=%q BasePath=%q", d.Host, d.BasePath)
	}
	if d.Export == nil || d.Export.APIID != "z9y8x7w6v5" || d.Export.Region != "us-east-1" || d.Export.Stage != "v1" {
		t.Errorf("Export = %+v", d.Export)
	}
	if got, want := routes(d), "GET /items, ANY /items/{proxy+}"; got != want {
		t.Errorf("routes = %s, want %s", got, want)
	}
	if d.Endpoint == nil || len(d.Endpoint.VpcEndpointIDs) != 2 || d.Endpoint.DisableSet || !strings.HasPrefix(slice(d, d.Endpoint.VpcEndpointIDsSpan), `["vpce-0123456789abcdef0"`) {
		t.Errorf("Endpoint = %+v", d.Endpoint)
	}
	if d.APIKeySource != "AUTHORIZER" {
		t.Errorf("APIKeySource = %q", d.APIKeySource)
	}
	ra := d.Scheme("request_auth")
	if ra == nil || ra.Authorizer == nil || ra.Authorizer.Type != "request" ||
		strings.Join(ra.Authorizer.IdentitySource, "|") != "method.request.header.Authorization|method.request.querystring.tenant" {
		t.Errorf("request_auth = %+v", ra.Authorizer)
	}
	if got := slice(d, d.Operations()[0].KeySpan); got != `"get"` {
		t.Errorf("JSON method key span = %q", got)
	}
	if d.Operations()[0].OperationID != "listItems" {
		t.Errorf("operationId = %q", d.Operations()[0].OperationID)
	}
}

func TestHTTPAPIExport(t *testing.T) {
	d := load(t, "http-export.json")
	if !d.LooksHTTPAPI() || d.ImportExportVersion != "1.0" {
		t.Errorf("LooksHTTPAPI=%v ImportExportVersion=%q", d.LooksHTTPAPI(), d.ImportExportVersion)
	}
	if d.Export == nil || d.Export.APIID != "q1w2e3r4t5" || d.Export.Region != "eu-west-1" || d.Export.Stage != "" {
		t.Errorf("Export = %+v, want q1w2e3r4t5 eu-west-1 and no stage", d.Export)
	}
	post := d.Operations()[1]
	if post.Auth == nil || post.Auth.Type != "AWS_IAM" || slice(d, post.Auth.Span) != `{ "type" : "AWS_IAM" }` {
		t.Errorf("POST auth = %+v", post.Auth)
	}
	jwt := d.Scheme("jwt")
	if jwt == nil || jwt.Authorizer == nil || jwt.Authorizer.Type != "jwt" || jwt.Authorizer.JWTIssuer == "" || jwt.Authorizer.JWTAudience[0] != "7abc" ||
		jwt.Authorizer.IdentitySource[0] != "$request.header.Authorization" {
		t.Errorf("jwt = %+v", jwt.Authorizer)
	}
}

func TestNotOpenAPIAndInvalid(t *testing.T) {
	if d := load(t, "not-openapi.yaml"); !d.NotOpenAPI {
		t.Errorf("not-openapi.yaml: NotOpenAPI = false")
	}
	b, _ := os.ReadFile(filepath.Join("testdata", "invalid.yaml"))
	d, probs := Load(source.NewFile("invalid.yaml", string(b)))
	if len(probs) != 1 || d == nil {
		t.Fatalf("invalid.yaml problems = %v, want one", probs)
	}
	if sp := probs[0].Span; sp.Start < 0 || sp.End > len(b) || sp.End < sp.Start {
		t.Errorf("problem span %v out of bounds", sp)
	}
}

// TestInlineBody reads a DefinitionBody from a template's node tree: spans
// point into the template file.
func TestInlineBody(t *testing.T) {
	text := "Resources:\n  Api:\n    Type: AWS::Serverless::Api\n    Properties:\n      StageName: prod\n      DefinitionBody:\n        openapi: '3.0'\n        info: {title: !Sub '${AWS::StackName}-api'}\n        paths:\n          /ping:\n            get:\n              x-amazon-apigateway-integration:\n                type: aws_proxy\n                uri: !Sub arn:aws:apigateway:${AWS::Region}:lambda:path/x\n"
	src, err := yamlpos.Parse(source.NewFile("template.yaml", text))
	if err != nil {
		t.Fatal(err)
	}
	body := yamlpos.Value(yamlpos.Value(yamlpos.Value(yamlpos.Value(src.Root, "Resources"), "Api"), "Properties"), "DefinitionBody")
	d := FromNode(src, body)
	if !d.Inline || d.Major != 3 || routes(d) != "GET /ping" {
		t.Errorf("Inline=%v Major=%d routes=%s", d.Inline, d.Major, routes(d))
	}
	if d.Title != "" {
		t.Errorf("Title of an intrinsic = %q, want empty", d.Title)
	}
	op := d.Operations()[0]
	if got := slice(d, op.KeySpan); got != "get" {
		t.Errorf("KeySpan = %q", got)
	}
	if op.Integration == nil || op.Integration.URI != "" || op.Integration.URINode == nil {
		t.Errorf("integration = %+v: an !Sub uri is not a plain string, but its node is kept", op.Integration)
	}
	// A body that is an intrinsic (AWS::Include) has no known paths.
	inc, _ := yamlpos.Parse(source.NewFile("t.yaml", "Body:\n  Fn::Transform:\n    Name: AWS::Include\n    Parameters: {Location: s3://b/api.yaml}\n"))
	if d := FromNode(inc, yamlpos.Value(inc.Root, "Body")); d.PathsKnown {
		t.Errorf("AWS::Include body: PathsKnown = true")
	}
}

func TestParseExecuteAPIHost(t *testing.T) {
	tests := []struct {
		host, id, region string
		ok               bool
	}{
		{"a1b2c3d4e5.execute-api.ap-northeast-1.amazonaws.com", "a1b2c3d4e5", "ap-northeast-1", true},
		{"A1B2C3D4E5.execute-api.cn-north-1.amazonaws.com.cn", "a1b2c3d4e5", "cn-north-1", true},
		{"api.example.com", "", "", false},
		{"vpce-0123-abcd.execute-api.us-east-1.vpce.amazonaws.com", "", "", false},
	}
	for _, tt := range tests {
		id, region, ok := ParseExecuteAPIHost(tt.host)
		if id != tt.id || region != tt.region || ok != tt.ok {
			t.Errorf("ParseExecuteAPIHost(%q) = %q, %q, %v, want %q, %q, %v", tt.host, id, region, ok, tt.id, tt.region, tt.ok)
		}
	}
}

func TestGatewayExtensions(t *testing.T) {
	for _, name := range []string{"rest-export-oas3.yaml", "rest-export-swagger2.json", "http-export.json"} {
		if d := load(t, name); !d.GatewayExtensions {
			t.Errorf("%s: GatewayExtensions = false", name)
		}
	}
	d, _ := Load(source.NewFile("plain.yaml", "openapi: 3.0.0\ninfo: {title: plain}\npaths:\n  /a:\n    get:\n      security: [{key: []}]\ncomponents:\n  securitySchemes:\n    key: {type: apiKey, name: X-Key, in: header}\n"))
	if d.GatewayExtensions {
		t.Errorf("a plain OpenAPI document has GatewayExtensions")
	}
}

func TestFromNodeOfAParsedFile(t *testing.T) {
	src, err := yamlpos.Parse(source.NewFile("api.yaml", "swagger: '2.0'\npaths:\n  /a:\n    get: {}\n"))
	if err != nil {
		t.Fatal(err)
	}
	if d := FromNode(src, src.Root); d.NotOpenAPI || d.Inline || routes(d) != "GET /a" {
		t.Errorf("FromNode(root) = NotOpenAPI %v Inline %v routes %s", d.NotOpenAPI, d.Inline, routes(d))
	}
	for _, text := range []string{"", "- a\n", "name: x\n"} {
		src, _ := yamlpos.Parse(source.NewFile("x.yaml", text))
		if d := FromNode(src, src.Root); !d.NotOpenAPI {
			t.Errorf("FromNode(%q): NotOpenAPI = false", text)
		}
	}
}

func TestConditionalPathItem(t *testing.T) {
	d, _ := Load(source.NewFile("t.json", `{"swagger": "2.0", "paths": {"/a": {"get": {}}, "/b": {"Fn::If": ["C", {"get": {}}, {"Ref": "AWS::NoValue"}]}}}`))
	if d.PathsKnown || !d.Paths[1].Ref || routes(d) != "GET /a" {
		t.Errorf("PathsKnown=%v Ref=%v routes=%s, want unknown paths because of the Fn::If", d.PathsKnown, d.Paths[1].Ref, routes(d))
	}
}

// SAM writes the endpoint configuration of an OpenAPI 3 definition as a
// server without url; it must still be read.
func TestServerWithoutURLKeepsEndpointConfiguration(t *testing.T) {
	text := "openapi: 3.0.1\ninfo: {title: t, version: '1'}\nservers:\n- x-amazon-apigateway-endpoint-configuration:\n    disableExecuteApiEndpoint: true\npaths: {}\n"
	d, problems := Load(source.NewFile("api.yaml", text))
	if len(problems) > 0 {
		t.Fatal(problems)
	}
	if len(d.Servers) != 0 {
		t.Errorf("Servers = %d, want none (no url)", len(d.Servers))
	}
	if d.Endpoint == nil || !d.Endpoint.DisableExecuteAPIEndpoint {
		t.Errorf("Endpoint = %+v, want disableExecuteApiEndpoint read", d.Endpoint)
	}
}
