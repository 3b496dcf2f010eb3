package serverless

import (
	"strconv"
	"strings"
	"testing"

	"github.com/gw403/gw403-lsp/schemas/source"
)

func load(t *testing.T, text string) *Service {
	t.Helper()
	s, probs := Load(source.NewFile("serverless.yml", text))
	if len(probs) > 0 {
		t.Fatalf("problems: %v", probs)
	}
	return s
}

func TestStage(t *testing.T) {
	cases := []struct {
		yaml          string
		name          string
		known, pinned bool
	}{
		{"service: a\nprovider:\n  name: aws\n", "dev", true, false},
		{"service: a\nprovider:\n  name: aws\n  stage: prod\n", "prod", true, true},
		{"service: a\nprovider:\n  name: aws\n  stage: ${opt:stage, 'qa'}\n", "qa", true, false},
		{"service: a\nprovider:\n  name: aws\n  stage: ${opt:stage}\n", "", false, false},
		{"service: a\ncustom:\n  def: uat\nprovider:\n  name: aws\n  stage: ${opt:stage, self:custom.def}\n", "uat", true, false},
		{"service: a\nprovider:\n  name: aws\n  stage: ${env:STAGE, \"ci\"}\n", "ci", true, false},
	}
	for _, c := range cases {
		s := load(t, c.yaml)
		if s.Stage.Name != c.name || s.Stage.Known != c.known || s.Stage.Pinned != c.pinned {
			t.Errorf("%q: stage = %+v, want %q known=%v pinned=%v", c.yaml, s.Stage, c.name, c.known, c.pinned)
		}
	}
}

func TestResolve(t *testing.T) {
	s := load(t, `service: shop
provider:
  name: aws
  stage: ${opt:stage, 'dev'}
  region: eu-west-1
custom:
  domains:
    dev: dev.shop.example.com
    prod: shop.example.com
  self: ${self:custom.self}
`)
	cases := []struct {
		in, want string
		ok       bool
		params   string
	}{
		{"${self:custom.domains.${sls:stage}}", "dev.shop.example.com", true, "stage"},
		{"${self:service}-${sls:stage}-key", "shop-dev-key", true, "stage"},
		{"${self:provider.stage}", "dev", true, "stage"},
		{"${aws:region}", "eu-west-1", true, ""},
		{"${env:DOMAIN, 'api.example.com'}", "api.example.com", true, "env:DOMAIN"},
		{"${ssm:/shop/domain}", "", false, ""},
		{"${self:custom.self}", "", false, ""}, // a self-reference resolves to nothing
		{"plain", "plain", true, ""},
		{"${unclosed", "${unclosed", true, ""},
	}
	for _, c := range cases {
		got, params, ok := s.Resolve(c.in)
		if got != c.want || ok != c.ok || strings.Join(params, ",") != c.params {
			t.Errorf("Resolve(%q) = %q %v %v, want %q %v %q", c.in, got, params, ok, c.want, c.ok, c.params)
		}
	}
}

func TestEvents(t *testing.T) {
	s := load(t, "service: a\nprovider: {name: aws}\nfunctions:\n  f:\n    handler: h\n    events:\n      - http: GET users/{id}\n      - httpApi: '*'\n      - httpApi:\n          path: /x\n      - sqs: arn:aws:sqs:x\n  g: ${file(./g.yml)}\n")
	f := s.Functions[0]
	if len(f.Events) != 3 {
		t.Fatalf("events = %d, want 3", len(f.Events))
	}
	if e := f.Events[0]; e.Method != "GET" || e.Path != "users/{id}" || !e.Known {
		t.Errorf("short form = %+v", e)
	}
	if e := f.Events[1]; e.Method != "*" || e.Path != "*" {
		t.Errorf("catch-all = %+v", e)
	}
	if e := f.Events[2]; e.Method != "*" || e.Path != "/x" {
		t.Errorf("httpApi without method = %+v", e)
	}
	if !s.Functions[1].EventsUnknown {
		t.Errorf("a function from ${file()} should have unknown events")
	}
}

func TestNotServiceAndErrors(t *testing.T) {
	if s, _ := Load(source.NewFile("serverless.yml", "just: a mapping\n")); !s.NotService {
		t.Errorf("a mapping without service/provider should be NotService")
	}
	_, probs := Load(source.NewFile("serverless.yml", "service: a\nprovider:\n\tname: aws\n"))
	if len(probs) != 1 || probs[0].Span.Start < 21 || probs[0].Span.Start > 31 {
		t.Errorf("problems = %v, want one on the line with the tab", probs)
	}
	// Japanese text and CRLF keep byte spans.
	s := load(t, "service: 在庫\r\nprovider:\r\n  name: aws\r\nfunctions:\r\n  f:\r\n    events:\r\n      - http: GET 在庫\r\n")
	e := s.Functions[0].Events[0]
	if got := s.Doc.File.Text[s.Doc.Span(e.PathNode).Start:s.Doc.Span(e.PathNode).End]; got != "GET 在庫" {
		t.Errorf("span text = %q", got)
	}
}

func TestStagesOf(t *testing.T) {
	s := load(t, "service: a\nprovider:\n  name: aws\n  stage: ${opt:stage, 'dev'}\ncustom:\n  domains:\n    dev: dev.example.com\n    prod: example.com\n    qa: qa.example.com\n")
	text := "${self:custom.domains.${sls:stage}}"
	if got := strings.Join(s.StagesOf(text), ","); got != "prod,qa" {
		t.Errorf("StagesOf = %q, want prod,qa", got)
	}
	if got, _, ok := s.ResolveForStage(text, "prod"); !ok || got != "example.com" {
		t.Errorf("ResolveForStage(prod) = %q %v", got, ok)
	}
	if got, _, ok := s.ResolveForStage("${opt:stage, 'x'}-api", "qa"); !ok || got != "qa-api" {
		t.Errorf("ResolveForStage(opt) = %q %v", got, ok)
	}
	pinned := load(t, "service: a\nprovider:\n  name: aws\n  stage: prod\ncustom:\n  domains:\n    dev: dev.example.com\n")
	if got := pinned.StagesOf(text); got != nil {
		t.Errorf("a pinned stage has no other stages: %v", got)
	}
}

// TestResolveBomb: a value that doubles at each level stays unknown
// instead of growing to gigabytes.
func TestResolveBomb(t *testing.T) {
	var b strings.Builder
	b.WriteString("service: a\nprovider:\n  name: aws\ncustom:\n  l0: " + strings.Repeat("x", 4096) + "\n")
	for i := 1; i <= 15; i++ {
		b.WriteString("  l" + strconv.Itoa(i) + ": ${self:custom.l" + strconv.Itoa(i-1) + "}${self:custom.l" + strconv.Itoa(i-1) + "}\n")
	}
	s := load(t, b.String())
	if v, _, ok := s.Resolve("${self:custom.l15}"); ok || len(v) != 0 {
		t.Errorf("bomb resolved to %d bytes", len(v))
	}
	if v, _, ok := s.Resolve("${self:custom.l2}"); !ok || len(v) != 4*4096 {
		t.Errorf("a small doubling: %d bytes, %v", len(v), ok)
	}
}
