package workspace

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/gw403/gw403-lsp/analyzer/link"
)

// writeTree writes files (slash paths relative to dir) and returns dir.
func writeTree(t *testing.T, files map[string]string) string {
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

const miniTemplate = `AWSTemplateFormatVersion: '2010-09-09'
Transform: AWS::Serverless-2016-10-31
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Handler: app.handler
      Runtime: python3.12
      Events:
        Get:
          Type: Api
          Properties:
            Path: /items
            Method: get
`

func relPaths(root string, paths []string) []string {
	var out []string
	for _, p := range paths {
		r, _ := filepath.Rel(root, p)
		out = append(out, filepath.ToSlash(r))
	}
	sort.Strings(out)
	return out
}

func TestWalkSkipsAndIgnores(t *testing.T) {
	dir := writeTree(t, map[string]string{
		".gitignore":                   "scratch/\n*.local.http\nhttp-client.private.env.json\n",
		"api.http":                     "GET https://example.com/\n",
		"me.local.http":                "GET https://example.com/\n",
		"scratch/old.http":             "GET https://example.com/\n",
		"node_modules/pkg/x.http":      "GET https://example.com/\n",
		".aws-sam/build/template.yaml": miniTemplate,
		"cdk.out/a.template.json":      "{}",
		"infra/template.yaml":          miniTemplate,
		"infra/.gitignore":             "gen.yaml\n",
		"infra/gen.yaml":               miniTemplate,
		"http-client.env.json":         `{"dev": {"h": "x"}}`,
		"http-client.private.env.json": `{"dev": {"k": "s"}}`,
		".vscode/settings.json":        `{}`,
		"package.json":                 `{"name": "x"}`,
		"docs/readme.md":               "# hi",
	})
	files, errs := walk(dir, dir, []string{"docs/**"})
	if len(errs) > 0 {
		t.Fatalf("walk errors: %v", errs)
	}
	var got []string
	ignored := map[string]bool{}
	for _, f := range files {
		got = append(got, f.Path)
		r, _ := filepath.Rel(dir, f.Path)
		ignored[filepath.ToSlash(r)] = f.Ignored
	}
	want := []string{".vscode/settings.json", "api.http", "http-client.env.json", "http-client.private.env.json", "infra/template.yaml", "package.json"}
	if g := relPaths(dir, got); strings.Join(g, ",") != strings.Join(want, ",") {
		t.Errorf("walk = %v, want %v", g, want)
	}
	if !ignored["http-client.private.env.json"] || ignored["http-client.env.json"] {
		t.Errorf("Ignored flags = %v, want only the private env file ignored", ignored)
	}
}

func TestWalkSymlinkLoop(t *testing.T) {
	dir := writeTree(t, map[string]string{"a/api.http": "GET https://example.com/\n"})
	if err := os.Symlink(dir, filepath.Join(dir, "a", "loop")); err != nil {
		t.Skipf("symlinks unavailable: %v", err)
	}
	if err := os.Symlink(filepath.Join(dir, "a", "api.http"), filepath.Join(dir, "link.http")); err != nil {
		t.Fatal(err)
	}
	files, _ := walk(dir, dir, nil)
	var got []string
	for _, f := range files {
		got = append(got, f.Path)
	}
	if g := relPaths(dir, got); strings.Join(g, ",") != "a/api.http,link.http" {
		t.Errorf("walk = %v, want a/api.http and the file link only", g)
	}
}

func TestCheckPathsBadFilesDoNotStopTheRest(t *testing.T) {
	big := strings.Repeat("GET https://example.com/\n", (MaxFileSize/25)+10)
	dir := writeTree(t, map[string]string{
		"good/template.yaml":       miniTemplate,
		"good/api.http":            "### 一覧\r\nGET https://a1b2c3d4e5.execute-api.us-east-1.amazonaws.com/Prod/items\r\n",
		"bad/broken.yaml":          "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  A:\n    Type: AWS::S3::Bucket\n   Properties: {\n",
		"bad/binary.http":          "\x00\x01\x02GET\x00\xff\xfe",
		"bad/latin1.http":          "GET https://example.com/caf\xe9\n",
		"bad/huge.http":            big,
		"bad/unreadable.http":      "GET https://example.com/\n",
		"bad/http-client.env.json": `{"dev": {"baseUrl": "https://x.example.com"`,
	})
	ws := New(dir, Options{})
	ws.readFile = func(p string, buf []byte) ([]byte, error) {
		if strings.HasSuffix(p, "unreadable.http") {
			return nil, &fs.PathError{Op: "open", Path: p, Err: fs.ErrPermission}
		}
		return readInto(p, buf)
	}
	res, err := ws.CheckPaths(context.Background(), []string{dir})
	if err != nil {
		t.Fatal(err)
	}
	gw001 := map[string]string{}
	for _, d := range res.Diagnostics {
		if d.Code == "GW001" {
			r, _ := filepath.Rel(dir, d.Path)
			gw001[filepath.ToSlash(r)] = d.Message.EN
			if d.Message.JA == "" {
				t.Errorf("GW001 on %s has no Japanese message", r)
			}
		}
	}
	for _, want := range []struct{ path, msg string }{
		{"bad/broken.yaml", "yaml"},
		{"bad/binary.http", ""},
		{"bad/huge.http", "too large"},
		{"bad/unreadable.http", "permission denied"},
		{"bad/http-client.env.json", ""},
	} {
		msg, ok := gw001[want.path]
		if !ok {
			t.Errorf("no GW001 for %s (got %v)", want.path, gw001)
			continue
		}
		if !strings.Contains(msg, want.msg) {
			t.Errorf("GW001 for %s = %q, want it to mention %q", want.path, msg, want.msg)
		}
	}
	// The good files were still read: the request links to the template's API.
	checked := relPaths(dir, res.Checked)
	for _, p := range []string{"good/api.http", "good/template.yaml", "bad/latin1.http"} {
		found := false
		for _, c := range checked {
			found = found || c == p
		}
		if !found {
			t.Errorf("%s was not checked (checked %v)", p, checked)
		}
	}
	snap := ws.snapshot(context.Background())
	if len(snap.Model.APIs) != 1 || len(snap.Model.APIs[0].Routes) != 1 {
		t.Errorf("model = %d APIs, want the good template's implicit API", len(snap.Model.APIs))
	}
}

func TestYAMLBombsAreBounded(t *testing.T) {
	bomb := "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  A: &a [x, x, x, x, x, x, x, x, x]\n"
	prev := "a"
	for i := 0; i < 12; i++ {
		name := string(rune('b' + i))
		bomb += "  " + strings.ToUpper(name) + ": &" + name + " [" + strings.Repeat("*"+prev+", ", 8) + "*" + prev + "]\n"
		prev = name
	}
	deep := "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  A:\n    Type: AWS::S3::Bucket\n    Properties: " + strings.Repeat("[", 10000) + strings.Repeat("]", 10000) + "\n"
	dir := writeTree(t, map[string]string{"bomb.yaml": bomb, "deep.yaml": deep, "api.http": "GET https://example.com/\n"})
	ws := New(dir, Options{})
	res, err := ws.CheckPaths(context.Background(), []string{dir})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Checked) != 3 {
		t.Errorf("checked %v, want all three files", relPaths(dir, res.Checked))
	}
}

func TestOverlayWinsAndInvalidates(t *testing.T) {
	dir := writeTree(t, map[string]string{
		"template.yaml": miniTemplate,
		"api.http":      "GET https://a1b2c3d4e5.execute-api.us-east-1.amazonaws.com/Prod/items\n",
	})
	ws := New(dir, Options{})
	ctx := context.Background()
	if got := len(ws.snapshot(ctx).Model.APIs[0].Routes); got != 1 {
		t.Fatalf("routes = %d, want 1", got)
	}
	tmpl := filepath.Join(dir, "template.yaml")
	ws.SetOverlay(tmpl, miniTemplate+`        Post:
          Type: Api
          Properties:
            Path: /items
            Method: post
`)
	if got := len(ws.snapshot(ctx).Model.APIs[0].Routes); got != 2 {
		t.Errorf("routes after overlay = %d, want 2", got)
	}
	ws.CloseOverlay(tmpl)
	if got := len(ws.snapshot(ctx).Model.APIs[0].Routes); got != 1 {
		t.Errorf("routes after closing the overlay = %d, want 1", got)
	}
	if aff := relPaths(dir, ws.Affected(tmpl)); strings.Join(aff, ",") != "api.http" {
		t.Errorf("Affected(template) = %v, want [api.http]", aff)
	}
	if aff := ws.Affected(filepath.Join(dir, "api.http")); aff != nil {
		t.Errorf("Affected(request file) = %v, want nil", aff)
	}
	// A new file on disk is found after FileChanged.
	if err := os.WriteFile(filepath.Join(dir, "more.http"), []byte("GET https://example.com/\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	ws.FileChanged(filepath.Join(dir, "more.http"))
	if aff := relPaths(dir, ws.Affected(tmpl)); strings.Join(aff, ",") != "api.http,more.http" {
		t.Errorf("Affected after a new file = %v", aff)
	}
}

func TestSniff(t *testing.T) {
	tests := []struct {
		text string
		want link.FileKind
	}{
		{miniTemplate, link.KindTemplate},
		{"Resources:\n  B:\n    Type: AWS::S3::Bucket\n", link.KindTemplate},
		{"openapi: 3.0.1\npaths: {}\n", link.KindOpenAPI},
		{"swagger: '2.0'\n", link.KindOpenAPI},
		{`{"AWSTemplateFormatVersion": "2010-09-09", "Resources": {}}`, link.KindTemplate},
		{"\ufeff{\n  \"openapi\": \"3.0.0\"\n}", link.KindOpenAPI},
		{"name: build\non: push\n", link.KindOther},
		{`{"compilerOptions": {}}`, link.KindOther},
		{"Resources:\n  x: 1\n", link.KindOther},
	}
	for _, tt := range tests {
		if got := sniff(tt.text); got != tt.want {
			t.Errorf("sniff(%.30q) = %v, want %v", tt.text, got, tt.want)
		}
	}
}

func TestExcluded(t *testing.T) {
	tests := []struct {
		rel     string
		pattern string
		want    bool
	}{
		{"docs/readme.http", "docs/**", true},
		{"docs", "docs/**", true},
		{"a/testdata/x/api.http", "**/testdata/**", true},
		{"testdata/api.http", "**/testdata/**", true},
		{"mytestdata/api.http", "**/testdata/**", false},
		{"legacy/api.http", "legacy", true},
		{"src/legacy/api.http", "legacy", true},
		{"src/api.local.http", "*.local.http", true},
		{"src/api.http", "*.local.http", false},
		{"infra/a/template.yaml", "infra/*/template.yaml", true},
		{"infra/a/b/template.yaml", "infra/*/template.yaml", false},
		{"infra/a/b/template.yaml", "infra/**/template.yaml", true},
		{"x/api.http", "./x/", true},
	}
	for _, tt := range tests {
		if got := excluded(tt.rel, []string{tt.pattern}); got != tt.want {
			t.Errorf("excluded(%q, %q) = %v, want %v", tt.rel, tt.pattern, got, tt.want)
		}
	}
}

func TestWalkLimit(t *testing.T) {
	files := map[string]string{}
	for i := 0; i < 30; i++ {
		files[filepath.Join("d", string(rune('a'+i%26))+strings.Repeat("x", i/26), "api.http")] = "GET https://example.com/\n"
	}
	dir := writeTree(t, files)
	old := MaxWalkEntries
	MaxWalkEntries = 20
	defer func() { MaxWalkEntries = old }()
	found, errs := walk(dir, dir, nil)
	if len(errs) != 1 || !strings.Contains(errs[0].Error(), "stopped after 20 entries") {
		t.Errorf("walk errors = %v, want the limit", errs)
	}
	if len(found) >= 20 {
		t.Errorf("walk found %d files past the limit", len(found))
	}
}

func TestBrokenHttpyacConfigIsReported(t *testing.T) {
	dir := writeTree(t, map[string]string{
		".httpyac.json": "{\n  \"environments\": {\n    \"dev\": {\"host\": \"https://x.example.com\"\n  }\n}\n",
		"api.http":      "GET {{host}}/items\n",
	})
	ws := New(dir, Options{})
	res, err := ws.CheckPaths(context.Background(), []string{dir})
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, d := range res.Diagnostics {
		if d.Code == "GW001" && filepath.Base(d.Path) == ".httpyac.json" {
			found = true
		}
	}
	if !found {
		t.Errorf("no GW001 on the broken .httpyac.json: %+v", res.Diagnostics)
	}
	if !ws.snapshot(context.Background()).Httpyac {
		t.Errorf("the workspace is not seen as configured for httpyac")
	}
}
