package lsp_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"go.lsp.dev/protocol"

	"github.com/gw403/gw403-lsp/lsp/lsptest"
)

const e2eServerless = `service: notes
provider:
  name: aws
  stage: prod
functions:
  list:
    handler: notes.list
    events:
      - http:
          path: notes
          method: get
          private: true
`

const e2eCDKStack = `{
 "Resources": {
  "Api1A2B3C4D": {"Type": "AWS::ApiGateway::RestApi", "Properties": {"Name": "orders"},
   "Metadata": {"aws:cdk:path": "OrdersStack/Api/Resource"}},
  "ApiOrders": {"Type": "AWS::ApiGateway::Resource",
   "Properties": {"RestApiId": {"Ref": "Api1A2B3C4D"}, "ParentId": {"Fn::GetAtt": ["Api1A2B3C4D", "RootResourceId"]}, "PathPart": "orders"}},
  "ApiOrdersGET": {"Type": "AWS::ApiGateway::Method",
   "Properties": {"RestApiId": {"Ref": "Api1A2B3C4D"}, "ResourceId": {"Ref": "ApiOrders"}, "HttpMethod": "GET", "AuthorizationType": "AWS_IAM"}},
  "ApiDeployment": {"Type": "AWS::ApiGateway::Deployment", "DependsOn": ["ApiOrdersGET"],
   "Properties": {"RestApiId": {"Ref": "Api1A2B3C4D"}}},
  "ApiStageProd": {"Type": "AWS::ApiGateway::Stage",
   "Properties": {"RestApiId": {"Ref": "Api1A2B3C4D"}, "DeploymentId": {"Ref": "ApiDeployment"}, "StageName": "prod"}}
 }
}
`

// TestServerlessAndCDKEndToEnd runs the server over the real analyzer: a
// request linked to a serverless.yml route gets GW101 and loses it when
// the file changes on disk; a CDK app's requests are checked once
// `cdk synth` writes cdk.out (a watched-file change), and the git-ignored
// cdk.out is read all the same.
func TestServerlessAndCDKEndToEnd(t *testing.T) {
	c := lsptest.Start(t, lsptest.Config{Files: map[string]string{
		".gw403.yaml":        "# root\n",
		"svc/serverless.yml": e2eServerless,
		"svc/notes.http":     "GET https://n0t3sap1id.execute-api.us-east-1.amazonaws.com/prod/notes\n",
		"app/cdk.json":       `{"app": "npx ts-node bin/app.ts"}`,
		"app/.gitignore":     "cdk.out\n",
		"app/orders.http":    "GET https://0rd3rsap1d.execute-api.us-east-1.amazonaws.com/prod/orders\n",
	}})
	c.Initialize(lsptest.InitOptions{})
	notes := c.Open("svc/notes.http", c.ReadFile("svc/notes.http"))
	if p := c.WaitVersion(notes, 1); len(byCode(p.Diagnostics, "GW101")) != 1 {
		t.Fatalf("notes.http: %+v, want GW101", p.Diagnostics)
	}
	orders := c.Open("app/orders.http", c.ReadFile("app/orders.http"))
	if p := c.WaitVersion(orders, 1); len(byCode(p.Diagnostics, "GW111")) != 0 {
		t.Fatalf("orders.http before cdk synth: %+v, want nothing linked", p.Diagnostics)
	}

	write := func(rel, text string) {
		t.Helper()
		if err := os.MkdirAll(filepath.Dir(c.Path(rel)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(c.Path(rel), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		c.Notify(protocol.MethodWorkspaceDidChangeWatchedFiles, map[string]any{
			"changes": []map[string]any{{"uri": c.URI(rel), "type": 1}},
		})
	}
	mark := c.Mark()
	write("svc/serverless.yml", strings.Replace(e2eServerless, "private: true", "private: false", 1))
	c.WaitPublish(notes, mark, func(p lsptest.Publish) bool { return len(byCode(p.Diagnostics, "GW101")) == 0 })

	mark = c.Mark()
	write("app/cdk.out/OrdersStack.template.json", e2eCDKStack)
	p := c.WaitPublish(orders, mark, func(p lsptest.Publish) bool { return len(byCode(p.Diagnostics, "GW111")) == 1 })
	if msg := byCode(p.Diagnostics, "GW111")[0].Message; !strings.Contains(msg, "OrdersStack/Api") {
		t.Errorf("GW111 = %q, want the construct path", msg)
	}
	c.Shutdown()
	if code := c.Exit(); code != 0 {
		t.Errorf("exit code %d", code)
	}
}
