package hardening

import (
	"bytes"
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"go.lsp.dev/protocol"

	_ "github.com/gw403/gw403-lsp/analyzer/rules" // the rule catalog, as the binary has it
	"github.com/gw403/gw403-lsp/lsp"
	"github.com/gw403/gw403-lsp/lsp/lsptest"
)

// Secret values, one per place secrets come from. None may appear in any
// output.
const (
	secretPrivate = "PRIVSECRETa7f3c9d1"    // http-client.private.env.json
	secretToken   = "PRIVTOKENb51e2f08"     // http-client.private.env.json
	secretDotenv  = "DOTENVSECRETc0ffee42"  // .env
	secretProcess = "PROCESSSECRETbeef4242" // $processEnv
)

// secretFiles is a workspace whose requests use secrets from every source,
// in URLs, headers and bodies, on requests that draw findings (misspelled
// key header, wrong stage, unknown path, missing key) and that do not.
func secretFiles() map[string]string {
	return map[string]string{
		".gw403.yaml":   "apis:\n  orders:\n    template: template.yaml\n    ids: [a1b2c3d4e5]\n",
		"template.yaml": goodTemplate,
		"http-client.env.json": `{"prod": {"baseUrl": "https://a1b2c3d4e5.execute-api.ap-northeast-1.amazonaws.com/prod"},
 "dev": {"baseUrl": "https://a1b2c3d4e5.execute-api.ap-northeast-1.amazonaws.com/Prod"}}`,
		"http-client.private.env.json": `{"prod": {"apiKey": "` + secretPrivate + `", "token": "` + secretToken + `"},
 "dev": {"apiKey": "` + secretPrivate + `", "token": "` + secretToken + `"}}`,
		".env": "API_SECRET=" + secretDotenv + "\n",
		"api.http": "### 鍵の綴りが違う (misspelled key header)\n" +
			"GET {{baseUrl}}/orders?token={{token}}\n" +
			"x-apikey: {{apiKey}}\n" +
			"\n" +
			"### stage の大文字 (wrong stage, secret in the path)\n" +
			"GET https://a1b2c3d4e5.execute-api.ap-northeast-1.amazonaws.com/Prod/orders/{{$dotenv API_SECRET}}\n" +
			"x-api-key: {{apiKey}}\n" +
			"Authorization: Bearer {{$processEnv GW403_HARDENING_SECRET}}\n" +
			"\n" +
			"### 鍵なし (no key; secrets in the query and body)\n" +
			"POST {{baseUrl}}/missing/{{token}}?sig={{$processEnv GW403_HARDENING_SECRET}}\n" +
			"Content-Type: application/json\n" +
			"X-Token: {{$dotenv API_SECRET}}\n" +
			"\n" +
			"{\"key\": \"{{apiKey}}\", \"t\": \"{{$processEnv GW403_HARDENING_SECRET}}\"}\n" +
			"\n" +
			"### ok\n" +
			"GET {{baseUrl}}/orders\n" +
			"x-api-key: {{apiKey}}\n",
		"capture.txt": "> GET /prod/orders HTTP/1.1\n> Host: a1b2c3d4e5.execute-api.ap-northeast-1.amazonaws.com\n> User-Agent: curl/8.5.0\n>\n< HTTP/1.1 403 Forbidden\n< x-amzn-errortype: ForbiddenException\n< x-amzn-requestid: 0f1e2d3c-aaaa-bbbb-cccc-000000000000\n< content-type: application/json\n<\n{\"message\":\"Forbidden\"}\n",
	}
}

var secrets = []string{secretPrivate, secretToken, secretDotenv, secretProcess}

const processEnv = "GW403_HARDENING_SECRET=" + secretProcess

// checkNoSecret fails when out holds a secret value or a long part of one.
func checkNoSecret(t *testing.T, what, out string) {
	t.Helper()
	for _, s := range secrets {
		for _, part := range []string{s, s[:12], s[len(s)-12:]} {
			if strings.Contains(out, part) {
				i := strings.Index(out, part)
				lo, hi := max(0, i-120), min(len(out), i+len(part)+40)
				t.Errorf("%s leaks %q: …%s…", what, part, out[lo:hi])
				break
			}
		}
	}
}

// TestSecretsMaskedInCLIOutput runs every CLI output format over the
// workspace and greps stdout and stderr for the secrets.
func TestSecretsMaskedInCLIOutput(t *testing.T) {
	dir := newWorkspace(t, secretFiles())
	env := []string{processEnv}
	runs := [][]string{
		{"check", "--color", "never", "."},
		{"check", "--format", "json", "."},
		{"check", "--format", "sarif", "."},
		{"check", "--format", "github", "."},
		{"check", "--lang", "ja", "--color", "never", "."},
		{"check", "--env", "dev", "--color", "always", "."},
		{"inspect", "."},
		{"inspect", "--format", "json", "."},
		{"inspect", "--env", "dev", "api.http"},
		{"explain", "capture.txt"},
		{"explain", "--format", "json", "capture.txt"},
	}
	sawFinding := false
	for _, args := range runs {
		res := runCLI(t, dir, env, args...)
		name := strings.Join(args, " ")
		checkNoSecret(t, name+" (stdout)", res.stdout)
		checkNoSecret(t, name+" (stderr)", res.stderr)
		if args[0] == "check" && args[1] == "--format" && args[2] == "json" {
			sawFinding = strings.Contains(res.stdout, "GW102") || strings.Contains(res.stdout, "GW132")
		}
	}
	if !sawFinding {
		t.Errorf("check --format json reported neither GW102 nor GW132: the fixture no longer exercises findings")
	}
	// The values do reach the analyzer: inspect shows them masked.
	res := runCLI(t, dir, env, "inspect", "api.http")
	if !strings.Contains(res.stdout, "****") {
		t.Errorf("inspect shows no masked value (****): the secrets no longer reach the analyzer\n%s", res.stdout)
	}
	// --fix writes only request files; its report must not leak either.
	res = runCLI(t, dir, env, "check", "--fix", "--color", "never", ".")
	checkNoSecret(t, "check --fix (stdout)", res.stdout)
	checkNoSecret(t, "check --fix (stderr)", res.stderr)
	for _, name := range []string{"api.http", "http-client.env.json", ".gw403.yaml", "template.yaml"} {
		checkNoSecret(t, name+" after --fix", readFile(t, filepath.Join(dir, name)))
	}
}

// TestSecretsMaskedInLSP drives the language server with the real analyzer
// and greps every published diagnostic, hover, code action, completion and
// document link, and the server's log, for the secrets.
func TestSecretsMaskedInLSP(t *testing.T) {
	t.Setenv("GW403_HARDENING_SECRET", secretProcess)
	var logBuf lockedBuffer
	files := secretFiles()
	c := lsptest.Start(t, lsptest.Config{Files: files, Options: lsp.Options{Debounce: -1, Log: &logBuf}})
	c.Initialize(lsptest.InitOptions{})
	text := files["api.http"]
	u := c.Open("api.http", text)
	p := c.WaitVersion(u, 1)
	if len(p.Diagnostics) == 0 {
		t.Errorf("no diagnostics for api.http: the fixture no longer exercises findings")
	}
	var all bytes.Buffer
	dump := func(what string, v any) {
		b, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(&all, "%s: %s\n", what, b)
	}
	dump("diagnostics", p.Diagnostics)
	lines := strings.Split(text, "\n")
	for i, l := range lines {
		for _, ch := range []int{0, 5, len([]rune(l)) / 2, len([]rune(l))} {
			pos := protocol.Position{Line: uint32(i), Character: uint32(ch)}
			td := map[string]any{"uri": u}
			var hover json.RawMessage
			if err := c.Call(protocol.MethodTextDocumentHover, map[string]any{"textDocument": td, "position": pos}, &hover); err != nil {
				t.Errorf("hover %d:%d: %v", i, ch, err)
			}
			dump(fmt.Sprintf("hover %d:%d", i, ch), hover)
			var comp json.RawMessage
			if err := c.Call(protocol.MethodTextDocumentCompletion, map[string]any{"textDocument": td, "position": pos}, &comp); err != nil {
				t.Errorf("completion %d:%d: %v", i, ch, err)
			}
			dump(fmt.Sprintf("completion %d:%d", i, ch), comp)
		}
	}
	var actions json.RawMessage
	if err := c.Call(protocol.MethodTextDocumentCodeAction, map[string]any{
		"textDocument": map[string]any{"uri": u},
		"range":        protocol.Range{End: protocol.Position{Line: uint32(len(lines))}},
		"context":      map[string]any{"diagnostics": p.Diagnostics},
	}, &actions); err != nil {
		t.Errorf("codeAction: %v", err)
	}
	dump("codeAction", actions)
	var links json.RawMessage
	if err := c.Call(protocol.MethodTextDocumentDocumentLink, map[string]any{"textDocument": map[string]any{"uri": u}}, &links); err != nil {
		t.Errorf("documentLink: %v", err)
	}
	dump("documentLink", links)
	// Open the env files too: their diagnostics and hovers.
	for _, name := range []string{"http-client.private.env.json", ".env", "http-client.env.json"} {
		eu := c.Open(name, files[name])
		ep := c.WaitVersion(eu, 1)
		dump(name+" diagnostics", ep.Diagnostics)
		var hover json.RawMessage
		_ = c.Call(protocol.MethodTextDocumentHover, map[string]any{"textDocument": map[string]any{"uri": eu}, "position": protocol.Position{Line: 0, Character: 20}}, &hover)
		dump(name+" hover", hover)
	}
	// An edit that makes the secret a parse problem's neighbour.
	v := c.Change(u, lsptest.Edit(1, 0, 1, 0, "\"unterminated {{ "))
	dump("after edit", c.WaitVersion(u, v).Diagnostics)
	dump("logMessages", c.Logs())
	c.Shutdown()
	c.Exit()

	checkNoSecret(t, "LSP output", all.String())
	checkNoSecret(t, "server log", logBuf.String())
	if !strings.Contains(all.String(), "hover") || len(all.String()) < 1000 {
		t.Errorf("collected only %d bytes of LSP output", all.Len())
	}
}

// lockedBuffer is a bytes.Buffer safe for the server's concurrent writes.
type lockedBuffer struct {
	mu  sync.Mutex // guards buf
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
