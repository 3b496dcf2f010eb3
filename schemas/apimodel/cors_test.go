package apimodel

import (
	"testing"
)

// TestCORSPreflight checks the CORS facts: the API-level setting with the
// auth SAM gives the OPTIONS methods it adds (flags default to true), and
// the spans the facts point at.
func TestCORSPreflight(t *testing.T) {
	const tpl = `Transform: AWS::Serverless-2016-10-31
Globals:
  Api:
    Cors: "'*'"
    Auth:
      ApiKeyRequired: true
Resources:
  KeyApi:
    Type: AWS::Serverless::Api
    Properties:
      StageName: prod
  AuthApi:
    Type: AWS::Serverless::Api
    Properties:
      StageName: prod
      Cors:
        AllowOrigin: "'https://example.com'"
      Auth:
        DefaultAuthorizer: AWS_IAM
        AddApiKeyRequiredToCorsPreflight: false
  OffApi:
    Type: AWS::Serverless::Api
    Properties:
      StageName: prod
      Auth:
        DefaultAuthorizer: AWS_IAM
        AddDefaultAuthorizerToCorsPreflight: false
        AddApiKeyRequiredToCorsPreflight: !Ref KeyOnPreflight
  Http:
    Type: AWS::Serverless::HttpApi
    Properties:
      CorsConfiguration: true
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Events:
        A: {Type: Api, Properties: {RestApiId: !Ref KeyApi, Path: /items, Method: get}}
        B: {Type: Api, Properties: {RestApiId: !Ref AuthApi, Path: /items, Method: get}}
        C: {Type: Api, Properties: {RestApiId: !Ref OffApi, Path: /items, Method: get}}
        D: {Type: HttpApi, Properties: {ApiId: !Ref Http, Path: /items, Method: get}}
  Rest:
    Type: AWS::ApiGateway::RestApi
  Items:
    Type: AWS::ApiGateway::Resource
    Properties: {RestApiId: !Ref Rest, ParentId: !GetAtt Rest.RootResourceId, PathPart: items}
  ItemsOptions:
    Type: AWS::ApiGateway::Method
    Properties:
      RestApiId: !Ref Rest
      ResourceId: !Ref Items
      HttpMethod: OPTIONS
      AuthorizationType: AWS_IAM
      ApiKeyRequired: true
      Integration: {Type: MOCK}
`
	m, srcs := buildSources(t, map[string]string{"template.yaml": tpl})
	w := &workspace{files: srcs}
	tests := []struct {
		api     string
		cors    string // text of CORS.Loc; "-" for no CORS
		typ     AuthType
		authLoc string
		key     bool
		keyLoc  string
		unknown bool
	}{
		{"KeyApi", `"Cors"`, AuthNone, "-", true, `"true"`, false},
		{"AuthApi", `"Cors"`, AuthIAM, `"AWS_IAM"`, false, "-", false},
		{"OffApi", `"Cors"`, AuthNone, "-", true, `"true"`, true},
		// An HTTP API answers preflight itself, before any authorizer.
		{"Http", `"CorsConfiguration"`, AuthNone, `"CorsConfiguration"`, false, "-", false},
	}
	for _, tt := range tests {
		a := apiNamed(t, m, tt.api)
		if a.CORS == nil {
			t.Errorf("%s: CORS = nil", tt.api)
			continue
		}
		p := a.CORS.Preflight
		if got := w.slice(t, a.CORS.Loc); got != tt.cors {
			t.Errorf("%s: CORS.Loc slices to %s, want %s", tt.api, got, tt.cors)
		}
		if p.Type != tt.typ || p.APIKeyRequired != tt.key || a.CORS.Unknown != tt.unknown {
			t.Errorf("%s: preflight %s key=%v unknown=%v, want %s key=%v unknown=%v", tt.api, p.Type, p.APIKeyRequired, a.CORS.Unknown, tt.typ, tt.key, tt.unknown)
		}
		if got := w.slice(t, p.Loc); got != tt.authLoc {
			t.Errorf("%s: Preflight.Loc slices to %s, want %s", tt.api, got, tt.authLoc)
		}
		if got := w.slice(t, p.APIKeyLoc); got != tt.keyLoc {
			t.Errorf("%s: Preflight.APIKeyLoc slices to %s, want %s", tt.api, got, tt.keyLoc)
		}
		var opt *Route
		for _, r := range a.Routes {
			if r.Method == "OPTIONS" && r.Path == "/items" {
				opt = r
			}
		}
		if opt == nil || !opt.CORS || !opt.Mock || opt.Auth.Type != tt.typ || opt.Auth.APIKeyRequired != tt.key {
			t.Errorf("%s: OPTIONS /items = %+v, want a generated mock route with the preflight auth", tt.api, opt)
		}
	}
	rest := apiNamed(t, m, "Rest")
	if rest.CORS != nil {
		t.Errorf("Rest: CORS = %+v, want nil (no API-level setting)", rest.CORS)
	}
	opt := routeOf(t, rest, "OPTIONS", "/items")
	if opt.CORS || !opt.Mock || opt.Auth.Type != AuthIAM || !opt.Auth.APIKeyRequired {
		t.Errorf("Rest OPTIONS /items = %+v, want a declared mock method with AWS_IAM and a key", opt)
	}
	if got := w.slice(t, opt.Auth.APIKeyLoc); got != `"true"` {
		t.Errorf("Rest OPTIONS /items: APIKeyLoc slices to %s, want \"true\"", got)
	}
	if got := w.slice(t, opt.Auth.Loc); got != `"AWS_IAM"` {
		t.Errorf("Rest OPTIONS /items: Auth.Loc slices to %s, want \"AWS_IAM\"", got)
	}
}

// TestCORSPreflightInDefinitionBody: SAM applies its preflight defaults,
// not its route defaults, to a definition's options operations that set no
// security.
func TestCORSPreflightInDefinitionBody(t *testing.T) {
	m, _ := buildSources(t, map[string]string{"template.yaml": `Transform: AWS::Serverless-2016-10-31
Resources:
  BodyApi:
    Type: AWS::Serverless::Api
    Properties:
      StageName: prod
      Auth:
        ApiKeyRequired: true
        AddApiKeyRequiredToCorsPreflight: false
      DefinitionBody:
        openapi: 3.0.1
        paths:
          /things:
            get:
              x-amazon-apigateway-integration: {type: mock}
            options:
              x-amazon-apigateway-integration: {type: mock}
`})
	a := apiNamed(t, m, "BodyApi")
	if get := routeOf(t, a, "GET", "/things"); !get.Auth.APIKeyRequired {
		t.Errorf("GET /things: APIKeyRequired = false, want the API default (true)")
	}
	opt := routeOf(t, a, "OPTIONS", "/things")
	if opt.Auth.APIKeyRequired || opt.CORS || !opt.Mock {
		t.Errorf("OPTIONS /things = %+v, want a declared mock method without the key (AddApiKeyRequiredToCorsPreflight: false)", opt)
	}
}
