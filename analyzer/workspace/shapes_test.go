package workspace_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gw403/gw403-lsp/analyzer/link"
	"github.com/gw403/gw403-lsp/analyzer/workspace"
	"github.com/gw403/gw403-lsp/cmd/gw403-lsp/inspect"
	"github.com/gw403/gw403-lsp/schemas/source"
)

// The shapes of false alarms found on real repositories (issue "No false
// alarms in real repositories"), each written small.

func tree(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for p, text := range files {
		full := filepath.Join(dir, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// findings checks dir and returns "path:line:col CODE" for each finding
// (paths relative to dir), and the result.
func findings(t *testing.T, dir string, opts workspace.Options) ([]string, *workspace.Result) {
	t.Helper()
	ws := workspace.New(dir, opts)
	res, err := ws.CheckPaths(context.Background(), []string{dir})
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, d := range res.Diagnostics {
		p := res.Files[d.Path].Position(d.Span.Start, source.Runes)
		rel, _ := filepath.Rel(dir, d.Path)
		out = append(out, filepath.ToSlash(rel)+":"+itoa(p.Line+1)+":"+itoa(p.Col+1)+" "+d.Code)
	}
	return out, res
}

func itoa(n int) string {
	s := ""
	for {
		s = string(rune('0'+n%10)) + s
		n /= 10
		if n == 0 {
			return s
		}
	}
}

const samAPI = `AWSTemplateFormatVersion: '2010-09-09'
Transform: AWS::Serverless-2016-10-31
Resources:
  Api:
    Type: AWS::Serverless::Api
    Properties:
      StageName: prod
      Domain:
        DomainName: %DOMAIN%
        CertificateArn: arn:aws:acm:us-east-1:123456789012:certificate/abc
        BasePath: [%BASE%]
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: app.handler
      Events:
        Get:
          Type: Api
          Properties:
            RestApiId: !Ref Api
            Path: /items
            Method: get
`

func sam(domain, base string) string {
	return strings.NewReplacer("%DOMAIN%", domain, "%BASE%", base).Replace(samAPI)
}

// Shape 1: env.json / .env.json are SAM local's --env-vars, not dotenv.
func TestShapeEnvJSONIsNotDotenv(t *testing.T) {
	dir := tree(t, map[string]string{
		"env.json":      "{\n  \"Fn\": {\"TABLE\": \"t\"}\n}\n",
		".env.json":     "{\n  \"Parameters\": {\"TABLE\": \"t\"}\n}\n",
		".env":          "TOKEN=abc\n",
		".env.dev":      "TOKEN=abc\n",
		"template.yaml": sam("api.internal.corp", "v1"),
	})
	got, res := findings(t, dir, workspace.Options{})
	if len(got) != 0 {
		t.Errorf("findings = %v, want none", got)
	}
	for _, p := range res.Checked {
		if b := filepath.Base(p); b == "env.json" || b == ".env.json" {
			t.Errorf("%s was checked; it is not a file we read", b)
		}
	}
	if len(res.Checked) != 3 {
		t.Errorf("checked %v, want template.yaml, .env and .env.dev", res.Checked)
	}
}

// Shape 2: files that are not templates, whatever keys they hold.
func TestShapeNonTemplatesAreSkipped(t *testing.T) {
	dir := tree(t, map[string]string{
		"appspec.yml":              "version: 0.0\nResources:\n  - fn:\n      Type: AWS::Lambda::Function\n      Properties: {Name: f}\n",
		"deploy/appspec.yaml":      "version: 0.0\nResources:\n  - fn:\n      Type: AWS::Lambda::Function\n",
		"buildspec.yml":            "version: 0.2\nphases:\n  build:\n    commands: [sam build]\n",
		"buildspec-prod.yml":       "version: 0.2\nResources: [x]\n",
		"docker-compose.yml":       "services:\n  db: {image: postgres}\n",
		"k8s/deploy.yaml":          "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: x}\n",
		".github/workflows/ci.yml": "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps: [{run: 'echo \"AWS::Serverless\"'}]\n",
		"vendor/botocore/data/apigateway/2015-07-09/service-2.json": `{"shapes": {"Resources": {"Type": "AWS::X"}}, "swagger": 1,`,
		"lib/aws-sdk/apis/apigateway-2015-07-09.min.json":           `{"metadata": {}, "operations": {"GetExport": {"documentation": "swagger"}}}`,
		"package.json":     `{"name": "x"}`,
		"appsettings.json": `{"Resources": {"Logging": {"Type": "console"}}}`,
	})
	got, res := findings(t, dir, workspace.Options{})
	if len(got) != 0 || len(res.Checked) != 0 {
		t.Errorf("findings = %v, checked = %v; want neither", got, res.Checked)
	}
}

// Shape 3: two samples of a monorepo use api.example.com, each its own; a
// raw-HTTP fixture of a third sample links to neither. A name that is not
// reserved still links from a folder beside the API's (api-tests/ beside
// infra/).
func TestShapeProjectsStayApart(t *testing.T) {
	dir := tree(t, map[string]string{
		".gw403.yaml":               "",
		"orders/template.yaml":      sam("api.example.com", "orders"),
		"orders/requests/a.http":    "GET https://api.example.com/orders/items\n\n###\nGET https://api.example.com/nope/items\n",
		"catalog/template.yaml":     sam("api.example.com", "catalog"),
		"vtl/src/test/request.http": "POST /resource HTTP/1.1\nHost: api.example.com\n\n{}\n",
		"shop/infra/template.yaml":  sam("shop.corp.internal", "v1"),
		"shop/api-tests/t.http":     "GET https://shop.corp.internal/nope/items\n",
		"catalog/tests/c.http":      "GET https://api.example.com/catalog/items\n",
	})
	got, res := findings(t, dir, workspace.Options{})
	want := []string{
		"orders/requests/a.http:4:29 GW142", // its own domain, no such base path: true
		"shop/api-tests/t.http:1:32 GW142",  // api-tests/ beside infra/ links
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("findings:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if res.Requests.Linked != 4 || res.Requests.Unlinked != 1 {
		t.Errorf("requests = %+v, want 4 linked and the raw fixture unlinked", res.Requests)
	}
	ws := workspace.New(dir, workspace.Options{})
	if p := ws.ProjectOf(filepath.Join(dir, "vtl", "src", "test", "request.http")); p != dir {
		t.Errorf("ProjectOf(raw fixture) = %s, want the root", p)
	}
	if p := ws.ProjectOf(filepath.Join(dir, "orders", "requests", "a.http")); p != filepath.Join(dir, "orders") {
		t.Errorf("ProjectOf(orders request) = %s, want orders/", p)
	}
	// # @api links anywhere.
	dir2 := tree(t, map[string]string{
		".gw403.yaml":          "apis:\n  orders:\n    template: orders/template.yaml\n",
		"orders/template.yaml": sam("api.example.com", "orders"),
		"elsewhere/x.http":     "# @api orders\nGET https://api.example.com/nope/items\n",
	})
	if got, _ := findings(t, dir2, workspace.Options{}); strings.Join(got, ",") != "elsewhere/x.http:2:29 GW142" {
		t.Errorf("# @api across projects: findings %v, want the GW142 of orders' domain", got)
	}
}

const brokenTemplate = "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  Api:\n    Description: 'text' (more)\n    Type: AWS::Serverless::Api\n"

// Shape 4: GW001 obeys --ignore, --select, rules.disable, exclude and
// suppression comments.
func TestShapeParseErrorCanBeSilenced(t *testing.T) {
	base := map[string]string{"bad/template.yaml": brokenTemplate}
	dir := tree(t, base)
	if got, _ := findings(t, dir, workspace.Options{}); strings.Join(got, ",") != "bad/template.yaml:4:25 GW001" {
		t.Fatalf("findings = %v, want one GW001 at 4:25", got)
	}
	for name, opts := range map[string]workspace.Options{
		"--ignore GW001":       {Ignore: []string{"GW001"}},
		"--ignore parse-error": {Ignore: []string{"parse-error"}},
		"--select GW1":         {Select: []string{"GW1"}},
	} {
		if got, res := findings(t, dir, opts); len(got) != 0 || len(res.Unparsed) != 1 {
			t.Errorf("%s: findings %v (want none), unparsed %v (want the template)", name, got, res.Unparsed)
		}
	}
	for name, files := range map[string]map[string]string{
		"rules.disable": {".gw403.yaml": "rules:\n  disable: [GW001]\n"},
		"exclude":       {".gw403.yaml": "exclude: [bad/**]\n"},
		"suppression":   {"bad/template.yaml": "# gw403-ignore-file: GW001 kept broken on purpose\n" + brokenTemplate},
		"severity off":  {".gw403.yaml": "rules:\n  severity: {GW001: off}\n"},
	} {
		m := map[string]string{}
		for k, v := range base {
			m[k] = v
		}
		for k, v := range files {
			m[k] = v
		}
		if got, _ := findings(t, tree(t, m), workspace.Options{}); len(got) != 0 {
			t.Errorf("%s: findings %v, want none", name, got)
		}
	}
}

// Shape 5: exactly one GW001, where the error is.
func TestShapeParseErrorOnceAtItsPlace(t *testing.T) {
	long := "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  Api:\n    Type: AWS::Serverless::Api\n    Properties:\n      Description: 'it is\n" +
		strings.Repeat("      StageName: prod\n", 9) + "      Name: 'x' y\n"
	for name, tc := range map[string]struct{ file, text, want string }{
		"text after quote": {"template.yaml", brokenTemplate, "template.yaml:4:25 GW001"},
		"unclosed quote":   {"template.yaml", long, "template.yaml:6:20 GW001"},
		"dotenv":           {".env", "A=1\nnot a line\nalso not\nB=2\n", ".env:2:1 GW001"},
		"json":             {"openapi.json", "{\"openapi\": \"3.0.1\", \"paths\": {},}\n", "openapi.json:1:34 GW001"},
		"duplicate key":    {"template.yaml", "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  A: {Type: AWS::SNS::Topic}\n  A: {Type: AWS::SNS::Topic}\n", "template.yaml:4:3 GW001"},
	} {
		got, _ := findings(t, tree(t, map[string]string{tc.file: tc.text}), workspace.Options{})
		if strings.Join(got, ",") != tc.want {
			t.Errorf("%s: findings %v, want exactly %s", name, got, tc.want)
		}
	}
}

// Shape 6: empty values leave the host unresolved; an execute-api host with
// a variable id or region still links to the project's one API.
func TestShapeEmptyValuesAreUnresolved(t *testing.T) {
	tmpl := strings.Replace(sam("api.internal.corp", "v1"), "      StageName: prod\n", "      StageName: prod\n      Auth:\n        ApiKeyRequired: true\n        UsagePlan: {CreateUsagePlan: PER_API}\n", 1)
	dir := tree(t, map[string]string{
		"template.yaml":        tmpl,
		"http-client.env.json": `{"dev": {"apiId": "", "region": "", "stage": "", "base": ""}}`,
		"a.http": "GET https://{{apiId}}.execute-api.{{region}}.amazonaws.com/{{stage}}/items\nx-api-key: k\n\n" +
			"###\nGET {{base}}/prod/items\nx-api-key: k\n\n" +
			"###\nGET https://{{apiId}}.execute-api.us-east-1.amazonaws.com/prod/items\n",
	})
	got, _ := findings(t, dir, workspace.Options{})
	// Only the third request, on the one API and without a key, is a
	// finding; an empty stage is not the stage "items".
	if strings.Join(got, ",") != "a.http:9:5 GW101" {
		t.Errorf("findings = %v, want only a.http:9:5 GW101", got)
	}
	ins, err := inspect.Build(context.Background(), workspace.New(dir, workspace.Options{}), []string{filepath.Join(dir, "a.http")})
	if err != nil {
		t.Fatal(err)
	}
	ev := ins.RequestFiles[0].Requests[0].Evaluations[0]
	if ev.HostKind != "unknown" || ev.API != "Api" || ev.LinkedBy != string(link.LinkSingleAPI) || ev.Stage != "" {
		t.Errorf("empty id and region: %+v, want an unknown host linked to Api as the one API, no stage", ev)
	}
	ev = ins.RequestFiles[0].Requests[1].Evaluations[0]
	if ev.API != "" || !strings.Contains(ev.Why, "not linked: {{base}} is empty (http-client.env.json") {
		t.Errorf("empty base URL: %+v, want unlinked", ev)
	}
}

// TestProjectMarkerChangeRelinks: a samconfig.toml that appears makes its
// folder a project, and requests of that folder stop seeing the APIs of
// the folder above (an editor reports the new file with FileChanged).
func TestProjectMarkerChangeRelinks(t *testing.T) {
	dir := tree(t, map[string]string{
		".gw403.yaml":      "",
		"template.yaml":    sam("api.internal.corp", "v1"),
		"svc/tests/a.http": "GET https://a1b2c3d4e5.execute-api.us-east-1.amazonaws.com/prod/nope\n",
	})
	ws := workspace.New(dir, workspace.Options{})
	req := filepath.Join(dir, "svc", "tests", "a.http")
	if p := ws.ProjectOf(req); p != dir {
		t.Fatalf("ProjectOf = %s, want the root", p)
	}
	marker := filepath.Join(dir, "svc", "samconfig.toml")
	if err := os.WriteFile(marker, []byte("version = 0.1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	ws.FileChanged(marker)
	if p := ws.ProjectOf(req); p != filepath.Join(dir, "svc") {
		t.Errorf("ProjectOf after samconfig.toml appeared = %s, want svc/", p)
	}
}

// TestProjectsKeepIncludedDefinitions: an OpenAPI document a template
// takes as its definition belongs to the template's project, so requests
// beside it still link; .gw403.yaml hosts link across projects.
func TestProjectsKeepIncludedDefinitions(t *testing.T) {
	tmpl := strings.Replace(sam("api.internal.corp", "v1"), "      StageName: prod\n", "      StageName: prod\n      DefinitionUri: api/openapi.yaml\n", 1)
	dir := tree(t, map[string]string{
		".gw403.yaml":         "apis:\n  main:\n    template: template.yaml\n    hosts: [gateway.corp.internal]\n",
		"template.yaml":       tmpl,
		"api/openapi.yaml":    "openapi: 3.0.1\ninfo: {title: t, version: '1'}\npaths:\n  /items:\n    get:\n      responses: {'200': {description: ok}}\n",
		"api/requests/a.http": "GET https://a1b2c3d4e5.execute-api.us-east-1.amazonaws.com/prod/items\n",
		"other/template.yaml": strings.Replace(sam("other.corp.internal", "v1"), "Path: /items", "Path: /things", 1),
		"other/tests/b.http":  "GET https://gateway.corp.internal/prod/items\n",
	})
	_, res := findings(t, dir, workspace.Options{})
	if res.Requests.Linked != 2 || res.Requests.Unlinked != 0 {
		t.Errorf("requests = %+v, want both linked (beside the included OpenAPI document; by .gw403.yaml hosts)", res.Requests)
	}
}
