package hardening

import (
	"bufio"
	"encoding/json"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gw403/gw403-lsp/lsp/lsptest"
)

// scriptFiles is a workspace whose request files hold every kind of code a
// client would run and every way a request could leave the machine. Each
// script, if it ran, would create a file named "ran-…" in the workspace;
// each request points at a local listener the test watches.
func scriptFiles(addr string) map[string]string {
	mark := func(name string) string { return "ran-" + name }
	return map[string]string{
		"template.yaml":        goodTemplate,
		".gw403.yaml":          "apis:\n  orders:\n    template: template.yaml\n    ids: [a1b2c3d4e5]\n",
		"http-client.env.json": `{"dev": {"host": "http://` + addr + `", "shell": "{{$shell touch ` + mark("env-shell") + `}}"}}`,
		".httpyac.js":          "require('fs').writeFileSync('" + mark("httpyac-config") + "', 'x');\nmodule.exports = {};\n",
		"scripts/pre.js":       "require('fs').writeFileSync('" + mark("pre-file") + "', 'x');\n",
		"api.http": "### JetBrains pre-request script\n" +
			"< {% request.variables.set('x', require('child_process').execSync('touch " + mark("jb-pre") + "')) %}\n" +
			"GET http://" + addr + "/prod/orders?x={{$shell touch " + mark("shell") + "}}\n" +
			"x-api-key: {{$exec touch " + mark("exec") + "}}\n" +
			"\n" +
			"> {%\n  require('fs').writeFileSync('" + mark("jb-handler") + "', 'x');\n  client.global.set('id', response.body.id);\n%}\n" +
			">> " + mark("response-redirect") + ".json\n" +
			"\n" +
			"### httpyac scripts\n" +
			"{{\n  require('fs').writeFileSync('" + mark("httpyac-inline") + "', 'x');\n  exports.token = 'x';\n}}\n" +
			"# @ref other\n" +
			"POST {{host}}/prod/orders\n" +
			"Content-Type: application/json\n" +
			"\n" +
			"< ./scripts/pre.js\n" +
			"\n" +
			"### response file and a body from a file\n" +
			"POST https://a1b2c3d4e5.execute-api.ap-northeast-1.amazonaws.com/Prod/orders\n" +
			"x-api-key: {{$processEnv HOME}}\n" +
			"\n" +
			"<@ ./scripts/pre.js\n" +
			"\n" +
			">>! " + mark("response-force") + ".json\n" +
			"\n" +
			"### local host in every notation\n" +
			"GET http://localhost:" + strings.Split(addr, ":")[1] + "/\n" +
			"\n" +
			"### IPv6 loopback\n" +
			"GET http://[::1]:" + strings.Split(addr, ":")[1] + "/\n",
		"capture.txt": "> GET /prod/orders HTTP/1.1\n> Host: " + addr + "\n>\n< HTTP/1.1 403 Forbidden\n< x-amzn-errortype: ForbiddenException\n<\n{\"message\":\"Forbidden\"}\n",
	}
}

// listen starts a TCP listener on the loopback that counts connections.
func listen(t *testing.T) (addr string, conns *atomic.Int64) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Skipf("no loopback listener: %v", err)
	}
	conns = new(atomic.Int64)
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			conns.Add(1)
			c.Close()
		}
	}()
	t.Cleanup(func() { ln.Close() })
	return ln.Addr().String(), conns
}

// checkNothingRan fails when a script left its marker or a response file
// was written.
func checkNothingRan(t *testing.T, dir string) {
	t.Helper()
	var ran []string
	_ = filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err == nil && strings.HasPrefix(d.Name(), "ran-") {
			ran = append(ran, d.Name())
		}
		return nil
	})
	if len(ran) > 0 {
		t.Errorf("code from the workspace ran or a response file was written: %v", ran)
	}
}

// cliRuns are the CLI invocations every offline test makes.
var cliRuns = [][]string{
	{"check", "--color", "never", "."},
	{"check", "--fix", "--format", "json", "."},
	{"inspect", "--format", "json", "."},
	{"explain", "capture.txt"},
	{"rules", "GW101"},
}

// TestNoNetworkNoScripts runs the CLI over request files full of scripts,
// $shell/$exec variables, response redirects and requests to a loopback
// listener: nothing runs, nothing is written but --fix's edits, and no
// connection is made.
func TestNoNetworkNoScripts(t *testing.T) {
	addr, conns := listen(t)
	dir := newWorkspace(t, scriptFiles(addr))
	for _, args := range cliRuns {
		runCLI(t, dir, nil, args...)
	}
	checkNothingRan(t, dir)
	if n := conns.Load(); n != 0 {
		t.Errorf("the CLI made %d connections to the workspace's hosts, want none", n)
	}
}

// unshareWorks reports whether `unshare -rn` can make a network namespace
// here (it needs user namespaces).
func unshareWorks() bool {
	return exec.Command("unshare", "-rn", "true").Run() == nil
}

// TestCLIInNetworklessNamespace runs the CLI under `unshare -rn`, where any
// connection attempt fails: every command still works as usual.
func TestCLIInNetworklessNamespace(t *testing.T) {
	if !unshareWorks() {
		t.Skip("unshare -rn is unavailable here")
	}
	dir := newWorkspace(t, scriptFiles("127.0.0.1:9"))
	res := runArgv(t, dir, nil, []string{"unshare", "-rn", "--", gw403(t), "check", "--color", "never", "."})
	if !has(findings(res.stdout), "api.http", "GW132") {
		t.Errorf("no GW132 under unshare -rn: the check did not run as usual\n%s", res.stdout)
	}
	for _, args := range cliRuns {
		res := runArgv(t, dir, nil, append([]string{"unshare", "-rn", "--", gw403(t)}, args...))
		if res.code == 2 {
			t.Errorf("%s under unshare -rn: exit 2\n%s", strings.Join(args, " "), res.stderr)
		}
	}
	checkNothingRan(t, dir)
}

// TestServerInNetworklessNamespace runs `gw403-lsp serve` under `unshare -rn`
// and speaks LSP to it over stdio: open the request file, get diagnostics,
// hover every line, shut down. Scripts must not run.
func TestServerInNetworklessNamespace(t *testing.T) {
	argv := []string{gw403(t), "serve"}
	if unshareWorks() {
		argv = append([]string{"unshare", "-rn", "--"}, argv...)
	} else {
		t.Log("unshare -rn is unavailable: the server runs with the network (the listener still counts connections)")
	}
	addr, conns := listen(t)
	files := scriptFiles(addr)
	dir := newWorkspace(t, files)
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Dir = dir
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr lockedBuffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	t.Cleanup(func() {
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			cmd.Process.Kill()
			<-done
		}
	})
	msgs := make(chan lsptest.Response, 1000)
	go func() {
		r := lsptest.NewReader(bufio.NewReader(stdout))
		for {
			m, err := r.Next()
			if err != nil {
				close(msgs)
				return
			}
			msgs <- m
		}
	}()
	send := func(id any, method string, params any) {
		t.Helper()
		if _, err := stdin.Write(lsptest.Message(id, method, params)); err != nil {
			t.Fatalf("write %s: %v", method, err)
		}
	}
	// wait reads messages until ok accepts one, answering the server's own
	// requests (configuration, registration) with null.
	wait := func(what string, ok func(lsptest.Response) bool) lsptest.Response {
		t.Helper()
		deadline := time.After(hangLimit)
		for {
			select {
			case m, open := <-msgs:
				if !open {
					t.Fatalf("the server closed its output waiting for %s\nstderr: %s", what, stderr.String())
				}
				if m.Method != "" && len(m.ID) > 0 {
					body, _ := json.Marshal(map[string]any{"jsonrpc": "2.0", "id": m.ID, "result": nil})
					stdin.Write(lsptest.Frame(body))
				}
				if ok(m) {
					return m
				}
			case <-deadline:
				t.Fatalf("no %s after %v", what, hangLimit)
			}
		}
	}
	rootURI := lsptest.FileURI(dir)
	send(1, "initialize", map[string]any{"processId": nil, "rootUri": rootURI, "capabilities": lsptest.DefaultCapabilities()})
	wait("initialize result", func(m lsptest.Response) bool { return string(m.ID) == "1" })
	send(nil, "initialized", map[string]any{})
	u := lsptest.FileURI(filepath.Join(dir, "api.http"))
	send(nil, "textDocument/didOpen", map[string]any{"textDocument": map[string]any{"uri": u, "languageId": "http", "version": 1, "text": files["api.http"]}})
	pub := wait("diagnostics of api.http", func(m lsptest.Response) bool {
		return m.Method == "textDocument/publishDiagnostics" && strings.Contains(string(m.Params), string(u))
	})
	if !strings.Contains(string(pub.Params), "GW132") {
		t.Errorf("diagnostics of api.http lack GW132: %s", pub.Params)
	}
	lines := strings.Count(files["api.http"], "\n")
	for i := 0; i < lines; i++ {
		send(100+i, "textDocument/hover", map[string]any{"textDocument": map[string]any{"uri": u}, "position": map[string]any{"line": i, "character": 8}})
	}
	id := fmt.Sprint(100 + lines - 1)
	wait("the last hover", func(m lsptest.Response) bool { return string(m.ID) == id })
	send(2, "shutdown", nil)
	wait("shutdown result", func(m lsptest.Response) bool { return string(m.ID) == "2" })
	send(nil, "exit", nil)
	stdin.Close()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("server exit: %v\nstderr: %s", err, stderr.String())
		}
		done <- err
	case <-time.After(hangLimit):
		t.Fatalf("the server did not exit")
	}
	checkNothingRan(t, dir)
	if n := conns.Load(); n != 0 {
		t.Errorf("the server made %d connections, want none", n)
	}
}
