package hardening

import (
	"encoding/json"
	"strings"
	"testing"

	"go.lsp.dev/protocol"

	"github.com/gw403/gw403-lsp/lsp"
	"github.com/gw403/gw403-lsp/lsp/lsptest"
)

// A private host and key: the host is written in capitals in the private
// env file, and messages show hosts lower-cased.
const (
	privateHost = "PrivHost-7d2e9a41.Internal.Example"
	privateKey  = "PRIVAPIKEY0c9b8a7f6e5d"
)

func checkNoPrivate(t *testing.T, what, out string) {
	t.Helper()
	low := strings.ToLower(out)
	for _, s := range []string{privateHost, privateKey, "7d2e9a41", "0c9b8a7f6e5d"} {
		if i := strings.Index(low, strings.ToLower(s)); i >= 0 {
			t.Errorf("%s leaks %q: …%s…", what, s, out[max(0, i-100):min(len(out), i+len(s)+40)])
		}
	}
}

// privateValueFiles uses a private host (not linked: its name ends up in
// the "not linked: <host> is neither …" reason) and a private API key in
// a query (which a captured request given to explain also holds).
func privateValueFiles() map[string]string {
	return map[string]string{
		".gw403.yaml":                  "apis:\n  orders:\n    template: template.yaml\n    ids: [a1b2c3d4e5]\n",
		"template.yaml":                goodTemplate,
		"http-client.env.json":         `{"prod": {"stage": "prod"}}`,
		"http-client.private.env.json": `{"prod": {"host": "` + privateHost + `", "apiKey": "` + privateKey + `"}}`,
		"api.http": "### private host\nGET https://{{host}}/orders\n\n" +
			"### key in the query\nGET https://a1b2c3d4e5.execute-api.ap-northeast-1.amazonaws.com/{{stage}}/orders?apiKey={{apiKey}}\n",
		"capture.txt": "> GET /prod/orders?apiKey=" + privateKey + " HTTP/1.1\n> Host: a1b2c3d4e5.execute-api.ap-northeast-1.amazonaws.com\n> User-Agent: curl/8.5.0\n>\n" +
			"< HTTP/1.1 403 Forbidden\n< x-amzn-errortype: ForbiddenException\n< content-type: application/json\n<\n{\"message\":\"Forbidden\"}\n",
	}
}

// TestPrivateValuesMaskedInReasons: a private env value used as the host
// was printed in the link reason (inspect text and JSON), and explain
// --workspace printed a captured URL whose query holds the private key.
func TestPrivateValuesMaskedInReasons(t *testing.T) {
	dir := newWorkspace(t, privateValueFiles())
	for _, args := range [][]string{
		{"inspect", "."},
		{"inspect", "--format", "json", "."},
		{"check", "."},
		{"check", "--format", "json", "."},
		{"explain", "--workspace", dir, "capture.txt"},
		{"explain", "--workspace", dir, "--format", "json", "capture.txt"},
	} {
		res := runCLI(t, dir, nil, args...)
		name := strings.Join(args, " ")
		checkNoPrivate(t, name+" (stdout)", res.stdout)
		checkNoPrivate(t, name+" (stderr)", res.stderr)
		if args[0] == "inspect" && !strings.Contains(res.stdout, "is neither") {
			t.Errorf("%s: the unlinked host's reason is gone: the fixture no longer exercises it\n%s", name, tail(res.stdout))
		}
		if args[0] == "explain" && !strings.Contains(res.stdout, "apiKey=****") {
			t.Errorf("%s: the captured key is not shown masked\n%s", name, tail(res.stdout))
		}
	}
}

// TestPrivateHostMaskedInHover: the hover of the request whose host is
// private shows the reason with the host masked.
func TestPrivateHostMaskedInHover(t *testing.T) {
	files := privateValueFiles()
	c := lsptest.Start(t, lsptest.Config{Files: files, Options: lsp.Options{Debounce: -1}})
	c.Initialize(lsptest.InitOptions{})
	u := c.Open("api.http", files["api.http"])
	c.WaitVersion(u, 1)
	var hover json.RawMessage
	if err := c.Call(protocol.MethodTextDocumentHover, map[string]any{"textDocument": map[string]any{"uri": u}, "position": protocol.Position{Line: 1, Character: 2}}, &hover); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(hover), "is neither") {
		t.Errorf("hover lacks the link reason: %s", hover)
	}
	checkNoPrivate(t, "hover", string(hover))
	c.Shutdown()
	c.Exit()
}
