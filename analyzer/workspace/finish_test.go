package workspace_test

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/gw403/gw403-lsp/analyzer"
	"github.com/gw403/gw403-lsp/analyzer/workspace"
)

const suppressTemplate = `AWSTemplateFormatVersion: '2010-09-09'
Transform: AWS::Serverless-2016-10-31
Resources:
  PartnerApi:
    Type: AWS::Serverless::Api
    Properties:
      StageName: prod
      Auth:
        ApiKeyRequired: true
        UsagePlan:
          CreateUsagePlan: PER_API
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: app.handler
      Events:
        List:
          Type: Api
          Properties:
            RestApiId: !Ref PartnerApi
            Path: /items
            Method: get
`

func codesIn(t *testing.T, dir string, opts workspace.Options) []string {
	t.Helper()
	ws := workspace.New(dir, opts)
	res, err := ws.CheckPaths(context.Background(), []string{dir})
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, d := range res.Diagnostics {
		src := res.Files[d.Path]
		out = append(out, d.Code+"@"+strconv.Itoa(src.LineOf(d.Span.Start)+1)+":"+d.Severity.String())
	}
	return out
}

func TestSuppressionAndConfig(t *testing.T) {
	requests := "### 一覧（キーなし）\n" +
		"GET https://p4rtn3r0ab.execute-api.ap-northeast-1.amazonaws.com/prod/items\n" +
		"\n" +
		"### 抑制: 直前のコメント\n" +
		"# gw403-ignore: GW101 sandbox has no keys\n" +
		"GET https://p4rtn3r0ab.execute-api.ap-northeast-1.amazonaws.com/prod/items?page=2\n" +
		"\n" +
		"# gw403-ignore: missing-api-key\n" +
		"### 抑制: 区切りの上の slug\n" +
		"GET https://p4rtn3r0ab.execute-api.ap-northeast-1.amazonaws.com/prod/items?page=3\n" +
		"\n" +
		"### 別のコードの抑制は効かない\n" +
		"# gw403-ignore: GW111\n" +
		"GET https://p4rtn3r0ab.execute-api.ap-northeast-1.amazonaws.com/prod/items?page=4\n"
	dir := t.TempDir()
	for name, text := range map[string]string{"template.yaml": suppressTemplate, "api.http": requests} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got := strings.Join(codesIn(t, dir, workspace.Options{}), " ")
	if got != "GW101@2:error GW101@14:error" {
		t.Errorf("findings = %q, want GW101 on lines 2 and 14 only", got)
	}
	// rules.disable and severity in .gw403.yaml.
	cfg := filepath.Join(dir, ".gw403.yaml")
	if err := os.WriteFile(cfg, []byte("rules:\n  severity: {GW101: warning}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(codesIn(t, dir, workspace.Options{}), " "); got != "GW101@2:warning GW101@14:warning" {
		t.Errorf("with severity warning: %q", got)
	}
	if err := os.WriteFile(cfg, []byte("rules:\n  disable: [missing-api-key]\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if got := codesIn(t, dir, workspace.Options{}); len(got) != 0 {
		t.Errorf("with GW101 disabled: %q", got)
	}
	// Options override the configuration.
	if got := strings.Join(codesIn(t, dir, workspace.Options{Severity: map[string]analyzer.Severity{"GW101": analyzer.Info}, Select: []string{"GW1"}}), " "); got != "" {
		t.Errorf("disabled in config, severity from options: %q (the config's disable wins)", got)
	}
	// A whole-file suppression.
	if err := os.Remove(cfg); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "api.http"), []byte("# gw403-ignore-file: GW101\n"+requests), 0o644); err != nil {
		t.Fatal(err)
	}
	if got := codesIn(t, dir, workspace.Options{}); len(got) != 0 {
		t.Errorf("with gw403-ignore-file: %q", got)
	}
}
