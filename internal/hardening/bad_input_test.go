package hardening

import (
	"bufio"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// goodTemplate defines OrdersApi (stage prod, API key required, usage plan)
// with GET /orders.
const goodTemplate = `AWSTemplateFormatVersion: '2010-09-09'
Transform: AWS::Serverless-2016-10-31
Resources:
  OrdersApi:
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
      Handler: app.handler
      Runtime: python3.12
      Events:
        Get:
          Type: Api
          Properties:
            RestApiId: !Ref OrdersApi
            Path: /orders
            Method: get
`

// goodRequests calls OrdersApi on the stage "Prod" (GW132: stages are
// case-sensitive): the finding that shows the good files were checked.
const goodRequests = "### 注文一覧 🧾\nGET https://a1b2c3d4e5.execute-api.ap-northeast-1.amazonaws.com/Prod/orders\nx-api-key: {{apiKey}}\n"

// goodConfig links the good requests to OrdersApi by its id, whatever
// else the workspace defines.
const goodConfig = "apis:\n  orders:\n    template: good/template.yaml\n    resource: OrdersApi\n    ids: [a1b2c3d4e5]\n"

// goodFiles returns the good part of a workspace under good/, and the
// .gw403.yaml that links it.
func goodFiles() map[string]string {
	return map[string]string{
		".gw403.yaml":               goodConfig,
		"good/template.yaml":        goodTemplate,
		"good/api.http":             goodRequests,
		"good/http-client.env.json": `{"prod": {"apiKey": "{{$processEnv GW403_TEST_KEY}}"}}`,
	}
}

// checkGoodStillChecked fails unless the good request's finding is there.
func checkGoodStillChecked(t *testing.T, fs []finding) {
	t.Helper()
	if !has(fs, "good/api.http", "GW132") {
		t.Errorf("the good request file's GW132 is missing: the rest of the workspace was not checked\nfindings: %v", fs)
	}
}

// aliasBomb returns a YAML document of head followed by a billion-laughs
// structure under key: 9^10 leaves if its aliases were expanded.
func aliasBomb(head, indent string) string {
	var b strings.Builder
	b.WriteString(head)
	b.WriteString(indent + "a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n")
	for i := 1; i <= 10; i++ {
		b.WriteString(indent + "a" + itoa(i) + ": &a" + itoa(i) + " [")
		for j := 0; j < 9; j++ {
			if j > 0 {
				b.WriteString(", ")
			}
			b.WriteString("*a" + itoa(i-1))
		}
		b.WriteString("]\n")
	}
	return b.String()
}

func itoa(i int) string {
	if i < 10 {
		return string(rune('0' + i))
	}
	return itoa(i/10) + string(rune('0'+i%10))
}

func deep(n int, open, close string) string {
	return strings.Repeat(open, n) + strings.Repeat(close, n)
}

// TestBombsAndDeepNestingInEveryFormat puts an alias bomb and 10,000-deep
// nesting in every YAML/JSON format the analyzer reads (SAM template,
// OpenAPI document, env JSON, VS Code settings, .gw403.yaml, .httpyac.json)
// and checks that check and inspect report them and still check the rest,
// in bounded memory. (.httpyac.json problems are not reported as GW001
// yet: the file is read leniently when a request file's environments are
// built; here it must only not hurt.)
func TestBombsAndDeepNestingInEveryFormat(t *testing.T) {
	files := goodFiles()
	const samHead = "AWSTemplateFormatVersion: '2010-09-09'\nTransform: AWS::Serverless-2016-10-31\nResources:\n  Bucket:\n    Type: AWS::S3::Bucket\nMetadata:\n"
	const oasHead = "openapi: 3.0.1\ninfo: {title: bomb, version: '1'}\npaths: {}\nx-bomb:\n"
	files["bomb/template.yaml"] = aliasBomb(samHead, "  ")
	files["bomb/openapi.yaml"] = aliasBomb(oasHead, "  ")
	files["bomb/.vscode/settings.json"] = `{"rest-client.environmentVariables": {"dev": {"x": ` + deep(10000, "[", "]") + `}}}`
	files["bomb/http-client.env.json"] = `{"dev": {"deep": ` + deep(10000, "{\"a\":", "}") + `}}`
	files["bomb/api.http"] = "GET https://example.com/{{deep}}\n"
	files["deep/template.yaml"] = samHead + "  Deep: " + deep(10000, "[", "]") + "\n"
	files["deep/openapi.json"] = `{"openapi": "3.0.1", "info": {"title": "x", "version": "1"}, "paths": {"/a": ` + deep(10000, "{\"x\":", "}") + `}}`
	files["deep/.httpyac.json"] = `{"environments": {"dev": {"v": ` + deep(10000, "[", "]") + `}}}`
	files["deep/api.http"] = "GET https://example.com/{{v}}\n"
	files["deep/block.yaml"] = "openapi: 3.0.1\npaths:\n" + blockNesting(2000)
	files[".gw403.yaml"] = aliasBomb(goodConfig+"x-bomb:\n", "  ")
	dir := newWorkspace(t, files)

	res := runCLI(t, dir, []string{"GW403_TEST_KEY=k"}, "check", "--color", "never", ".")
	fs := findings(res.stdout)
	checkGoodStillChecked(t, fs)
	for _, p := range []string{"bomb/.vscode/settings.json", "bomb/http-client.env.json", "deep/openapi.json", ".gw403.yaml"} {
		if !has(fs, p, "GW001") {
			t.Errorf("no GW001 for %s", p)
		}
	}
	if res.peakMB > 500 {
		t.Errorf("check: peak RSS %.0f MB, want bounded (< 500 MB)", res.peakMB)
	}
	ins := runCLI(t, dir, []string{"GW403_TEST_KEY=k"}, "inspect", "--format", "json", ".")
	if ins.code == 2 && !strings.Contains(ins.stderr, "gw403-lsp") {
		t.Errorf("inspect: exit 2 without a message: %s", ins.stderr)
	}
	if ins.peakMB > 500 {
		t.Errorf("inspect: peak RSS %.0f MB, want bounded (< 500 MB)", ins.peakMB)
	}
}

// blockNesting returns n levels of block-style YAML mappings.
func blockNesting(n int) string {
	var b strings.Builder
	for i := 0; i < n; i++ {
		b.WriteString(strings.Repeat(" ", i+2))
		b.WriteString("k:\n")
	}
	return b.String()
}

// TestHugeFiles checks a workspace with a 200 MB request file and a 40 MB
// template: both are refused with GW001 without being read whole, in
// bounded memory, and the rest is checked.
func TestHugeFiles(t *testing.T) {
	if testing.Short() {
		t.Skip("writes 240 MB")
	}
	dir := newWorkspace(t, goodFiles())
	writeBig(t, filepath.Join(dir, "big", "huge.http"), 200<<20, "### 大量\nGET https://a1b2c3d4e5.execute-api.ap-northeast-1.amazonaws.com/prod/orders\nx-api-key: {{apiKey}}\n\n")
	writeBig(t, filepath.Join(dir, "big", "template.yaml"), 40<<20, "")
	res := runCLI(t, dir, []string{"GW403_TEST_KEY=k"}, "check", "--color", "never", ".")
	fs := findings(res.stdout)
	checkGoodStillChecked(t, fs)
	for _, p := range []string{"big/huge.http", "big/template.yaml"} {
		if !has(fs, p, "GW001") {
			t.Errorf("no GW001 for %s\n%s", p, res.stdout)
		}
	}
	if !strings.Contains(res.stdout, "too large") {
		t.Errorf("the GW001 message does not say the file is too large:\n%s", res.stdout)
	}
	if res.peakMB > 150 {
		t.Errorf("peak RSS %.0f MB with a 200 MB file in the workspace, want < 150 MB (the file must not be read whole)", res.peakMB)
	}
	// Named explicitly, the huge file is refused the same way.
	res = runCLI(t, dir, nil, "check", "--color", "never", "big/huge.http")
	if !has(findings(res.stdout), "big/huge.http", "GW001") || res.peakMB > 150 {
		t.Errorf("check big/huge.http: want GW001 in bounded memory, got %.0f MB:\n%s", res.peakMB, res.stdout)
	}
}

// writeBig writes a file of size bytes: chunk repeated (a valid template
// head then comments when chunk is empty).
func writeBig(t *testing.T, path string, size int, chunk string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	w := bufio.NewWriterSize(f, 1<<20)
	if chunk == "" {
		w.WriteString(goodTemplate)
		chunk = "# " + strings.Repeat("パディング", 20) + "\n"
	}
	for n := w.Buffered(); n < size; n += len(chunk) {
		w.WriteString(chunk)
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
}

// TestNotTextFiles checks files that are not UTF-8 text: a Shift_JIS
// request file and template (common in Japanese teams), Latin-1, UTF-16
// with a BOM, and binary data named .http: each is a finding or is read
// as far as it can be; nothing crashes and the rest is checked.
func TestNotTextFiles(t *testing.T) {
	files := goodFiles()
	// "注文一覧" in Shift_JIS.
	sjis := "\x92\x8d\x95\xb6\x88\xea\x97\x97"
	files["enc/sjis.http"] = "### " + sjis + "\r\nGET https://a1b2c3d4e5.execute-api.ap-northeast-1.amazonaws.com/prod/orders\r\n"
	files["enc/sjis-template.yaml"] = "AWSTemplateFormatVersion: '2010-09-09'\r\nDescription: " + sjis + "\r\nResources:\r\n  B:\r\n    Type: AWS::S3::Bucket\r\n"
	files["enc/latin1.http"] = "GET https://example.com/caf\xe9\n"
	files["enc/utf16.http"] = "\xff\xfeG\x00E\x00T\x00 \x00h\x00t\x00t\x00p\x00s\x00:\x00/\x00/\x00x\x00\n\x00"
	files["enc/image.http"] = "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + strings.Repeat("\x00\xff\x13", 3000)
	files["enc/http-client.env.json"] = "{\"dev\": {\"name\": \"" + sjis + "\"}}"
	dir := newWorkspace(t, files)
	res := runCLI(t, dir, []string{"GW403_TEST_KEY=k"}, "check", "--color", "never", ".")
	fs := findings(res.stdout)
	checkGoodStillChecked(t, fs)
	for _, p := range []string{"enc/image.http", "enc/utf16.http", "enc/sjis-template.yaml"} {
		if !has(fs, p, "GW001") {
			t.Errorf("no GW001 for %s\n%s", p, res.stdout)
		}
	}
	for _, format := range []string{"json", "sarif", "github"} {
		runCLI(t, dir, []string{"GW403_TEST_KEY=k"}, "check", "--format", format, ".")
	}
	runCLI(t, dir, []string{"GW403_TEST_KEY=k"}, "inspect", ".")
	runCLI(t, dir, nil, "explain", "enc/image.http")
}

// TestWalkHazards puts a symlink loop, a dangling link, a FIFO named .http,
// links to endless devices named as request, env and template files, and
// a directory named like a request file in the workspace. None may hang
// the check or make it read without bound.
func TestWalkHazards(t *testing.T) {
	dir := newWorkspace(t, goodFiles())
	mustSymlink(t, dir, filepath.Join(dir, "good", "loop"))
	mustSymlink(t, filepath.Join(dir, "good", "a"), filepath.Join(dir, "good", "b"))
	mustSymlink(t, filepath.Join(dir, "good", "b"), filepath.Join(dir, "good", "a"))
	mustSymlink(t, filepath.Join(dir, "missing.http"), filepath.Join(dir, "dangling.http"))
	if err := os.MkdirAll(filepath.Join(dir, "dir.http"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Mkfifo(filepath.Join(dir, "pipe.http"), 0o644); err != nil {
		t.Logf("no FIFO: %v", err)
	}
	if err := os.MkdirAll(filepath.Join(dir, "dev"), 0o755); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"zero.http", "http-client.env.json", "template.yaml", ".env"} {
		mustSymlink(t, "/dev/zero", filepath.Join(dir, "dev", name))
	}
	if err := os.WriteFile(filepath.Join(dir, "dev", "api.http"), []byte("GET https://example.com/{{x}}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	unreadable := filepath.Join(dir, "locked.http")
	if err := os.WriteFile(unreadable, []byte("GET https://example.com/\n"), 0o000); err != nil {
		t.Fatal(err)
	}

	res := runCLI(t, dir, []string{"GW403_TEST_KEY=k"}, "check", "--color", "never", ".")
	fs := findings(res.stdout)
	checkGoodStillChecked(t, fs)
	if res.peakMB > 200 {
		t.Errorf("peak RSS %.0f MB, want bounded (< 200 MB): a device was read", res.peakMB)
	}
	if os.Geteuid() != 0 && !has(fs, "locked.http", "GW001") {
		t.Errorf("no GW001 for the unreadable locked.http\n%s", res.stdout)
	}
	// Named explicitly: a FIFO, a device and a directory are refused, not read.
	for _, p := range []string{"pipe.http", "dev/zero.http", "dev/api.http"} {
		if _, err := os.Lstat(filepath.Join(dir, p)); err != nil {
			continue
		}
		r := runCLI(t, dir, nil, "check", "--color", "never", p)
		if r.peakMB > 200 {
			t.Errorf("check %s: peak RSS %.0f MB, want bounded", p, r.peakMB)
		}
	}
	runCLI(t, dir, nil, "inspect", ".")
}

func mustSymlink(t *testing.T, target, link string) {
	t.Helper()
	if err := os.Symlink(target, link); err != nil {
		t.Skipf("symlinks unavailable: %v", err)
	}
}
