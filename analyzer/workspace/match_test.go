package workspace

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gw403/gw403-lsp/analyzer/link"
	"github.com/gw403/gw403-lsp/schemas/source"
)

func TestMatchRequest(t *testing.T) {
	dir := writeTree(t, map[string]string{
		"template.yaml": miniTemplate,
		"req/api.http":  "### 一覧\nGET {{baseUrl}}/items?limit=10\n\n###\nGET {{baseUrl}}/items/{{itemId}}\n\n###\nPOST {{baseUrl}}/items\n",
		"req/http-client.env.json": `{"dev": {"baseUrl": "https://a1b2c3d4e5.execute-api.us-east-1.amazonaws.com/Prod"},
		 "prod": {"baseUrl": "https://z9y8x7w6v5.execute-api.us-east-1.amazonaws.com/Prod"}}`,
	})
	ws := New(dir, Options{})
	ctx := context.Background()
	tests := []struct {
		method, url string
		line        int
		env         string
		exact       bool
	}{
		{"GET", "https://a1b2c3d4e5.execute-api.us-east-1.amazonaws.com/Prod/items?limit=10", 2, "dev", true},
		{"GET", "https://z9y8x7w6v5.execute-api.us-east-1.amazonaws.com/Prod/items?limit=99", 2, "prod", false},
		{"get", "https://z9y8x7w6v5.execute-api.us-east-1.amazonaws.com/Prod/items/i-42", 5, "prod", true},
		{"POST", "https://a1b2c3d4e5.execute-api.us-east-1.amazonaws.com/Prod/items", 8, "dev", true},
		{"DELETE", "https://a1b2c3d4e5.execute-api.us-east-1.amazonaws.com/Prod/items", 0, "", false},
		{"GET", "https://other.example.com/Prod/items", 0, "", false},
	}
	for _, tt := range tests {
		m, err := ws.MatchRequest(ctx, tt.method, tt.url)
		if err != nil {
			t.Fatal(err)
		}
		if tt.line == 0 {
			if m != nil {
				t.Errorf("MatchRequest(%s %s) = %s:%v, want no match", tt.method, tt.url, m.Path, m.Line)
			}
			continue
		}
		if m == nil {
			t.Errorf("MatchRequest(%s %s) = nil, want line %d", tt.method, tt.url, tt.line)
			continue
		}
		line, _ := m.Src.LineCol(m.Line.Start, source.Runes)
		if filepath.Base(m.Path) != "api.http" || line != tt.line || m.Env != tt.env || m.Exact != tt.exact {
			t.Errorf("MatchRequest(%s %s) = %s:%d env %q exact %v, want line %d env %q exact %v", tt.method, tt.url, filepath.Base(m.Path), line, m.Env, m.Exact, tt.line, tt.env, tt.exact)
		}
	}
}

// TestMatchCapturedByPath: with no .http request to match, a captured URL
// whose API id the workspace never names is linked to the one API whose
// routes its path matches, and checked.
func TestMatchCapturedByPath(t *testing.T) {
	dir := writeTree(t, map[string]string{
		"orders/template.yaml": `Transform: AWS::Serverless-2016-10-31
Resources:
  OrdersApi:
    Type: AWS::Serverless::Api
    Properties:
      StageName: prod
      Auth:
        ApiKeyRequired: true
        UsagePlan: {CreateUsagePlan: PER_API}
  OrdersFn:
    Type: AWS::Serverless::Function
    Properties:
      Handler: app.handler
      Runtime: python3.12
      Events:
        List: {Type: Api, Properties: {RestApiId: !Ref OrdersApi, Path: /orders, Method: get}}
`,
		"todos/template.yaml": `Transform: AWS::Serverless-2016-10-31
Globals:
  Api:
    Cors: "'*'"
    Auth:
      ApiKeyRequired: true
      UsagePlan: {CreateUsagePlan: PER_API}
Resources:
  TodosFn:
    Type: AWS::Serverless::Function
    Properties:
      Handler: app.handler
      Runtime: python3.12
      Events:
        List: {Type: Api, Properties: {Path: /todos, Method: get}}
`,
	})
	ws := New(dir, Options{})
	ctx := context.Background()
	tests := []struct {
		method, url string
		headers     [][2]string
		api         string // "" for no match
		codes       string
	}{
		{"DELETE", "https://q7w8e9r0t1.execute-api.eu-west-1.amazonaws.com/prod/orders", nil, "OrdersApi", "GW122"},
		{"GET", "https://q7w8e9r0t1.execute-api.eu-west-1.amazonaws.com/prod/orders", [][2]string{{"Accept", "application/json"}}, "OrdersApi", "GW101"},
		{"GET", "https://q7w8e9r0t1.execute-api.eu-west-1.amazonaws.com/prod/orders", [][2]string{{"x-api-key", "k"}}, "OrdersApi", ""},
		{"OPTIONS", "https://z1x2c3v4b5.execute-api.eu-west-1.amazonaws.com/Prod/todos", [][2]string{{"Origin", "https://app.example.com"}}, "ServerlessRestApi", "GW241"},
		{"GET", "https://q7w8e9r0t1.execute-api.eu-west-1.amazonaws.com/prod/nothing-here", nil, "", ""},
		{"GET", "https://shop.example.com/prod/orders", nil, "", ""},
	}
	for _, tt := range tests {
		m, err := ws.MatchCaptured(ctx, tt.method, tt.url, tt.headers)
		if err != nil {
			t.Fatal(err)
		}
		if tt.api == "" {
			if m != nil {
				t.Errorf("MatchCaptured(%s %s) = API %s, want no match", tt.method, tt.url, m.API)
			}
			continue
		}
		if m == nil {
			t.Errorf("MatchCaptured(%s %s) = nil, want API %s", tt.method, tt.url, tt.api)
			continue
		}
		var codes []string
		for _, d := range m.Diagnostics {
			codes = append(codes, d.Code)
		}
		if !m.Captured || m.API != tt.api || m.LinkedBy != link.LinkPathMatch || m.Path != "" || strings.Join(codes, ",") != tt.codes {
			t.Errorf("MatchCaptured(%s %s) = captured %v API %s by %s path %q codes %v, want captured API %s by path, codes %q",
				tt.method, tt.url, m.Captured, m.API, m.LinkedBy, m.Path, codes, tt.api, tt.codes)
		}
		if filepath.Base(filepath.Dir(m.APIFile)) == "" {
			t.Errorf("MatchCaptured(%s %s): APIFile empty", tt.method, tt.url)
		}
	}
	// MatchRequest looks at the .http files only.
	if m, _ := ws.MatchRequest(ctx, "DELETE", "https://q7w8e9r0t1.execute-api.eu-west-1.amazonaws.com/prod/orders"); m != nil {
		t.Errorf("MatchRequest without .http files = %+v, want nil", m)
	}
}
