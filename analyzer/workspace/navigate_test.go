package workspace

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const navTemplate = `AWSTemplateFormatVersion: "2010-09-09"
Transform: AWS::Serverless-2016-10-31
Resources:
  OrdersApi:
    Type: AWS::Serverless::Api
    Properties:
      StageName: prod
      Auth:
        ApiKeyRequired: true
  ListOrders:
    Type: AWS::Serverless::Function
    Properties:
      Handler: index.handler
      Runtime: nodejs20.x
      InlineCode: "x"
      Events:
        List:
          Type: Api
          Properties:
            RestApiId: !Ref OrdersApi
            Path: /orders
            Method: get
  GetOrder:
    Type: AWS::Serverless::Function
    Properties:
      Handler: index.handler
      Runtime: nodejs20.x
      InlineCode: "x"
      Events:
        Get:
          Type: Api
          Properties:
            RestApiId: !Ref OrdersApi
            Path: /orders/{id}
            Method: get
`

// navRequests: two requests to GET /orders/{id}, one to GET /orders, one
// to localhost. 日本語 in the comments shifts byte offsets.
const navRequests = `### 注文を 1 件取得
GET {{host}}/prod/orders/ord-1
x-api-key: k

### もう 1 件
GET {{host}}/prod/orders/ord-2
x-api-key: k

### 一覧
GET {{host}}/prod/orders
x-api-key: k

### ローカル
GET http://localhost:3000/orders
`

func navWorkspace(t *testing.T) (*Workspace, string) {
	t.Helper()
	dir := t.TempDir()
	files := map[string]string{
		"template.yaml":                 navTemplate,
		"requests/orders.http":          navRequests,
		"requests/http-client.env.json": `{"prod": {"host": "https://a1b2c3d4e5.execute-api.us-east-1.amazonaws.com"}}`,
	}
	for name, text := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return New(dir, Options{}), dir
}

func TestRequestLinksLabels(t *testing.T) {
	ws, dir := navWorkspace(t)
	links, err := ws.RequestLinks(context.Background(), filepath.Join(dir, "requests", "orders.http"))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, l := range links {
		got = append(got, l.Label("en"))
	}
	want := []string{
		"OrdersApi · prod · GET /orders/{id} · API key",
		"OrdersApi · prod · GET /orders/{id} · API key",
		"OrdersApi · prod · GET /orders · API key",
		"not linked (localhost)",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("labels:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if got := links[0].Label("ja"); got != "OrdersApi · prod · GET /orders/{id} · API キー" {
		t.Errorf("Japanese label = %q", got)
	}
	if got := links[3].Label("ja-JP"); got != "リンクなし（localhost）" {
		t.Errorf("Japanese unlinked label = %q", got)
	}
}

func TestDefinitionAndReferences(t *testing.T) {
	ws, dir := navWorkspace(t)
	ctx := context.Background()
	req := filepath.Join(dir, "requests", "orders.http")
	tpl := filepath.Join(dir, "template.yaml")

	// From the path of the second request to the event's Path.
	off := strings.Index(navRequests, "orders/ord-2")
	locs, err := ws.Definition(ctx, req, off)
	if err != nil {
		t.Fatal(err)
	}
	if len(locs) != 1 || locs[0].Path != tpl || navTemplate[locs[0].Span.Start:locs[0].Span.End] != "/orders/{id}" {
		t.Fatalf("Definition = %+v, want the Path /orders/{id} in template.yaml", locs)
	}
	// Outside a request line: nothing.
	if locs, _ := ws.Definition(ctx, req, strings.Index(navRequests, "x-api-key")); locs != nil {
		t.Errorf("Definition on a header = %+v, want none", locs)
	}
	// The localhost request links nowhere.
	if locs, _ := ws.Definition(ctx, req, strings.Index(navRequests, "localhost")); locs != nil {
		t.Errorf("Definition on localhost = %+v, want none", locs)
	}

	// From the route back to both requests.
	refs, err := ws.References(ctx, tpl, strings.Index(navTemplate, "/orders/{id}")+2, false)
	if err != nil {
		t.Fatal(err)
	}
	var urls []string
	for _, r := range refs {
		if r.Path != req {
			t.Errorf("reference in %s", r.Path)
		}
		urls = append(urls, navRequests[r.Span.Start:r.Span.End])
	}
	if strings.Join(urls, ",") != "{{host}}/prod/orders/ord-1,{{host}}/prod/orders/ord-2" {
		t.Errorf("References(route) = %v", urls)
	}
	// From the API's logical id: every linked request, declaration first.
	refs, _ = ws.References(ctx, tpl, strings.Index(navTemplate, "OrdersApi:"), true)
	if len(refs) != 4 || refs[0].Path != tpl {
		t.Errorf("References(API, with declaration) = %+v, want the declaration and 3 requests", refs)
	}
	// From the stage name.
	refs, _ = ws.References(ctx, tpl, strings.Index(navTemplate, "prod"), false)
	if len(refs) != 3 {
		t.Errorf("References(stage) = %+v, want 3 requests", refs)
	}

	usages, err := ws.RouteUsages(ctx, tpl)
	if err != nil {
		t.Fatal(err)
	}
	var counts []string
	for _, u := range usages {
		counts = append(counts, u.Route.Method+" "+u.Route.Path+"="+string(rune('0'+len(u.Requests))))
	}
	if strings.Join(counts, ",") != "GET /orders=1,GET /orders/{id}=2" {
		t.Errorf("RouteUsages = %v", counts)
	}
}

func TestEnvironmentURLsAndLinkCounts(t *testing.T) {
	ws, dir := navWorkspace(t)
	ctx := context.Background()
	req := filepath.Join(dir, "requests", "orders.http")
	urls, err := ws.EnvironmentURLs(ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	if got := urls["prod"]; got != "https://a1b2c3d4e5.execute-api.us-east-1.amazonaws.com/prod" || len(urls) != 1 {
		t.Errorf("EnvironmentURLs = %v, want prod → https://a1b2c3d4e5.execute-api.us-east-1.amazonaws.com/prod", urls)
	}
	linked, unlinked, err := ws.LinkCounts(ctx, req)
	if err != nil || linked != 3 || unlinked != 1 {
		t.Errorf("LinkCounts = %d, %d, %v; want 3 linked, 1 unlinked (localhost)", linked, unlinked, err)
	}
}

// TestReferencesFromCustomDomain: from a custom domain's name to the
// requests that call it through that domain, and from there back.
func TestReferencesFromCustomDomain(t *testing.T) {
	dir := t.TempDir()
	tpl := strings.Replace(navTemplate, "      StageName: prod\n", "      StageName: prod\n      Domain:\n        DomainName: api.example.com\n        CertificateArn: arn:aws:acm:us-east-1:123456789012:certificate/x\n", 1)
	reqs := "GET https://api.example.com/orders/ord-1\nx-api-key: k\n\n###\nGET https://a1b2c3d4e5.execute-api.us-east-1.amazonaws.com/prod/orders\nx-api-key: k\n"
	for name, text := range map[string]string{"template.yaml": tpl, "r.http": reqs} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	ws := New(dir, Options{})
	ctx := context.Background()
	refs, err := ws.References(ctx, filepath.Join(dir, "template.yaml"), strings.Index(tpl, "api.example.com")+3, false)
	if err != nil {
		t.Fatal(err)
	}
	if len(refs) != 1 || reqs[refs[0].Span.Start:refs[0].Span.End] != "https://api.example.com/orders/ord-1" {
		t.Errorf("References(domain) = %+v, want the request through api.example.com only", refs)
	}
	locs, _ := ws.Definition(ctx, filepath.Join(dir, "r.http"), strings.Index(reqs, "orders/ord-1"))
	if len(locs) != 1 || tpl[locs[0].Span.Start:locs[0].Span.End] != "/orders/{id}" {
		t.Errorf("Definition through the domain = %+v, want the route", locs)
	}
}

// TestRouteUsagesFollowEdits: the links kept per request file are
// recomputed when the template or the request file changes.
func TestRouteUsagesFollowEdits(t *testing.T) {
	ws, dir := navWorkspace(t)
	ctx := context.Background()
	tpl := filepath.Join(dir, "template.yaml")
	req := filepath.Join(dir, "requests", "orders.http")
	counts := func() string {
		us, err := ws.RouteUsages(ctx, tpl)
		if err != nil {
			t.Fatal(err)
		}
		var s []string
		for _, u := range us {
			s = append(s, fmt.Sprintf("%s %s=%d", u.Route.Method, u.Route.Path, len(u.Requests)))
		}
		return strings.Join(s, ",")
	}
	if got := counts(); got != "GET /orders=1,GET /orders/{id}=2" {
		t.Fatalf("before: %s", got)
	}
	// The route renamed in the template: nothing calls it any more.
	ws.SetOverlay(tpl, strings.Replace(navTemplate, "Path: /orders/{id}", "Path: /orders/{id}/items", 1))
	if got := counts(); got != "GET /orders=1,GET /orders/{id}/items=0" {
		t.Errorf("after the template edit: %s", got)
	}
	ws.CloseOverlay(tpl)
	// A request added to the request file.
	ws.SetOverlay(req, navRequests+"\n###\nGET {{host}}/prod/orders/ord-3\nx-api-key: k\n")
	if got := counts(); got != "GET /orders=1,GET /orders/{id}=3" {
		t.Errorf("after the request file edit: %s", got)
	}
}
