package hardening

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	_ "github.com/gw403/gw403-lsp/analyzer/rules" // every rule runs on the fuzzed input
	"github.com/gw403/gw403-lsp/analyzer/workspace"
	"github.com/gw403/gw403-lsp/cmd/gw403-lsp/inspect"
)

// fuzzWorkspace writes a linked workspace for the pipeline fuzz targets and
// returns its directory.
func fuzzWorkspace(f *testing.F) string {
	f.Helper()
	dir := f.TempDir()
	files := goodFiles()
	files["good/http-client.private.env.json"] = `{"prod": {"token": "t0k3n"}}`
	files["good/.env"] = "API_KEY=k\n"
	return writeFiles(f, dir, files)
}

// checkPipeline checks path with text as its editor buffer, with every rule,
// in a fresh workspace (no cache hides a path through the code), and
// fails on a panic (the analyzer turns a rule's panic into an "internal
// error" GW001) or a finding whose span lies outside its file.
func checkPipeline(t *testing.T, dir, path, text string) {
	ws := workspace.New(dir, workspace.Options{})
	ws.SetOverlay(path, text)
	res, err := ws.CheckPaths(context.Background(), []string{dir})
	if err != nil {
		t.Fatalf("CheckPaths: %v", err)
	}
	for _, d := range res.Diagnostics {
		if strings.Contains(d.Message.EN, "internal error") || strings.Contains(d.Message.EN, "failed:") {
			t.Errorf("%s: %s", filepath.Base(d.Path), d.Message.EN)
		}
		src := res.Files[d.Path]
		if src == nil {
			continue
		}
		if d.Span.Start < 0 || d.Span.End < d.Span.Start || d.Span.End > len(src.Text) {
			t.Errorf("%s %s: span %v outside the file (%d bytes)", d.Code, filepath.Base(d.Path), d.Span, len(src.Text))
		}
		for _, fx := range d.Fixes {
			for _, e := range fx.Edits {
				if es := res.Files[e.Path]; es != nil && (e.Span.Start < 0 || e.Span.End < e.Span.Start || e.Span.End > len(es.Text)) {
					t.Errorf("%s fix %q: edit %v outside %s (%d bytes)", d.Code, fx.Title.EN, e.Span, filepath.Base(e.Path), len(es.Text))
				}
			}
		}
	}
	// Inspect and hover walk the same data another way.
	if _, err := inspect.Build(context.Background(), ws, []string{path}); err != nil {
		t.Errorf("Inspect: %v", err)
	}
	for off := 0; off <= len(text); off += 1 + len(text)/8 {
		if _, err := ws.Hover(context.Background(), path, off); err != nil {
			t.Errorf("Hover at %d: %v", off, err)
		}
	}
}

// FuzzCheckRequestFile runs the whole analyzer (parse, environments,
// linking to a SAM API, every request rule, fixes, suppressions, inspect,
// hover) on a fuzzed request file.
func FuzzCheckRequestFile(f *testing.F) {
	for _, seed := range []string{
		goodRequests,
		"GET {{baseUrl}}/orders\nx-apikey: {{apiKey}}\n",
		"### a\r\n# @api orders\r\nPOST https://a1b2c3d4e5.execute-api.ap-northeast-1.amazonaws.com/prod/orders?x={{$dotenv API_KEY}}\r\nAuthorization: AWS {{id}} {{secret}} token:{{t}} region:us-east-1 service:s3\r\n\r\n{\"a\": 1}\r\n",
		"# gw403-ignore: GW132\nGET https://a1b2c3d4e5.execute-api.ap-northeast-1.amazonaws.com/Prod/orders/{{token}}\n\n> {% client.log(1) %}\n",
		"GET https://vpce-0123-abcd.execute-api.ap-northeast-1.vpce.amazonaws.com/prod/orders\nHost: a1b2c3d4e5.execute-api.ap-northeast-1.amazonaws.com\n",
		"GET https://api.example.com/v1/prod/orders\nAuthorization: AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20240101/us-east-1/execute-api/aws4_request\n",
		"\ufeff@baseUrl = https://a1b2c3d4e5.execute-api.ap-northeast-1.amazonaws.com\n\n### 注文 🧾\nGET {{baseUrl}}/{{stage}}/orders\n    ?page=1\n    &q=日本語\n",
	} {
		f.Add(seed)
	}
	dir := fuzzWorkspace(f)
	path := filepath.Join(dir, "good", "fuzz.http")
	f.Fuzz(func(t *testing.T, text string) {
		checkPipeline(t, dir, path, text)
	})
}

// FuzzCheckTemplate runs the whole analyzer on a fuzzed SAM/CloudFormation
// template that the good request file links to.
func FuzzCheckTemplate(f *testing.F) {
	for _, seed := range []string{
		goodTemplate,
		"AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  Api:\n    Type: AWS::ApiGateway::RestApi\n    Properties:\n      Name: x\n      EndpointConfiguration: {Types: [PRIVATE]}\n  M:\n    Type: AWS::ApiGateway::Method\n    Properties:\n      RestApiId: !Ref Api\n      ResourceId: !GetAtt Api.RootResourceId\n      HttpMethod: GET\n      AuthorizationType: AWS_IAM\n      ApiKeyRequired: true\n",
		"{\"AWSTemplateFormatVersion\": \"2010-09-09\", \"Resources\": {\"A\": {\"Type\": \"AWS::Serverless::Api\", \"Properties\": {\"StageName\": {\"Fn::Sub\": \"${AWS::Region}\"}, \"DefinitionBody\": {\"openapi\": \"3.0.1\", \"paths\": {\"/orders\": {\"get\": {}}}}}}}}",
		"Transform: AWS::Serverless-2016-10-31\nResources:\n  A:\n    Type: AWS::Serverless::HttpApi\n    Properties:\n      Domain: {DomainName: !Sub '${X}.example.com', BasePath: [v1]}\n  F:\n    Type: AWS::Serverless::Function\n    Properties:\n      Events:\n        E: {Type: HttpApi, Properties: {ApiId: !Ref A, Path: '/{proxy+}', Method: ANY}}\n",
	} {
		f.Add(seed)
	}
	dir := fuzzWorkspace(f)
	path := filepath.Join(dir, "good", "template.yaml")
	f.Fuzz(func(t *testing.T, text string) {
		checkPipeline(t, dir, path, text)
	})
}
