package workspace

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
)

func TestCompleteHeaderNames(t *testing.T) {
	for _, tt := range []struct {
		name, text string
		want       string
	}{
		{"after a header", "GET https://example.com/items\nAccept: application/json\nx-\n", "x-api-key"},
		{"right after the request line", "GET https://example.com/items\nx-\n", "x-api-key"},
		{"at end of file", "GET https://example.com/items\nx-", "x-api-key"},
		{"CRLF", "GET https://example.com/items\r\nx-\r\n", "x-api-key"},
		{"auth", "GET https://a1b2c3d4e5.execute-api.us-east-1.amazonaws.com/Prod/items\nAuth", "Authorization: AWS"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			dir := writeTree(t, map[string]string{"api.http": tt.text})
			ws := New(dir, Options{})
			off := strings.Index(tt.text, "x-") + 2
			if tt.name == "auth" {
				off = len(tt.text)
			}
			items, err := ws.Complete(context.Background(), filepath.Join(dir, "api.http"), off)
			if err != nil {
				t.Fatal(err)
			}
			var labels []string
			for _, it := range items {
				labels = append(labels, it.Label)
			}
			if !strings.Contains(strings.Join(labels, "|"), tt.want) {
				t.Errorf("Complete = %v, want an item %q", labels, tt.want)
			}
		})
	}
}

func TestCompleteVariablesPathsAndHover(t *testing.T) {
	dir := writeTree(t, map[string]string{
		"template.yaml":                miniTemplate,
		"api.http":                     "@region = us-east-1\n### 一覧\nGET {{baseUrl}}/\nx-api-key: {{ap\n",
		"http-client.env.json":         `{"dev": {"baseUrl": "https://a1b2c3d4e5.execute-api.us-east-1.amazonaws.com/Prod", "apiKey": "placeholder"}}`,
		"http-client.private.env.json": `{"dev": {"apiKey": "s3cr3t-value-1234"}}`,
	})
	ws := New(dir, Options{})
	path := filepath.Join(dir, "api.http")
	text := "@region = us-east-1\n### 一覧\nGET {{baseUrl}}/\nx-api-key: {{ap\n"
	ctx := context.Background()
	items, err := ws.Complete(ctx, path, strings.Index(text, "{{ap")+4)
	if err != nil {
		t.Fatal(err)
	}
	if len(items) != 1 || items[0].Label != "apiKey" || items[0].InsertText != "apiKey" {
		t.Fatalf("variable completion = %+v, want apiKey", items)
	}
	if strings.Contains(items[0].Detail.EN, "s3cr3t") || !strings.Contains(items[0].Detail.EN, "****") {
		t.Errorf("detail %q shows a private value", items[0].Detail.EN)
	}
	// Paths of the linked API after the host (the URL is {{baseUrl}}/ : nothing
	// literal to replace, so no path items), and hover on the request line.
	h, err := ws.Hover(ctx, path, strings.Index(text, "GET"))
	if err != nil || h == nil {
		t.Fatalf("Hover = %v, %v", h, err)
	}
	for _, want := range []string{"ServerlessRestApi", "https://a1b2c3d4e5.execute-api.us-east-1.amazonaws.com/Prod/"} {
		if !strings.Contains(h.Markdown.EN, want) {
			t.Errorf("hover lacks %q:\n%s", want, h.Markdown.EN)
		}
	}
	if !strings.Contains(h.Markdown.JA, "ステージ") && !strings.Contains(h.Markdown.JA, "ルート") && !strings.Contains(h.Markdown.JA, "リンク") {
		t.Errorf("Japanese hover = %s", h.Markdown.JA)
	}
}

func TestCompletePathsOnTheRequestLine(t *testing.T) {
	text := "GET https://a1b2c3d4e5.execute-api.us-east-1.amazonaws.com/P\n"
	dir := writeTree(t, map[string]string{"template.yaml": miniTemplate, "api.http": text})
	ws := New(dir, Options{})
	items, err := ws.Complete(context.Background(), filepath.Join(dir, "api.http"), strings.Index(text, "/P")+2)
	if err != nil {
		t.Fatal(err)
	}
	var labels []string
	for _, it := range items {
		labels = append(labels, it.Label)
	}
	if strings.Join(labels, ",") != "/Prod/items" {
		t.Errorf("path completion = %v, want [/Prod/items]", labels)
	}
}
