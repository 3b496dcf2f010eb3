package workspace

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestDependents(t *testing.T) {
	dir := t.TempDir()
	tpl := "AWSTemplateFormatVersion: \"2010-09-09\"\nResources:\n  Api:\n    Type: AWS::ApiGateway::RestApi\n"
	files := map[string]string{
		".gw403.yaml":                         "apis: {}\n",
		"svc-a/template.yaml":                 tpl,
		"svc-a/requests/a.http":               "GET http://localhost/a\n",
		"svc-a/requests/http-client.env.json": `{"dev": {"host": "x"}}`,
		"svc-b/template.yaml":                 tpl,
		"svc-b/b.http":                        "GET http://localhost/b\n",
		"svc-b/nested/openapi.yaml":           "openapi: 3.0.1\npaths: {}\n",
		"api-tests/t.http":                    "GET http://localhost/t\n",
		"docker-compose.yml":                  "services: {}\n",
		"svc-tf/main.tf":                      "resource \"aws_api_gateway_rest_api\" \"orders\" {\n  name = \"orders\"\n}\n",
		"svc-tf/prod.auto.tfvars":             "stage = \"prod\"\n",
		"svc-tf/requests/o.http":              "GET http://localhost/o\n",
		"svc-sls/serverless.yml":              "service: inventory\nprovider:\n  name: aws\nfunctions: {}\n",
		"svc-sls/i.http":                      "GET http://localhost/i\n",
		"svc-cdk/cdk.json":                    `{"app": "npx ts-node bin/app.ts"}`,
		"svc-cdk/c.http":                      "GET http://localhost/c\n",
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
	ws := New(dir, Options{})
	rel := func(paths []string) string {
		var out []string
		for _, p := range paths {
			r, _ := filepath.Rel(dir, p)
			out = append(out, filepath.ToSlash(r))
		}
		return strings.Join(out, ",")
	}
	for _, tc := range []struct{ path, want string }{
		// A template: its project's requests, and those of the root
		// (api-tests/ has no project of its own), not svc-b's.
		{"svc-a/template.yaml", "api-tests/t.http,svc-a/requests/a.http"},
		// A definition in a sub-folder is seen by the project above.
		{"svc-b/nested/openapi.yaml", "api-tests/t.http,svc-b/b.http"},
		// An env file: the requests of its project.
		{"svc-a/requests/http-client.env.json", "svc-a/requests/a.http"},
		// The configuration: every request file.
		{".gw403.yaml", "api-tests/t.http,svc-a/requests/a.http,svc-b/b.http,svc-cdk/c.http,svc-sls/i.http,svc-tf/requests/o.http"},
		// Terraform, Serverless and CDK definitions are definitions too.
		{"svc-tf/main.tf", "api-tests/t.http,svc-tf/requests/o.http"},
		{"svc-tf/prod.auto.tfvars", "api-tests/t.http,svc-tf/requests/o.http"},
		{"svc-sls/serverless.yml", "api-tests/t.http,svc-sls/i.http"},
		{"svc-cdk/cdk.json", "api-tests/t.http,svc-cdk/c.http"},
		{"svc-b/b.http", ""},
		{"docker-compose.yml", ""},
	} {
		got := rel(ws.Dependents(context.Background(), filepath.Join(dir, filepath.FromSlash(tc.path))))
		if got != tc.want {
			t.Errorf("Dependents(%s) = %s, want %s", tc.path, got, tc.want)
		}
	}
}
