package link

import (
	"strings"
	"testing"

	"github.com/gw403/gw403-lsp/schemas/apimodel"
	"github.com/gw403/gw403-lsp/schemas/gwconfig"
	"github.com/gw403/gw403-lsp/schemas/source"
)

func testModel() *apimodel.Model {
	orders := &apimodel.API{
		Name: "OrdersApi", LogicalID: "OrdersApi", Kind: apimodel.REST, File: "/ws/template.yaml",
		Stages:      []*apimodel.Stage{{Name: "Prod", Deployed: true}, {Name: "Stage", Implicit: true, Deployed: true}},
		StagesKnown: true, RoutesKnown: true,
		Routes: []*apimodel.Route{
			{Method: "GET", Path: "/orders", Auth: apimodel.Auth{Type: apimodel.AuthNone, APIKeyRequired: true}},
			{Method: "POST", Path: "/orders", Auth: apimodel.Auth{Type: apimodel.AuthIAM}},
			{Method: "GET", Path: "/orders/{id}"},
		},
	}
	users := &apimodel.API{
		Name: "UsersHttpApi", LogicalID: "UsersHttpApi", Kind: apimodel.HTTP, File: "/ws/template.yaml",
		Stages:      []*apimodel.Stage{{Name: "$default", Deployed: true}},
		StagesKnown: true, RoutesKnown: true,
		Routes: []*apimodel.Route{
			{Method: "GET", Path: "/users/{userId}"},
			{Method: "ANY", Path: "/files/{proxy+}"},
		},
	}
	exported := &apimodel.API{
		Name: "Legacy", Kind: apimodel.REST, File: "/ws/api/legacy.yaml", IDs: []string{"zzzzzzzzzz"},
		Stages: []*apimodel.Stage{{Name: "v1", Deployed: true}}, StagesKnown: true, RoutesKnown: true,
		Routes: []*apimodel.Route{{Method: "GET", Path: "/legacy"}},
	}
	dom := &apimodel.Domain{Name: apimodel.Known("api.example.com", apimodel.Loc{}), Kind: apimodel.REST}
	dom.Mappings = []*apimodel.Mapping{
		{BasePath: "", Known: true, API: orders, Stage: "Prod"},
		{BasePath: "people", Known: true, API: users, Stage: "$default"},
	}
	strict := &apimodel.Domain{Name: apimodel.Known("strict.example.com", apimodel.Loc{}), Kind: apimodel.REST}
	strict.Mappings = []*apimodel.Mapping{{BasePath: "v1", Known: true, API: orders, Stage: "Prod"}}
	// A REST mapping without a stage: the URL names the stage after the
	// base path.
	open := &apimodel.Domain{Name: apimodel.Known("open.example.com", apimodel.Loc{}), Kind: apimodel.REST}
	open.Mappings = []*apimodel.Mapping{{BasePath: "shop", Known: true, API: orders}}
	return &apimodel.Model{APIs: []*apimodel.API{orders, users, exported}, Domains: []*apimodel.Domain{dom, strict, open}}
}

func urlOf(raw string) *URL {
	return ParseURL(NewExpanded([]Piece{lit(raw, 0)}), "")
}

func TestLinkRequest(t *testing.T) {
	m := testModel()
	cfg, problems := gwconfig.Parse(source.NewFile(".gw403.yaml", "apis:\n  legacy:\n    openapi: api/legacy.yaml\n  orders:\n    template: template.yaml\n    resource: OrdersApi\n    hosts: [orders.internal.example]\n"))
	if len(problems) > 0 {
		t.Fatal(problems)
	}
	tests := []struct {
		name      string
		url       string
		method    string
		directive string
		wantAPI   string // "" = unlinked
		how       LinkMethod
		stage     string
		resource  string
		route     string // "METHOD /path" of Route, "" for none
		why       string // substring of the reason
	}{
		{"execute-api path match", "https://a1b2c3d4e5.execute-api.us-east-1.amazonaws.com/Prod/orders", "GET", "", "OrdersApi", LinkPathMatch, "Prod", "/orders", "GET /orders", "matches routes of exactly one API"},
		{"wrong stage still path-matches nothing", "https://a1b2c3d4e5.execute-api.us-east-1.amazonaws.com/prod/orders", "GET", "", "", "", "", "", "", "no API"},
		{"http api default stage", "https://b2c3d4e5f6.execute-api.us-east-1.amazonaws.com/users/42", "GET", "", "UsersHttpApi", LinkPathMatch, "$default", "/users/42", "GET /users/{userId}", ""},
		{"greedy proxy", "https://b2c3d4e5f6.execute-api.us-east-1.amazonaws.com/files/a/b/c.txt", "PUT", "", "UsersHttpApi", LinkPathMatch, "$default", "/files/a/b/c.txt", "ANY /files/{proxy+}", ""},
		{"custom domain empty mapping", "https://api.example.com/orders/7", "GET", "", "OrdersApi", LinkCustomDomain, "Prod", "/orders/7", "GET /orders/{id}", "custom domain"},
		{"custom domain base path", "https://API.example.com/people/users/9", "GET", "", "UsersHttpApi", LinkCustomDomain, "$default", "/users/9", "GET /users/{userId}", "people"},
		{"custom domain no mapping", "https://strict.example.com/orders", "GET", "", "", LinkCustomDomain, "", "/orders", "", "no base path mapping"},
		{"custom domain mapping without stage", "https://open.example.com/shop/Prod/orders/7", "GET", "", "OrdersApi", LinkCustomDomain, "Prod", "/orders/7", "GET /orders/{id}", "shop"},
		{"custom domain mapping without stage, unknown stage", "https://open.example.com/shop/prod/orders", "GET", "", "OrdersApi", LinkCustomDomain, "", "/orders", "GET /orders", "shop"},
		{"openapi server id", "https://zzzzzzzzzz.execute-api.us-east-1.amazonaws.com/v1/legacy", "GET", "", "Legacy", LinkOpenAPIServer, "v1", "/legacy", "GET /legacy", "servers"},
		{"directive", "https://qqqqqqqqqq.execute-api.us-east-1.amazonaws.com/v1/nothing", "GET", "legacy", "Legacy", LinkDirective, "v1", "/nothing", "", "@api legacy"},
		{"config host", "https://orders.internal.example/Prod/orders", "POST", "", "OrdersApi", LinkConfig, "Prod", "/orders", "POST /orders", "host orders.internal.example"},
		{"local never linked", "http://localhost:3000/orders", "GET", "", "", "", "", "", "", "local host"},
		{"other host never linked", "https://httpbin.org/get", "GET", "", "", "", "", "", "", "neither an API Gateway host"},
		{"unknown directive", "https://a1b2c3d4e5.execute-api.us-east-1.amazonaws.com/Prod/orders", "GET", "nope", "", "", "", "", "", "@api nope"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l, why := linkRequest(linkInput{model: m, config: cfg, root: "/ws", directive: tt.directive, url: urlOf(tt.url), method: tt.method})
			gotAPI := ""
			if l != nil && l.API != nil {
				gotAPI = l.API.Name
			}
			if gotAPI != tt.wantAPI {
				t.Fatalf("linkRequest(%s) API = %q (why %q), want %q", tt.url, gotAPI, why.text(nil).EN, tt.wantAPI)
			}
			reason := why.text(nil).EN
			if l != nil {
				reason = l.Reason().EN
				if l.Method != tt.how {
					t.Errorf("Method = %q, want %q", l.Method, tt.how)
				}
				gotStage := ""
				if l.Stage != nil {
					gotStage = l.Stage.Name
				}
				if gotStage != tt.stage {
					t.Errorf("Stage = %q, want %q", gotStage, tt.stage)
				}
				if got := l.ResourcePath(); got != tt.resource {
					t.Errorf("ResourcePath() = %q, want %q", got, tt.resource)
				}
				gotRoute := ""
				if l.Route != nil {
					gotRoute = l.Route.Method + " " + l.Route.Path
				}
				if gotRoute != tt.route {
					t.Errorf("Route = %q, want %q", gotRoute, tt.route)
				}
			}
			if !strings.Contains(reason, tt.why) {
				t.Errorf("reason = %q, want it to contain %q", reason, tt.why)
			}
			if l != nil && reason != "" && why.text(nil).JA == "" && l.Reason().JA == "" {
				t.Errorf("reason has no Japanese text")
			}
		})
	}
}

func TestLinkSingleAPI(t *testing.T) {
	m := testModel()
	m.APIs = m.APIs[:1]
	m.Domains = nil
	// The path matches nothing, but the workspace has one API: link it.
	l, _ := linkRequest(linkInput{model: m, url: urlOf("https://a1b2c3d4e5.execute-api.us-east-1.amazonaws.com/orders"), method: "GET"})
	if l == nil || l.Method != LinkSingleAPI {
		t.Fatalf("linkRequest = %+v, want a single-api link", l)
	}
	if l.StageSeg != 0 || l.Stage != nil {
		t.Errorf("StageSeg = %d Stage = %v, want the first segment read as an unknown stage", l.StageSeg, l.Stage)
	}
	// A region that contradicts the API's known region prevents the link.
	m.APIs[0].Region = "eu-west-1"
	if l, _ := linkRequest(linkInput{model: m, url: urlOf("https://a1b2c3d4e5.execute-api.us-east-1.amazonaws.com/Prod/orders"), method: "GET"}); l != nil {
		t.Errorf("linked across regions: %+v", l)
	}
}

func TestMethodRoute(t *testing.T) {
	routes := []*apimodel.Route{
		{Method: "GET", Path: "/orders"},
		{Method: "ANY", Path: "/{proxy+}"},
	}
	segs := urlOf("https://h/orders").Segments
	got := PathRoutes(&apimodel.API{Routes: routes}, segs, false)
	if len(got) != 2 || got[0].Path != "/orders" {
		t.Fatalf("PathRoutes = %v, want /orders first", got)
	}
	if r := MethodRoute(got, "DELETE"); r == nil || r.Path != "/{proxy+}" {
		t.Errorf("MethodRoute(DELETE) = %v, want the greedy ANY route", r)
	}
	if r := MethodRoute(got[:1], "DELETE"); r != nil {
		t.Errorf("MethodRoute(DELETE) without ANY = %v, want nil", r)
	}
	// {proxy+} needs at least one segment.
	if ok, _ := matchPath("/{proxy+}", nil, false); ok {
		t.Errorf("matchPath(/{proxy+}, /) = true, want false")
	}
	if ok, _ := matchPath("/", nil, false); !ok {
		t.Errorf("matchPath(/, /) = false, want true")
	}
}
