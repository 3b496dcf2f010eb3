package lsp_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand"
	"runtime"
	"strings"
	"testing"
	"time"

	"go.lsp.dev/protocol"

	"github.com/gw403/gw403-lsp/lsp/lsptest"
)

// rawSession is a server driven with hand-made frames; a goroutine reads
// everything the server sends.
type rawSession struct {
	t    *testing.T
	raw  *lsptest.Raw
	msgs chan lsptest.Response
	f    *fakeFactory
}

func startRaw(t *testing.T, files map[string]string, debounce time.Duration) *rawSession {
	t.Helper()
	f := newFakeFactory()
	raw := lsptest.StartRaw(t, lsptest.Config{Files: files, Options: optsWith(f, debounce)})
	s := &rawSession{t: t, raw: raw, msgs: make(chan lsptest.Response, 100000), f: f}
	return s
}

// read starts reading the server's output.
func (s *rawSession) read() {
	done := make(chan struct{})
	s.t.Cleanup(func() { <-done })
	go func() {
		defer close(done)
		r := lsptest.NewReader(s.raw.Conn)
		for {
			m, err := r.Next()
			if err != nil {
				close(s.msgs)
				return
			}
			s.msgs <- m
		}
	}()
}

func (s *rawSession) send(b []byte) {
	s.t.Helper()
	if _, err := s.raw.Conn.Write(b); err != nil {
		s.t.Fatalf("write: %v", err)
	}
}

// until returns the first message satisfying ok.
func (s *rawSession) until(what string, ok func(lsptest.Response) bool) lsptest.Response {
	s.t.Helper()
	timeout := time.After(lsptest.Timeout)
	for {
		select {
		case m, open := <-s.msgs:
			if !open {
				s.t.Fatalf("the server stopped while waiting for %s", what)
			}
			if ok(m) {
				return m
			}
		case <-timeout:
			s.t.Fatalf("timed out waiting for %s", what)
		}
	}
}

func (s *rawSession) response(id string) lsptest.Response {
	s.t.Helper()
	return s.until("the response to "+id, func(m lsptest.Response) bool { return m.Method == "" && string(m.ID) == id })
}

func (s *rawSession) initialize() {
	s.t.Helper()
	s.send(lsptest.Message(1, "initialize", map[string]any{"processId": 1, "rootUri": lsptest.FileURI(s.raw.Dir), "capabilities": map[string]any{}}))
	s.response("1")
	s.send(lsptest.Message(nil, "initialized", map[string]any{}))
}

// exit sends exit after shutdown was answered and checks the exit code 0.
func (s *rawSession) exit() {
	s.t.Helper()
	s.send(lsptest.Message(nil, "exit", nil))
	if code := s.raw.WaitExit(s.t); code != 0 {
		s.t.Errorf("exit code %d, want 0", code)
	}
}

func TestCancelRequest(t *testing.T) {
	s := startRaw(t, baseFiles(), -1)
	s.read()
	s.initialize()
	slow := lsptest.FileURI(s.raw.Dir + "/slow.http")
	s.send(lsptest.Message(nil, "textDocument/didOpen", map[string]any{"textDocument": map[string]any{
		"uri": slow, "languageId": "http", "version": 1, "text": "# SLOWHOVER\nGET https://a.execute-api.us-east-1.amazonaws.com/prod/x\n",
	}}))
	for _, id := range []any{42, "h-1"} {
		s.send(lsptest.Message(id, "textDocument/hover", map[string]any{"textDocument": map[string]any{"uri": slow}, "position": pos(1, 0)}))
		<-s.f.started
		s.send(lsptest.Message(nil, "$/cancelRequest", map[string]any{"id": id}))
		want := mustJSON(t, id)
		m := s.response(want)
		if m.Error == nil || m.Error.Code != -32800 {
			t.Errorf("cancelled request %s answered %+v, want RequestCancelled", want, m)
		}
	}
	// A storm of cancellations of unknown ids, some of them absurd.
	var storm bytes.Buffer
	for i := 0; i < 10000; i++ {
		var id any = i
		switch i % 4 {
		case 1:
			id = fmt.Sprintf("id-%d", i)
		case 2:
			id = json.RawMessage("123456789012345678901234567890")
		case 3:
			id = map[string]any{"nested": i}
		}
		storm.Write(lsptest.Message(nil, "$/cancelRequest", map[string]any{"id": id}))
	}
	s.send(storm.Bytes())
	s.send(lsptest.Message(7, "shutdown", nil))
	if m := s.response("7"); m.Error != nil {
		t.Errorf("shutdown after the storm: %+v", m.Error)
	}
	s.exit()
}

// TestMalformedInput feeds broken frames and messages; after each one the
// server must still answer a request.
func TestMalformedInput(t *testing.T) {
	s := startRaw(t, baseFiles(), -1)
	s.read()
	s.initialize()
	tests := []struct {
		name  string
		input string
		// want is the error code of an answer the input gets (0: none), with id.
		want   int
		wantID string
		// probes: how many probes the input may swallow before one is answered.
		probes int
	}{
		{"invalid JSON", "Content-Length: 5\r\n\r\nnope!", -32700, "null", 1},
		{"truncated JSON", "Content-Length: 16\r\n\r\n{\"jsonrpc\":\"2.0\"", -32700, "null", 1},
		{"array", "Content-Length: 5\r\n\r\n[1,2]", -32600, "null", 1},
		{"empty object", "Content-Length: 2\r\n\r\n{}", -32600, "null", 1},
		{"huge id", `{"jsonrpc":"2.0","id":99999999999999999999,"method":"gw403/x"}`, -32600, "99999999999999999999", 1},
		{"fractional id", `{"jsonrpc":"2.0","id":1.5,"method":"gw403/x"}`, -32600, "1.5", 1},
		{"object id", `{"jsonrpc":"2.0","id":{"a":1},"method":"gw403/x"}`, -32600, "null", 1},
		{"wrong version", `{"jsonrpc":"1.0","id":11,"method":"gw403/x"}`, -32600, "11", 1},
		{"method not a string", `{"jsonrpc":"2.0","id":12,"method":5}`, -32600, "12", 1},
		{"params of the wrong shape", `{"jsonrpc":"2.0","id":13,"method":"textDocument/hover","params":5}`, -32602, "13", 1},
		{"invalid UTF-8", "{\"jsonrpc\":\"2.0\",\"method\":\"textDocument/didOpen\",\"params\":{\"textDocument\":{\"uri\":\"file:///tmp/bad.http\",\"version\":1,\"text\":\"GET \xff\xfe\xc3 https://x.execute-api.us-east-1.amazonaws.com/p\"}}}", 0, "", 1},
		{"header without colon", "garbage\r\n\r\n", -32700, "null", 1},
		{"negative length", "Content-Length: -1\r\n\r\n", -32700, "null", 1},
		{"length not a number", "Content-Length: abc\r\n\r\n", -32700, "null", 1},
		{"no length", "Content-Type: application/json\r\n\r\n", -32700, "null", 1},
		{"length too short", "Content-Length: 10\r\n\r\n{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"gw403/x\"}", -32700, "null", 1},
		{"length too long", "Content-Length: 70\r\n\r\n{}", -32700, "null", 2},
		{"length beyond the limit", "Content-Length: 999999999999\r\n\r\n{\"a\":1}", -32700, "null", 1},
		{"length overflows", "Content-Length: 99999999999999999999999\r\n\r\n{}", -32700, "null", 1},
		{"overlong header line", strings.Repeat("X", 100000) + "\r\n\r\n", -32700, "null", 1},
		{"blank lines between frames", "\r\n\r\n\n", 0, "", 1},
		{"lower-case header", "content-length: 2\r\n\r\n{}", -32600, "null", 1},
		{"response to nothing", `{"jsonrpc":"2.0","id":999,"result":{}}`, 0, "", 1},
		{"notification with unknown method", `{"jsonrpc":"2.0","method":"$/x"}`, 0, "", 1},
	}
	probe := 1000
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s.t = t
			in := tt.input
			if strings.HasPrefix(in, "{") {
				in = string(lsptest.Frame([]byte(in)))
			}
			s.send([]byte(in))
			var ids []string
			for i := 0; i < tt.probes; i++ {
				probe++
				ids = append(ids, fmt.Sprint(probe))
				s.send(lsptest.Message(probe, "gw403/probe", nil))
			}
			sawErr := tt.want == 0
			m := s.until("a probe answer", func(m lsptest.Response) bool {
				if m.Error != nil && int(m.Error.Code) == tt.want && string(m.ID) == tt.wantID {
					sawErr = true
				}
				for _, id := range ids {
					if string(m.ID) == id {
						return true
					}
				}
				return false
			})
			if m.Error == nil || m.Error.Code != -32601 {
				t.Errorf("probe answered %+v, want MethodNotFound", m)
			}
			if !sawErr {
				t.Errorf("no error %d with id %s before the probe's answer", tt.want, tt.wantID)
			}
		})
	}
	s.t = t
	s.send(lsptest.Message(2, "shutdown", nil))
	s.response("2")
	s.exit()
}

// TestRandomFrames sends random and mutated frames: the server neither
// dies nor leaks, and answers afterwards.
func TestRandomFrames(t *testing.T) {
	s := startRaw(t, baseFiles(), -1)
	s.read()
	s.initialize()
	valid := [][]byte{
		lsptest.Message(nil, "textDocument/didOpen", map[string]any{"textDocument": map[string]any{"uri": lsptest.FileURI(s.raw.Dir + "/r.http"), "languageId": "http", "version": 1, "text": apiHTTP}}),
		lsptest.Message(nil, "textDocument/didChange", map[string]any{"textDocument": map[string]any{"uri": lsptest.FileURI(s.raw.Dir + "/r.http"), "version": 2}, "contentChanges": []any{map[string]any{"range": rng(1, 3, 2, 9), "text": "日本🎉\r\n"}}}),
		lsptest.Message(3, "textDocument/hover", map[string]any{"textDocument": map[string]any{"uri": lsptest.FileURI(s.raw.Dir + "/r.http")}, "position": pos(1, 5)}),
		lsptest.Message(4, "textDocument/codeAction", map[string]any{"textDocument": map[string]any{"uri": lsptest.FileURI(s.raw.Dir + "/r.http")}, "range": rng(0, 0, 9, 0), "context": map[string]any{"diagnostics": []any{}, "only": []string{"source"}}}),
		lsptest.Message(5, "textDocument/completion", map[string]any{"textDocument": map[string]any{"uri": lsptest.FileURI(s.raw.Dir + "/r.http")}, "position": pos(99, 99)}),
		lsptest.Message(nil, "$/cancelRequest", map[string]any{"id": 3}),
	}
	rnd := rand.New(rand.NewSource(403))
	probe := 5000
	for round := 0; round < 20; round++ {
		var buf bytes.Buffer
		for i := 0; i < 25; i++ {
			m := append([]byte(nil), valid[rnd.Intn(len(valid))]...)
			switch rnd.Intn(6) {
			case 0: // truncate
				m = m[:rnd.Intn(len(m))]
			case 1: // flip bytes
				for j := 0; j < 1+rnd.Intn(4); j++ {
					m[rnd.Intn(len(m))] = byte(rnd.Intn(256))
				}
			case 2: // random bytes
				m = make([]byte, rnd.Intn(200))
				rnd.Read(m)
			case 3: // wrong length
				h := bytes.Index(m, []byte("\r\n\r\n"))
				m = append([]byte(fmt.Sprintf("Content-Length: %d", h+rnd.Intn(60)-30)), m[bytes.Index(m, []byte("\r\n\r\n")):]...)
			}
			buf.Write(m)
		}
		s.send(buf.Bytes())
		var ids []string
		for i := 0; i < 8; i++ {
			probe++
			ids = append(ids, fmt.Sprint(probe))
			s.send(lsptest.Message(probe, "gw403/probe", nil))
		}
		s.until(fmt.Sprintf("a probe answer in round %d", round), func(m lsptest.Response) bool {
			for _, id := range ids {
				if string(m.ID) == id {
					return true
				}
			}
			return false
		})
	}
	s.send(lsptest.Message(2, "shutdown", nil))
	s.response("2")
	s.exit()
}

func TestTruncatedFrameAtEOF(t *testing.T) {
	s := startRaw(t, nil, -1)
	s.read()
	s.initialize()
	s.send([]byte("Content-Length: 100\r\n\r\n{\"jsonrpc\":"))
	s.raw.Conn.Close()
	if code := s.raw.WaitExit(t); code != 1 {
		t.Errorf("exit code when the stream ends = %d, want 1", code)
	}
}

// TestClientThatNeverReads sends 10,000 edits while not reading: the
// server keeps reading, its memory and goroutines stay bounded, and once
// the client reads, the diagnostics are those of the last version.
func TestClientThatNeverReads(t *testing.T) {
	if testing.Short() {
		t.Skip("10,000 edits")
	}
	s := startRaw(t, baseFiles(), -1)
	// Read the answer to initialize only.
	s.send(lsptest.Message(1, "initialize", map[string]any{"processId": 1, "rootUri": lsptest.FileURI(s.raw.Dir), "capabilities": map[string]any{}}))
	r := lsptest.NewReader(s.raw.Conn)
	if _, err := r.Next(); err != nil {
		t.Fatal(err)
	}
	s.send(lsptest.Message(nil, "initialized", map[string]any{}))
	doc := lsptest.FileURI(s.raw.Dir + "/keys.http")
	var text strings.Builder
	for i := 0; i < 50; i++ {
		fmt.Fprintf(&text, "### 鍵 %d\nGET https://a.execute-api.us-east-1.amazonaws.com/prod/x\nx-api-key: literal-%d\n\n", i, i)
	}
	s.send(lsptest.Message(nil, "textDocument/didOpen", map[string]any{"textDocument": map[string]any{"uri": doc, "languageId": "http", "version": 1, "text": text.String()}}))

	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	goroutines := runtime.NumGoroutine()
	const edits = 10000
	for v := 2; v <= edits+1; v++ {
		s.send(lsptest.Message(nil, "textDocument/didChange", map[string]any{
			"textDocument":   map[string]any{"uri": doc, "version": v},
			"contentChanges": []any{map[string]any{"range": rng(0, 5, 0, 6+uint32(v%2)), "text": fmt.Sprint(v % 10)}},
		}))
	}
	// Edits of a document that is not open make warnings: the log queue
	// is bounded too.
	for i := 0; i < 1000; i++ {
		s.send(lsptest.Message(nil, "textDocument/didChange", map[string]any{
			"textDocument": map[string]any{"uri": lsptest.FileURI(s.raw.Dir + "/ghost.http"), "version": i}, "contentChanges": []any{},
		}))
	}
	runtime.GC()
	runtime.ReadMemStats(&after)
	growth := int64(after.HeapAlloc) - int64(before.HeapAlloc)
	t.Logf("heap growth over %d edits: %d KiB; goroutines %d → %d", edits, growth>>10, goroutines, runtime.NumGoroutine())
	if growth > 64<<20 {
		t.Errorf("heap grew by %d MiB over %d edits while the client did not read", growth>>20, edits)
	}
	if n := runtime.NumGoroutine(); n > goroutines+50 {
		t.Errorf("goroutines: %d before the edits, %d after", goroutines, n)
	}
	// Now read: the last publish for the document is version edits+1.
	go func() {
		for {
			m, err := r.Next()
			if err != nil {
				close(s.msgs)
				return
			}
			s.msgs <- m
		}
	}()
	last := int32(edits + 1)
	s.until("diagnostics of the last version", func(m lsptest.Response) bool {
		if m.Method != "textDocument/publishDiagnostics" {
			return false
		}
		var p lsptest.Publish
		if err := json.Unmarshal(m.Params, &p); err != nil || p.Version == nil {
			return false
		}
		return *p.Version == last && len(p.Diagnostics) == 50
	})
	s.send(lsptest.Message(2, "shutdown", nil))
	s.until("the answer to shutdown", func(m lsptest.Response) bool {
		if m.Method == "textDocument/publishDiagnostics" {
			var p lsptest.Publish
			_ = json.Unmarshal(m.Params, &p)
			if p.URI == doc && p.Version != nil && *p.Version != last {
				t.Errorf("version %d published after version %d", *p.Version, last)
			}
		}
		return string(m.ID) == "2"
	})
	s.exit()
}

func TestShutdownDuringCheck(t *testing.T) {
	c, f := start(t, baseFiles())
	c.Initialize(lsptest.InitOptions{})
	doc := c.Open("block.http", "# BLOCK\nGET https://a.execute-api.us-east-1.amazonaws.com/prod/x\n")
	<-f.started
	c.Shutdown()
	if code := c.Exit(); code != 0 {
		t.Errorf("exit code %d, want 0", code)
	}
	if p, ok := c.Latest(doc); ok {
		t.Errorf("published after shutdown: %+v", p)
	}
}

func TestAnalyzerPanic(t *testing.T) {
	c, _ := start(t, baseFiles())
	c.Initialize(lsptest.InitOptions{})
	c.Open("panic.http", "# PANIC\n")
	c.WaitLog("analyzer panic")
	doc := c.Open("api.http", apiHTTP)
	if p := c.WaitVersion(doc, 1); len(p.Diagnostics) != 2 {
		t.Errorf("after a panic: %+v", p.Diagnostics)
	}
}

// TestRequestsDuringEdits interleaves requests with edits: every request
// is answered exactly once (the harness would hang or fail otherwise).
func TestRequestsDuringEdits(t *testing.T) {
	c, _ := start(t, baseFiles())
	c.Initialize(lsptest.InitOptions{})
	doc := c.Open("api.http", apiHTTP)
	methods := []string{protocol.MethodTextDocumentHover, protocol.MethodTextDocumentCompletion, protocol.MethodTextDocumentCodeAction, protocol.MethodTextDocumentDocumentLink,
		protocol.MethodTextDocumentDefinition, protocol.MethodTextDocumentReferences, protocol.MethodTextDocumentCodeLens, "textDocument/inlayHint"}
	done := make(chan error, 50*len(methods))
	for i := 0; i < 50; i++ {
		c.Change(doc, lsptest.Edit(0, 4, 0, 6, []string{"大阪", "東京"}[i%2]))
		for _, m := range methods {
			go func(m string) {
				params := map[string]any{"textDocument": map[string]any{"uri": doc}, "position": pos(1, 10), "range": rng(1, 0, 1, 10), "context": map[string]any{"diagnostics": []any{}}}
				err := c.Call(m, params, nil)
				if code := lsptest.ErrorCode(err); code == -32801 {
					err = nil // the document changed meanwhile: a fair answer
				}
				done <- err
			}(m)
		}
	}
	for i := 0; i < 50*len(methods); i++ {
		if err := <-done; err != nil {
			t.Errorf("request: %v", err)
		}
	}
	c.WaitVersion(doc, c.Version(doc))
}
