package lsp_test

import (
	"bytes"
	"context"
	"io"
	"net"
	"runtime"
	"testing"
	"time"

	"github.com/gw403/gw403-lsp/lsp"
	"github.com/gw403/gw403-lsp/lsp/lsptest"
)

// FuzzServe runs a whole session on arbitrary input: the server must end
// when the input does (exit code 0 or 1), without a panic or a goroutine
// left behind (goleak checks at the end of the package's tests).
func FuzzServe(f *testing.F) {
	doc := "file:///fuzz/api.http"
	var session bytes.Buffer
	for _, m := range [][]byte{
		lsptest.Message(1, "initialize", map[string]any{"processId": 1, "rootUri": "file:///fuzz", "locale": "ja",
			"capabilities": map[string]any{"general": map[string]any{"positionEncodings": []string{"utf-8"}}}}),
		lsptest.Message(nil, "initialized", map[string]any{}),
		lsptest.Message(nil, "textDocument/didOpen", map[string]any{"textDocument": map[string]any{"uri": doc, "languageId": "http", "version": 1, "text": apiHTTP}}),
		lsptest.Message(nil, "textDocument/didChange", map[string]any{"textDocument": map[string]any{"uri": doc, "version": 2},
			"contentChanges": []any{map[string]any{"range": rng(1, 3, 2, 9), "text": "日本🎉\r\n"}, map[string]any{"text": apiHTTP}}}),
		lsptest.Message(2, "textDocument/hover", map[string]any{"textDocument": map[string]any{"uri": doc}, "position": pos(1, 5)}),
		lsptest.Message(3, "textDocument/codeAction", map[string]any{"textDocument": map[string]any{"uri": doc}, "range": rng(0, 0, 9, 0),
			"context": map[string]any{"diagnostics": []any{map[string]any{"range": rng(1, 4, 1, 9), "message": "", "data": map[string]any{"code": "GW101", "index": 0, "check": 1}}}, "only": []string{"quickfix", "source"}}}),
		lsptest.Message(4, "textDocument/completion", map[string]any{"textDocument": map[string]any{"uri": doc}, "position": pos(2, 3)}),
		lsptest.Message(5, "textDocument/documentLink", map[string]any{"textDocument": map[string]any{"uri": doc}}),
		lsptest.Message(6, "workspace/executeCommand", map[string]any{"command": lsp.CommandSetEnvironment, "arguments": []any{"prod"}}),
		lsptest.Message(20, "textDocument/definition", map[string]any{"textDocument": map[string]any{"uri": doc}, "position": pos(1, 9)}),
		lsptest.Message(21, "textDocument/references", map[string]any{"textDocument": map[string]any{"uri": doc}, "position": pos(1, 9), "context": map[string]any{"includeDeclaration": true}}),
		lsptest.Message(22, "textDocument/codeLens", map[string]any{"textDocument": map[string]any{"uri": doc}}),
		lsptest.Message(23, "textDocument/inlayHint", map[string]any{"textDocument": map[string]any{"uri": doc}, "range": rng(0, 0, 9, 0)}),
		lsptest.Message(24, "workspace/executeCommand", map[string]any{"command": lsp.CommandLinkCounts, "arguments": []any{doc}}),
		lsptest.Message(nil, "$/cancelRequest", map[string]any{"id": 4}),
		lsptest.Message(nil, "textDocument/didClose", map[string]any{"textDocument": map[string]any{"uri": doc}}),
		lsptest.Message(7, "shutdown", nil),
		lsptest.Message(nil, "exit", nil),
	} {
		session.Write(m)
	}
	f.Add(session.Bytes())
	f.Add(session.Bytes()[:session.Len()/2])
	f.Add([]byte("Content-Length: 10\r\n\r\n{}Content-Length: 3\r\n\r\n{}}"))
	f.Fuzz(func(t *testing.T, data []byte) {
		ff := newFakeFactory()
		ff.off = true
		srv, cli := net.Pipe()
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		done := make(chan int, 1)
		go func() { done <- lsp.Serve(ctx, srv, lsp.Options{NewWorkspace: ff.new, Debounce: -1}) }()
		drained := make(chan struct{})
		go func() { _, _ = io.Copy(io.Discard, cli); close(drained) }()
		wrote := make(chan struct{})
		go func() { _, _ = cli.Write(data); _ = cli.Close(); close(wrote) }()
		wait := func(what string, ch <-chan struct{}) {
			select {
			case <-ch:
			case <-time.After(lsptest.Timeout):
				buf := make([]byte, 1<<20)
				t.Fatalf("%s did not end; goroutines:\n%s", what, buf[:runtime.Stack(buf, true)])
			}
		}
		served := make(chan struct{})
		go func() {
			if code := <-done; code != 0 && code != 1 {
				t.Errorf("exit code %d", code)
			}
			close(served)
		}()
		wait("the server", served)
		_ = cli.Close()
		wait("the writer", wrote)
		wait("the reader", drained)
	})
}
