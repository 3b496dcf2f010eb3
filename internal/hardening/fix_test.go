package hardening

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// The request line calls stage "Prod" of an API whose stage is "prod": GW132
// offers one safe fix, replacing the segment.
const (
	fixURLBad  = "https://a1b2c3d4e5.execute-api.ap-northeast-1.amazonaws.com/Prod/orders"
	fixURLGood = "https://a1b2c3d4e5.execute-api.ap-northeast-1.amazonaws.com/prod/orders"
)

func inode(t *testing.T, path string) uint64 {
	t.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return fi.Sys().(*syscall.Stat_t).Ino
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestFixPreservesBytesAndMode applies GW132's fix to request files with
// CRLF line ends, a BOM, Japanese text and emoji, with and without a final
// newline, and a restrictive mode: only the fixed segment changes, the file
// is replaced by rename (a new inode) and keeps its mode, and a second
// --fix changes nothing.
func TestFixPreservesBytesAndMode(t *testing.T) {
	cases := map[string]string{
		"crlf-bom.http":    "\ufeff### 注文一覧 🧾\r\nGET " + fixURLBad + "\r\nx-api-key: {{apiKey}}\r\n",
		"lf-no-eol.http":   "### 注文\nGET " + fixURLBad + "\nx-api-key: {{apiKey}}",
		"cr-mixed.http":    "# コメント\r\n\r\n### a\r\nGET " + fixURLBad + "\nx-api-key: {{apiKey}}\r\n\r\n\r\n",
		"trailing-ws.http": "GET " + fixURLBad + "   \nx-api-key: {{apiKey}}\n\n",
	}
	files := map[string]string{
		"template.yaml":                goodTemplate,
		".gw403.yaml":                  "apis:\n  orders:\n    template: template.yaml\n    ids: [a1b2c3d4e5]\n",
		"http-client.private.env.json": `{"prod": {"apiKey": "k"}}`,
	}
	for name, text := range cases {
		files["req/"+name] = text
	}
	dir := newWorkspace(t, files)
	modes := map[string]os.FileMode{"crlf-bom.http": 0o600, "lf-no-eol.http": 0o640, "cr-mixed.http": 0o644, "trailing-ws.http": 0o755}
	inodes := map[string]uint64{}
	for name, mode := range modes {
		p := filepath.Join(dir, "req", name)
		if err := os.Chmod(p, mode); err != nil {
			t.Fatal(err)
		}
		inodes[name] = inode(t, p)
	}
	tmplBefore := readFile(t, filepath.Join(dir, "template.yaml"))

	res := runCLI(t, dir, nil, "check", "--fix", "--color", "never", "req")
	if res.code == 2 {
		t.Fatalf("check --fix: exit 2\n%s%s", res.stdout, res.stderr)
	}
	for name, before := range cases {
		p := filepath.Join(dir, "req", name)
		got := readFile(t, p)
		want := strings.Replace(before, fixURLBad, fixURLGood, 1)
		if got != want {
			t.Errorf("%s after --fix = %q, want %q", name, got, want)
		}
		fi, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		if fi.Mode().Perm() != modes[name] {
			t.Errorf("%s: mode %v after --fix, want %v", name, fi.Mode().Perm(), modes[name])
		}
		if inode(t, p) == inodes[name] {
			t.Errorf("%s: same inode after --fix: written in place, not replaced by rename", name)
		}
	}
	if got := readFile(t, filepath.Join(dir, "template.yaml")); got != tmplBefore {
		t.Errorf("template.yaml changed although only req/ was checked")
	}
	entries, _ := os.ReadDir(filepath.Join(dir, "req"))
	if len(entries) != len(cases) {
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		t.Errorf("req/ holds %v after --fix, want only the %d request files (no temporary files left)", names, len(cases))
	}

	// Twice: nothing left to fix, nothing written.
	for name := range cases {
		inodes[name] = inode(t, filepath.Join(dir, "req", name))
	}
	snapshot := map[string]string{}
	for name := range cases {
		snapshot[name] = readFile(t, filepath.Join(dir, "req", name))
	}
	res = runCLI(t, dir, nil, "check", "--fix", "--color", "never", "req")
	for name := range cases {
		p := filepath.Join(dir, "req", name)
		if got := readFile(t, p); got != snapshot[name] {
			t.Errorf("%s: the second --fix changed it:\n%q\nto\n%q", name, snapshot[name], got)
		}
		if inode(t, p) != inodes[name] {
			t.Errorf("%s: the second --fix rewrote it (new inode) with nothing to fix", name)
		}
	}
	if has(findings(res.stdout), ".http", "GW132") {
		t.Errorf("GW132 still reported after --fix:\n%s", res.stdout)
	}
}

// TestFixNeverTouchesBrokenFiles: a request file with a parse error (an
// unterminated handler script) keeps its bytes and inode even though it
// holds a fixable finding, while the good file next to it is fixed. (That
// --fix never writes a file that changed since it was read is tested in
// cmd/gw403-lsp, where the write can be raced deterministically.)
func TestFixNeverTouchesBrokenFiles(t *testing.T) {
	broken := "### a\nGET " + fixURLBad + "\nx-api-key: {{apiKey}}\n\n> {%\n  client.global.set(\"x\", 1);\n"
	dir := newWorkspace(t, map[string]string{
		"template.yaml":                goodTemplate,
		".gw403.yaml":                  "apis:\n  orders:\n    template: template.yaml\n    ids: [a1b2c3d4e5]\n",
		"http-client.private.env.json": `{"prod": {"apiKey": "k"}}`,
		"broken.http":                  broken,
		"good.http":                    "GET " + fixURLBad + "\nx-api-key: {{apiKey}}\n",
	})
	p := filepath.Join(dir, "broken.http")
	ino := inode(t, p)
	res := runCLI(t, dir, nil, "check", "--fix", "--color", "never", ".")
	fs := findings(res.stdout)
	if !has(fs, "broken.http", "GW001") {
		t.Fatalf("no GW001 for broken.http: the fixture no longer has a parse error\n%s", res.stdout)
	}
	if got := readFile(t, p); got != broken || inode(t, p) != ino {
		t.Errorf("broken.http was written by --fix although it has a parse error:\n%q", got)
	}
	if got := readFile(t, filepath.Join(dir, "good.http")); !strings.Contains(got, fixURLGood) {
		t.Errorf("good.http was not fixed: %q", got)
	}
}

// TestFixTemplateKeepsLineEnds applies a fix that inserts YAML lines (GW201
// adds a usage plan) to a template with a BOM, CRLF line ends and no final
// newline: the inserted lines end in CRLF too, every original line is kept
// in order, nothing else changes, and a second --fix writes nothing.
func TestFixTemplateKeepsLineEnds(t *testing.T) {
	tmpl := "\ufeffAWSTemplateFormatVersion: \"2010-09-09\"\r\n" +
		"Transform: AWS::Serverless-2016-10-31\r\n" +
		"Description: 注文 API 🧾\r\n" +
		"Resources:\r\n" +
		"  OrdersApi:\r\n" +
		"    Type: AWS::Serverless::Api\r\n" +
		"    Properties:\r\n" +
		"      StageName: prod\r\n" +
		"      Auth:\r\n" +
		"        ApiKeyRequired: true\r\n" +
		"  Fn:\r\n" +
		"    Type: AWS::Serverless::Function\r\n" +
		"    Properties:\r\n" +
		"      Handler: app.handler\r\n" +
		"      Runtime: python3.12\r\n" +
		"      Events:\r\n" +
		"        Get:\r\n" +
		"          Type: Api\r\n" +
		"          Properties:\r\n" +
		"            RestApiId: !Ref OrdersApi\r\n" +
		"            Path: /orders\r\n" +
		"            Method: get"
	dir := newWorkspace(t, map[string]string{"template.yaml": tmpl})
	p := filepath.Join(dir, "template.yaml")
	before := runCLI(t, dir, nil, "check", "--color", "never", ".")
	if !has(findings(before.stdout), "template.yaml", "GW201") {
		t.Fatalf("no GW201 for the template: the fixture no longer has a fixable finding\n%s", before.stdout)
	}
	runCLI(t, dir, nil, "check", "--fix", "--color", "never", ".")
	got := readFile(t, p)
	if got == tmpl {
		t.Fatalf("--fix did not change the template")
	}
	if !strings.HasPrefix(got, "\ufeff") {
		t.Errorf("the BOM is gone")
	}
	if strings.Contains(strings.ReplaceAll(got, "\r\n", ""), "\n") {
		t.Errorf("a bare LF line end was written into a CRLF file:\n%q", got)
	}
	if strings.HasSuffix(got, "\n") {
		t.Errorf("a final newline was added")
	}
	// Every original line is still there, in order.
	rest := got
	for _, l := range strings.Split(tmpl, "\r\n") {
		i := strings.Index(rest, l)
		if i < 0 {
			t.Fatalf("line %q is missing or out of order after --fix:\n%s", l, got)
		}
		rest = rest[i+len(l):]
	}
	after := runCLI(t, dir, nil, "check", "--color", "never", ".")
	if has(findings(after.stdout), "template.yaml", "GW201") {
		t.Errorf("GW201 still reported after --fix:\n%s", after.stdout)
	}
	ino := inode(t, p)
	runCLI(t, dir, nil, "check", "--fix", "--color", "never", ".")
	if readFile(t, p) != got || inode(t, p) != ino {
		t.Errorf("the second --fix rewrote the template")
	}
}
