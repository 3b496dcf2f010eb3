package analyzer

import (
	"context"
	"path/filepath"
	"testing"
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
				t.Errorf("MatchRequest(%s %s) = %s:%d, want no match", tt.method, tt.url, m.Path, m.Line)
			}
			continue
		}
		if m == nil {
			t.Errorf("MatchRequest(%s %s) = nil, want line %d", tt.method, tt.url, tt.line)
			continue
		}
		if filepath.Base(m.Path) != "api.http" || m.Line != tt.line || m.Env != tt.env || m.Exact != tt.exact {
			t.Errorf("MatchRequest(%s %s) = %s:%d env %q exact %v, want line %d env %q exact %v", tt.method, tt.url, filepath.Base(m.Path), m.Line, m.Env, m.Exact, tt.line, tt.env, tt.exact)
		}
	}
}
