package main

import (
	"bytes"
	"context"
	"fmt"
	"io/fs"
	"math/rand"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/gw403/gw403-lsp/analyzer/workspace"
)

// The definition of a safe fix: on any workspace, after `check --fix`
//
//   - no (file, rule) pair has more findings than before: a fix never makes
//     anything else worse;
//   - no finding that offers a safe fix remains;
//   - a second `check --fix` changes no byte.
//
// TestSafeFixProperty checks it on every rule fixture (which holds every
// golden) and on 80 generated workspaces whose requests share variables with
// each other and with environments, in both dialects and every env-file
// kind.
func TestSafeFixProperty(t *testing.T) {
	var dirs []string
	cases, _ := filepath.Glob(filepath.Join("..", "..", "analyzer", "rules", "testdata", "GW*", "*"))
	for _, c := range cases {
		if fi, err := os.Stat(c); err == nil && fi.IsDir() {
			dirs = append(dirs, c)
		}
	}
	if len(dirs) < 100 {
		t.Fatalf("found %d rule fixtures, want them all", len(dirs))
	}
	for _, dir := range dirs {
		name := filepath.Base(filepath.Dir(dir)) + "/" + filepath.Base(dir)
		t.Run(name, func(t *testing.T) {
			_ = checkFixProperty(t, copyTree(t, dir))
		})
	}
	rng := rand.New(rand.NewSource(403))
	seen := map[string]bool{}
	for i := 0; i < 80; i++ {
		files := generateWorkspace(rng)
		t.Run(fmt.Sprintf("generated-%02d", i), func(t *testing.T) {
			dir := t.TempDir()
			for name, text := range files {
				p := filepath.Join(dir, name)
				if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			for k := range checkFixProperty(t, dir) {
				seen[k[strings.LastIndexByte(k, ' ')+1:]] = true
			}
		})
	}
	// The generated workspaces must keep exercising the rules whose
	// fixes edit shared definitions, and those around them.
	for _, code := range []string{"GW101", "GW102", "GW111", "GW121", "GW131", "GW132", "GW141", "GW142"} {
		if !seen[code] {
			t.Errorf("no generated workspace has a %s finding", code)
		}
	}
}

// checkFixProperty runs check --fix on dir and checks the three
// properties above. It returns the findings before, by "file CODE".
func checkFixProperty(t *testing.T, dir string) map[string]int {
	t.Helper()
	// A marker so the directory is its own workspace root, whatever lies
	// above it.
	if _, err := os.Stat(filepath.Join(dir, ".gw403.yaml")); err != nil {
		if err := os.WriteFile(filepath.Join(dir, ".gw403.yaml"), []byte("exclude: []\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	before := findingCounts(t, dir)
	var out, errb bytes.Buffer
	if code := run([]string{"check", "--fix", "--format", "json", "--fail-on", "never", dir}, strings.NewReader(""), &out, &errb); code != 0 {
		t.Fatalf("check --fix exit %d: %s", code, errb.String())
	}
	after := findingCounts(t, dir)
	for k, n := range after.count {
		if n > before.count[k] {
			t.Errorf("%s: %d findings after --fix, %d before:\nbefore:\n%s\nafter:\n%s", k, n, before.count[k], before.dump, after.dump)
		}
	}
	for _, d := range after.res.Diagnostics {
		for _, f := range d.Fixes {
			if f.Safe {
				t.Errorf("after --fix, %s %s still has the safe fix %q: %s", relTo(dir, d.Path), d.Code, f.Title.EN, d.Message.EN)
				break
			}
		}
	}
	snap := snapshotTree(t, dir)
	out.Reset()
	errb.Reset()
	if code := run([]string{"check", "--fix", "--format", "json", "--fail-on", "never", dir}, strings.NewReader(""), &out, &errb); code != 0 {
		t.Fatalf("second check --fix exit %d: %s", code, errb.String())
	}
	if again := snapshotTree(t, dir); again != snap {
		t.Errorf("a second --fix changed files:\n%s", diffTrees(snap, again))
	}
	return before.count
}

type counts struct {
	count map[string]int // "file CODE" → findings
	res   *workspace.Result
	dump  string
}

func findingCounts(t *testing.T, dir string) counts {
	t.Helper()
	ws := workspace.New(dir, workspace.Options{})
	res, err := ws.CheckPaths(context.Background(), []string{dir})
	if err != nil {
		t.Fatal(err)
	}
	c := counts{count: map[string]int{}, res: res}
	var lines []string
	for _, d := range res.Diagnostics {
		c.count[relTo(dir, d.Path)+" "+d.Code]++
		lines = append(lines, fmt.Sprintf("  %s %s %s", relTo(dir, d.Path), d.Code, d.Message.EN))
	}
	c.dump = strings.Join(lines, "\n")
	return c
}

func relTo(dir, p string) string {
	if r, err := filepath.Rel(dir, p); err == nil {
		return filepath.ToSlash(r)
	}
	return p
}

// snapshotTree is every file under dir with its content, as one string.
func snapshotTree(t *testing.T, dir string) string {
	t.Helper()
	var b strings.Builder
	var paths []string
	_ = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			paths = append(paths, p)
		}
		return nil
	})
	sort.Strings(paths)
	for _, p := range paths {
		data, _ := os.ReadFile(p)
		fmt.Fprintf(&b, "=== %s\n%s\n", relTo(dir, p), data)
	}
	return b.String()
}

func diffTrees(a, b string) string {
	al, bl := strings.Split(a, "\n"), strings.Split(b, "\n")
	for i := 0; i < len(al) && i < len(bl); i++ {
		if al[i] != bl[i] {
			return fmt.Sprintf("line %d: %q → %q", i+1, al[i], bl[i])
		}
	}
	return fmt.Sprintf("%d lines → %d lines", len(al), len(bl))
}

// copyTree copies a directory (without .golden files) into a temp dir.
func copyTree(t *testing.T, src string) string {
	t.Helper()
	dst := t.TempDir()
	err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(dst, rel), 0o755)
		}
		if strings.HasSuffix(p, ".golden") {
			return nil
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dst, rel), data, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	return dst
}

// generateWorkspace writes a small workspace: a SAM API with one stage or
// two, a few routes (some needing an API key or IAM), and request files
// that reach it through variables shared between requests: REST Client
// file variables, JetBrains/httpyac env files (public and private),
// dotenv files and VS Code settings.
func generateWorkspace(rng *rand.Rand) map[string]string {
	pick := func(xs ...string) string { return xs[rng.Intn(len(xs))] }
	stages := []string{pick("v1", "Prod", "dev")}
	if rng.Intn(3) == 0 {
		stages = append(stages, pick("prod", "staging"))
	}
	key := rng.Intn(2) == 0
	iam := rng.Intn(4) == 0
	var tmpl strings.Builder
	tmpl.WriteString("AWSTemplateFormatVersion: \"2010-09-09\"\nTransform: AWS::Serverless-2016-10-31\nResources:\n")
	for i, st := range stages {
		fmt.Fprintf(&tmpl, "  Api%d:\n    Type: AWS::Serverless::Api\n    Properties:\n      StageName: %s\n      OpenApiVersion: \"3.0.1\"\n", i, st)
		if key || iam {
			tmpl.WriteString("      Auth:\n")
			if key {
				tmpl.WriteString("        ApiKeyRequired: true\n")
			}
			if iam {
				tmpl.WriteString("        DefaultAuthorizer: AWS_IAM\n")
			}
		}
	}
	tmpl.WriteString("  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n      Runtime: nodejs20.x\n      Handler: index.handler\n      CodeUri: src/\n      Events:\n")
	for _, r := range []string{"get /items", "post /items", "get /orders/{id}"} {
		m, p := strings.Fields(r)[0], strings.Fields(r)[1]
		fmt.Fprintf(&tmpl, "        E%s%d:\n          Type: Api\n          Properties:\n            RestApiId: !Ref Api0\n            Path: %s\n            Method: %s\n", m, len(p), p, m)
	}
	custom := rng.Intn(3) == 0
	if custom {
		// shop.example.com maps "shop" to Api0's stage.
		tmpl.WriteString("  ShopDomain:\n    Type: AWS::ApiGateway::DomainName\n    Properties:\n      DomainName: shop.example.com\n      RegionalCertificateArn: arn:aws:acm:us-east-1:123456789012:certificate/shop\n      EndpointConfiguration:\n        Types: [REGIONAL]\n")
		tmpl.WriteString("  ShopMapping:\n    Type: AWS::ApiGateway::BasePathMapping\n    Properties:\n      DomainName: !Ref ShopDomain\n      RestApiId: !Ref Api0\n      BasePath: shop\n      Stage: !Ref Api0.Stage\n")
	}
	host := "https://abc123defg.execute-api.us-east-1.amazonaws.com"
	files := map[string]string{"template.yaml": tmpl.String()}

	// Where the shared variables live.
	style := rng.Intn(4)
	base := host
	if rng.Intn(2) == 0 {
		base = host + "/" + pick(stages[0], stages[0], "prod", "")
	}
	base = strings.TrimSuffix(base, "/")
	var header string
	switch style {
	case 0: // REST Client file variables
		header = "@host = " + base + "\n@apiKey = k-123\n\n"
	case 1: // JetBrains / httpyac env files
		files["http-client.env.json"] = fmt.Sprintf("{\n  \"dev\": {\n    \"host\": %q,\n    \"stage\": %q\n  },\n  \"prod\": {\n    \"host\": %q\n  }\n}\n", base, stages[0], base)
		if rng.Intn(2) == 0 {
			files["http-client.private.env.json"] = "{\n  \"dev\": {\n    \"apiKey\": \"k-123\"\n  },\n  \"prod\": {\n    \"apiKey\": \"k-456\"\n  }\n}\n"
		}
	case 2: // dotenv (httpyac)
		files[".env"] = "host=" + base + "\napiKey=k-123\n"
		files[".httpyac.json"] = "{}\n"
	case 3: // VS Code settings (REST Client)
		files[".vscode/settings.json"] = fmt.Sprintf("{\n  \"rest-client.environmentVariables\": {\n    \"$shared\": {\n      \"host\": %q\n    },\n    \"dev\": {\n      \"apiKey\": \"k-123\"\n    }\n  }\n}\n", base)
	}
	if custom {
		// The domain beside host, in the same place.
		d := "https://shop.example.com"
		switch style {
		case 0:
			header = "@domain = " + d + "\n" + header
		case 1:
			files["http-client.env.json"] = strings.Replace(files["http-client.env.json"], "\"host\":", "\"domain\": \""+d+"\",\n    \"host\":", -1)
		case 2:
			files[".env"] += "domain=" + d + "\n"
		case 3:
			files[".vscode/settings.json"] = strings.Replace(files[".vscode/settings.json"], "\"host\":", "\"domain\": \""+d+"\",\n      \"host\":", 1)
		}
	}
	paths := []string{"/" + stages[0] + "/items", "/items", "/" + stages[0] + "/orders/7", "", "/" + strings.ToLower(stages[0]) + "/items", "/v1/v1/items"}
	domainPaths := []string{"/shop/items", "/items", "/shop/" + stages[0] + "/items", "/shp/items", "/shop/orders/7"}
	for f := 0; f < 1+rng.Intn(2); f++ {
		var b strings.Builder
		b.WriteString(header)
		n := 2 + rng.Intn(6)
		for i := 0; i < n; i++ {
			fmt.Fprintf(&b, "### request %d\n", i)
			method := pick("GET", "GET", "POST")
			if custom && rng.Intn(2) == 0 {
				fmt.Fprintf(&b, "%s {{domain}}%s\n", method, pick(domainPaths...))
			} else {
				fmt.Fprintf(&b, "%s {{host}}%s\n", method, pick(paths...))
			}
			switch rng.Intn(4) {
			case 0:
				b.WriteString("x-api-key: {{apiKey}}\n")
			case 1:
				b.WriteString("x-apikey: {{apiKey}}\n")
			case 2:
				b.WriteString("x-api-key: literal-key-123456\n")
			}
			if iam && rng.Intn(2) == 0 {
				b.WriteString("Authorization: AWS {{awsAccessKeyId}} {{awsSecretAccessKey}} region:us-east-1 service:execute-api\n")
			}
			b.WriteString("\n")
		}
		files[fmt.Sprintf("requests/api%d.http", f)] = b.String()
	}
	return files
}
