// Package lsptest runs a gw403-lsp server in process, over net.Pipe, on a
// temporary workspace directory, and drives it the way an editor does. It is
// the one harness of the language server's tests, with a fake analyzer or
// with the real one (the default).
//
//	c := lsptest.Start(t, lsptest.Config{Files: map[string]string{
//		"template.yaml": "…",
//	}})
//	c.Initialize(lsptest.InitOptions{})
//	doc := c.Open("api.http", "GET https://…\n")
//	p := c.WaitVersion(doc, 1)
//	…
//	c.Shutdown()
//	if code := c.Exit(); code != 0 { … }
//
// Server-to-client traffic is recorded: publishDiagnostics, logMessage,
// registrations and configuration requests. Positions are UTF-16 unless
// the client offers UTF-8 (InitOptions.PositionEncodings).
package lsptest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"

	_ "github.com/gw403/gw403-lsp/analyzer/rules" // the rule catalog, as the binary has it
	"github.com/gw403/gw403-lsp/lsp"
)

// Timeout bounds every wait of the harness; a wait that runs out fails the
// test (it never measures anything).
var Timeout = 20 * time.Second

// Config sets up a server.
type Config struct {
	// From is a directory (a fixture workspace under testdata) copied to
	// the workspace directory before Files are written.
	From string
	// Files are written under the workspace directory before the server
	// starts, by slash-separated relative path.
	Files map[string]string
	// Options are the server's. Nil NewWorkspace means the real analyzer;
	// nil Log means the log is dropped unless GW403_LSP_TEST_LOG is set.
	Options lsp.Options
	// History is how many publishDiagnostics the client keeps in order
	// (0: 10000). Negative keeps only the latest per URI and does not
	// decode their diagnostics (Publish.Diagnostics stays nil): benchmarks
	// measure the server, not the client's JSON decoding.
	History int
}

// Publish is one textDocument/publishDiagnostics.
type Publish struct {
	Seq         int // 1 for the first publish the client received
	URI         protocol.DocumentURI
	Version     *int32
	Diagnostics []protocol.Diagnostic
}

// Client is the editor end of a server session.
type Client struct {
	t    testing.TB
	Dir  string // workspace root (absolute)
	Conn jsonrpc2.Conn

	exit     chan int
	exitCode *int
	wg       sync.WaitGroup // answers in flight

	mu            sync.Mutex // guards the fields below
	cond          *sync.Cond
	seq           int
	history       []Publish
	historyLimit  int
	latest        map[protocol.DocumentURI]Publish
	logs          []protocol.LogMessageParams
	registrations []protocol.Registration
	configItems   []protocol.ConfigurationItem
	refreshes     map[string]int // refresh requests received, by method
	configuration func(protocol.ConfigurationItem) any
	versions      map[protocol.DocumentURI]int32
}

// workspace writes the configured files into a new temporary directory
// (symlinks resolved, so paths compare equal to the server's) and returns
// it with the server options, logging to stderr when GW403_LSP_TEST_LOG is
// set.
func workspace(t testing.TB, cfg Config) (string, lsp.Options) {
	t.Helper()
	dir := t.TempDir()
	if real, err := filepath.EvalSymlinks(dir); err == nil {
		dir = real
	}
	if cfg.From != "" {
		CopyDir(t, dir, cfg.From)
	}
	WriteFiles(t, dir, cfg.Files)
	opts := cfg.Options
	if opts.Log == nil && os.Getenv("GW403_LSP_TEST_LOG") != "" {
		opts.Log = os.Stderr
	}
	return dir, opts
}

// Start starts a server on a new temporary workspace directory. The server
// and the client stop at the end of the test; the test fails if the server
// does not.
func Start(t testing.TB, cfg Config) *Client {
	t.Helper()
	dir, opts := workspace(t, cfg)
	srvEnd, cliEnd := net.Pipe()
	c := &Client{
		t: t, Dir: dir,
		exit:         make(chan int, 1),
		latest:       map[protocol.DocumentURI]Publish{},
		versions:     map[protocol.DocumentURI]int32{},
		historyLimit: cfg.History,
	}
	if c.historyLimit == 0 {
		c.historyLimit = 10000
	}
	c.cond = sync.NewCond(&c.mu)
	ctx, cancel := context.WithCancel(context.Background())
	go func() { c.exit <- lsp.Serve(ctx, srvEnd, opts) }()
	c.Conn = jsonrpc2.NewConn(jsonrpc2.NewStream(cliEnd))
	c.Conn.Go(ctx, c.handle)
	t.Cleanup(func() {
		cancel()
		_ = c.Conn.Close()
		if c.exitCode == nil {
			select {
			case code := <-c.exit:
				c.exitCode = &code
			case <-time.After(Timeout):
				t.Errorf("lsptest: the server did not stop")
			}
		}
		<-c.Conn.Done()
		c.wg.Wait()
		c.mu.Lock()
		c.cond.Broadcast()
		c.mu.Unlock()
	})
	return c
}

// WriteFiles writes files (relative slash paths) under dir.
func WriteFiles(t testing.TB, dir string, files map[string]string) {
	t.Helper()
	for name, text := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// CopyDir copies the files under src into dst.
func CopyDir(t testing.TB, dst, src string) {
	t.Helper()
	err := filepath.WalkDir(src, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, err := filepath.Rel(src, p)
		if err != nil {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		out := filepath.Join(dst, rel)
		if err := os.MkdirAll(filepath.Dir(out), 0o755); err != nil {
			return err
		}
		return os.WriteFile(out, data, 0o644)
	})
	if err != nil {
		t.Fatalf("copy %s: %v", src, err)
	}
}

// ReadFile returns the content of a workspace file (relative slash path).
func (c *Client) ReadFile(rel string) string {
	c.t.Helper()
	data, err := os.ReadFile(c.Path(rel))
	if err != nil {
		c.t.Fatal(err)
	}
	return string(data)
}

// handle answers the server's requests and records its notifications. It
// runs in the client's read loop, which must never block on a write (over
// net.Pipe both read loops would wait for each other): answers to requests
// are sent from goroutines, as an editor's event loop would.
func (c *Client) handle(ctx context.Context, reply jsonrpc2.Replier, req jsonrpc2.Request) error {
	if _, ok := req.(*jsonrpc2.Call); ok {
		c.wg.Add(1)
		go func() {
			defer c.wg.Done()
			_ = c.dispatch(ctx, reply, req)
		}()
		return nil
	}
	return c.dispatch(ctx, reply, req)
}

func (c *Client) dispatch(ctx context.Context, reply jsonrpc2.Replier, req jsonrpc2.Request) error {
	switch req.Method() {
	case protocol.MethodTextDocumentPublishDiagnostics:
		var p struct {
			URI         protocol.DocumentURI `json:"uri"`
			Version     *int32               `json:"version"`
			Diagnostics json.RawMessage      `json:"diagnostics"`
		}
		var diags []protocol.Diagnostic
		err := json.Unmarshal(req.Params(), &p)
		if err == nil && c.historyLimit >= 0 {
			err = json.Unmarshal(p.Diagnostics, &diags)
		}
		if err != nil {
			c.t.Errorf("lsptest: bad publishDiagnostics: %v", err)
			return reply(ctx, nil, nil)
		}
		if len(p.Diagnostics) == 0 || p.Diagnostics[0] != '[' {
			c.t.Errorf("lsptest: publishDiagnostics for %s without a diagnostics array", p.URI)
		}
		c.mu.Lock()
		c.seq++
		pub := Publish{Seq: c.seq, URI: p.URI, Version: p.Version, Diagnostics: diags}
		c.latest[p.URI] = pub
		if c.historyLimit > 0 {
			if len(c.history) >= c.historyLimit {
				c.history = append(c.history[:0], c.history[1:]...)
			}
			c.history = append(c.history, pub)
		}
		c.cond.Broadcast()
		c.mu.Unlock()
		return reply(ctx, nil, nil)
	case protocol.MethodWindowLogMessage, protocol.MethodWindowShowMessage:
		var p protocol.LogMessageParams
		_ = json.Unmarshal(req.Params(), &p)
		c.mu.Lock()
		c.logs = append(c.logs, p)
		c.cond.Broadcast()
		c.mu.Unlock()
		return reply(ctx, nil, nil)
	case "workspace/codeLens/refresh", "workspace/inlayHint/refresh":
		c.mu.Lock()
		if c.refreshes == nil {
			c.refreshes = map[string]int{}
		}
		c.refreshes[req.Method()]++
		c.cond.Broadcast()
		c.mu.Unlock()
		return reply(ctx, nil, nil)
	case protocol.MethodClientRegisterCapability:
		var p protocol.RegistrationParams
		_ = json.Unmarshal(req.Params(), &p)
		c.mu.Lock()
		c.registrations = append(c.registrations, p.Registrations...)
		c.cond.Broadcast()
		c.mu.Unlock()
		return reply(ctx, nil, nil)
	case protocol.MethodWorkspaceConfiguration:
		var p protocol.ConfigurationParams
		_ = json.Unmarshal(req.Params(), &p)
		c.mu.Lock()
		c.configItems = append(c.configItems, p.Items...)
		f := c.configuration
		c.mu.Unlock()
		res := make([]any, len(p.Items))
		for i, it := range p.Items {
			if f != nil {
				res[i] = f(it)
			}
		}
		c.mu.Lock()
		c.cond.Broadcast()
		c.mu.Unlock()
		return reply(ctx, res, nil)
	}
	return jsonrpc2.MethodNotFoundHandler(ctx, reply, req)
}

// WaitRefresh waits until the server has sent method (workspace/codeLens/refresh
// or workspace/inlayHint/refresh) more than n times, and returns the count.
func (c *Client) WaitRefresh(method string, n int) int {
	c.t.Helper()
	var got int
	c.wait(method, func() bool {
		got = c.refreshes[method]
		return got > n
	})
	return got
}

// Refreshes returns how often the server sent method.
func (c *Client) Refreshes(method string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.refreshes[method]
}

// SetConfiguration sets how the client answers workspace/configuration:
// f returns the value of one item (nil answers null).
func (c *Client) SetConfiguration(f func(protocol.ConfigurationItem) any) {
	c.mu.Lock()
	c.configuration = f
	c.mu.Unlock()
}

// Path returns the absolute path of a relative slash path.
func (c *Client) Path(rel string) string { return filepath.Join(c.Dir, filepath.FromSlash(rel)) }

// URI returns the file URI of a relative slash path.
func (c *Client) URI(rel string) protocol.DocumentURI { return uri.File(c.Path(rel)) }

// InitOptions shape the initialize request.
type InitOptions struct {
	// Capabilities replaces DefaultCapabilities when not nil.
	Capabilities map[string]any
	// PositionEncodings goes to capabilities.general.positionEncodings.
	PositionEncodings []string
	Locale            string
	// InitializationOptions is sent as is when not nil.
	InitializationOptions any
	// Folders are workspace folders (relative to Dir, "." for Dir). Nil
	// sends rootUri = Dir and no folders, unless NoRoot.
	Folders []string
	// NoRoot sends neither a root nor folders (single-file mode).
	NoRoot bool
	// NoInitialized skips the initialized notification.
	NoInitialized bool
}

// DefaultCapabilities are those of a capable editor: versioned workspace
// edits, workspace/configuration, dynamic file watchers, snippets,
// markdown hovers, workspace folders.
func DefaultCapabilities() map[string]any {
	return map[string]any{
		"workspace": map[string]any{
			"configuration":         true,
			"workspaceFolders":      true,
			"workspaceEdit":         map[string]any{"documentChanges": true},
			"didChangeWatchedFiles": map[string]any{"dynamicRegistration": true},
		},
		"textDocument": map[string]any{
			"completion": map[string]any{"completionItem": map[string]any{"snippetSupport": true}},
			"hover":      map[string]any{"contentFormat": []string{"markdown", "plaintext"}},
		},
	}
}

// InitializeResult is the server's answer to initialize.
type InitializeResult struct {
	Capabilities struct {
		PositionEncoding string `json:"positionEncoding"`
		protocol.ServerCapabilities
	} `json:"capabilities"`
	ServerInfo *protocol.ServerInfo `json:"serverInfo"`
	// Raw is the result as sent.
	Raw json.RawMessage `json:"-"`
}

// Initialize sends initialize (and initialized) and returns the result.
func (c *Client) Initialize(o InitOptions) InitializeResult {
	c.t.Helper()
	caps := o.Capabilities
	if caps == nil {
		caps = DefaultCapabilities()
	}
	if o.PositionEncodings != nil {
		caps["general"] = map[string]any{"positionEncodings": o.PositionEncodings}
	}
	params := map[string]any{
		"processId":    os.Getpid(),
		"capabilities": caps,
		"clientInfo":   map[string]any{"name": "lsptest"},
	}
	if o.Locale != "" {
		params["locale"] = o.Locale
	}
	if o.InitializationOptions != nil {
		params["initializationOptions"] = o.InitializationOptions
	}
	switch {
	case o.NoRoot:
		params["rootUri"] = nil
	case o.Folders == nil:
		params["rootUri"] = uri.File(c.Dir)
	default:
		var folders []map[string]any
		for _, f := range o.Folders {
			folders = append(folders, map[string]any{"uri": c.URI(f), "name": filepath.Base(c.Path(f))})
		}
		params["workspaceFolders"] = folders
	}
	var raw json.RawMessage
	if err := c.Call(protocol.MethodInitialize, params, &raw); err != nil {
		c.t.Fatalf("initialize: %v", err)
	}
	var res InitializeResult
	if err := json.Unmarshal(raw, &res); err != nil {
		c.t.Fatalf("initialize result %s: %v", raw, err)
	}
	res.Raw = raw
	if !o.NoInitialized {
		c.Notify(protocol.MethodInitialized, map[string]any{})
	}
	return res
}

// Call sends a request and decodes its result into result (may be nil).
func (c *Client) Call(method string, params, result any) error {
	ctx, cancel := context.WithTimeout(context.Background(), Timeout)
	defer cancel()
	_, err := c.Conn.Call(ctx, method, params, result)
	return err
}

// Notify sends a notification; failing to send fails the test.
func (c *Client) Notify(method string, params any) {
	c.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), Timeout)
	defer cancel()
	if err := c.Conn.Notify(ctx, method, params); err != nil {
		c.t.Fatalf("%s: %v", method, err)
	}
}

// languageID guesses the languageId an editor sends for a file name.
func languageID(name string) string {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".http", ".rest":
		return "http"
	case ".yaml", ".yml":
		return "yaml"
	case ".json":
		return "json"
	}
	return "plaintext"
}

// Open opens a document (version 1) with text and returns its URI.
func (c *Client) Open(rel, text string) protocol.DocumentURI {
	c.t.Helper()
	u := c.URI(rel)
	c.OpenURI(u, languageID(rel), 1, text)
	return u
}

// OpenURI opens a document by URI at a version.
func (c *Client) OpenURI(u protocol.DocumentURI, lang string, version int32, text string) {
	c.t.Helper()
	c.mu.Lock()
	c.versions[u] = version
	c.mu.Unlock()
	c.Notify(protocol.MethodTextDocumentDidOpen, map[string]any{
		"textDocument": map[string]any{"uri": u, "languageId": lang, "version": version, "text": text},
	})
}

// Change is one content change of didChange: a replacement of Range (in
// the negotiated encoding), or of the whole text when Range is nil.
type Change struct {
	Range *protocol.Range `json:"range,omitempty"`
	Text  string          `json:"text"`
}

// Full is a change that replaces the whole text.
func Full(text string) Change { return Change{Text: text} }

// Edit is a change of a range given as 0-based lines and characters.
func Edit(startLine, startChar, endLine, endChar uint32, text string) Change {
	return Change{Range: &protocol.Range{
		Start: protocol.Position{Line: startLine, Character: startChar},
		End:   protocol.Position{Line: endLine, Character: endChar},
	}, Text: text}
}

// Change sends didChange with the next version and returns that version.
func (c *Client) Change(u protocol.DocumentURI, changes ...Change) int32 {
	c.t.Helper()
	c.mu.Lock()
	c.versions[u]++
	v := c.versions[u]
	c.mu.Unlock()
	c.ChangeVersion(u, v, changes...)
	return v
}

// ChangeVersion sends didChange with an explicit version.
func (c *Client) ChangeVersion(u protocol.DocumentURI, version int32, changes ...Change) {
	c.t.Helper()
	if changes == nil {
		changes = []Change{}
	}
	c.mu.Lock()
	if version > c.versions[u] {
		c.versions[u] = version
	}
	c.mu.Unlock()
	c.Notify(protocol.MethodTextDocumentDidChange, map[string]any{
		"textDocument":   map[string]any{"uri": u, "version": version},
		"contentChanges": changes,
	})
}

// Version returns the latest version the client sent for u.
func (c *Client) Version(u protocol.DocumentURI) int32 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.versions[u]
}

// Close sends didClose.
func (c *Client) Close(u protocol.DocumentURI) {
	c.t.Helper()
	c.Notify(protocol.MethodTextDocumentDidClose, map[string]any{"textDocument": map[string]any{"uri": u}})
}

// Mark returns a point in the publish sequence: WaitPublish(after: mark)
// only looks at what the server sent later.
func (c *Client) Mark() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.seq
}

// wait blocks until cond (called with c.mu held) holds, failing the test
// after Timeout.
func (c *Client) wait(what string, cond func() bool) {
	c.t.Helper()
	deadline := time.Now().Add(Timeout)
	timer := time.AfterFunc(Timeout, func() {
		c.mu.Lock()
		c.cond.Broadcast()
		c.mu.Unlock()
	})
	defer timer.Stop()
	c.mu.Lock()
	defer c.mu.Unlock()
	for !cond() {
		if time.Now().After(deadline) {
			c.t.Fatalf("lsptest: timed out waiting for %s", what)
		}
		c.cond.Wait()
	}
}

// WaitPublish waits for a publish for u after mark that satisfies ok (nil:
// any) and returns the first such one.
func (c *Client) WaitPublish(u protocol.DocumentURI, mark int, ok func(Publish) bool) Publish {
	c.t.Helper()
	var got Publish
	c.wait(fmt.Sprintf("publishDiagnostics for %s", u), func() bool {
		if c.historyLimit < 0 {
			p, found := c.latest[u]
			if found && p.Seq > mark && (ok == nil || ok(p)) {
				got = p
				return true
			}
			return false
		}
		for _, p := range c.history {
			if p.Seq > mark && p.URI == u && (ok == nil || ok(p)) {
				got = p
				return true
			}
		}
		return false
	})
	return got
}

// WaitVersion waits for diagnostics of u at version v.
func (c *Client) WaitVersion(u protocol.DocumentURI, v int32) Publish {
	c.t.Helper()
	return c.WaitPublish(u, 0, func(p Publish) bool { return p.Version != nil && *p.Version == v })
}

// Latest returns the latest publish for u (ok false when none).
func (c *Client) Latest(u protocol.DocumentURI) (Publish, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	p, ok := c.latest[u]
	return p, ok
}

// History returns the publishes kept so far, oldest first.
func (c *Client) History() []Publish {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]Publish(nil), c.history...)
}

// Logs returns the window/logMessage and showMessage received so far.
func (c *Client) Logs() []protocol.LogMessageParams {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]protocol.LogMessageParams(nil), c.logs...)
}

// WaitLog waits for a log message containing substr.
func (c *Client) WaitLog(substr string) protocol.LogMessageParams {
	c.t.Helper()
	var got protocol.LogMessageParams
	c.wait(fmt.Sprintf("a log message containing %q", substr), func() bool {
		for _, l := range c.logs {
			if strings.Contains(l.Message, substr) {
				got = l
				return true
			}
		}
		return false
	})
	return got
}

// Registrations returns the capabilities the server registered.
func (c *Client) Registrations() []protocol.Registration {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]protocol.Registration(nil), c.registrations...)
}

// WaitRegistration waits for the registration of method.
func (c *Client) WaitRegistration(method string) protocol.Registration {
	c.t.Helper()
	var got protocol.Registration
	c.wait("registration of "+method, func() bool {
		for _, r := range c.registrations {
			if r.Method == method {
				got = r
				return true
			}
		}
		return false
	})
	return got
}

// ConfigItems returns the workspace/configuration items asked for so far.
func (c *Client) ConfigItems() []protocol.ConfigurationItem {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]protocol.ConfigurationItem(nil), c.configItems...)
}

// Shutdown sends shutdown; an error fails the test.
func (c *Client) Shutdown() {
	c.t.Helper()
	if err := c.Call(protocol.MethodShutdown, nil, nil); err != nil {
		c.t.Fatalf("shutdown: %v", err)
	}
}

// Exit sends exit and returns the server's exit code.
func (c *Client) Exit() int {
	c.t.Helper()
	c.Notify(protocol.MethodExit, nil)
	return c.WaitExit()
}

// WaitExit waits for the server to stop and returns its exit code.
func (c *Client) WaitExit() int {
	c.t.Helper()
	if c.exitCode != nil {
		return *c.exitCode
	}
	select {
	case code := <-c.exit:
		c.exitCode = &code
		return code
	case <-time.After(Timeout):
		c.t.Fatalf("lsptest: the server did not exit")
	}
	return -1
}

// ErrorCode returns the JSON-RPC code of an error from Call, or 0.
func ErrorCode(err error) jsonrpc2.Code {
	var e *jsonrpc2.Error
	if errors.As(err, &e) {
		return e.Code
	}
	return 0
}

// Raw is a server session without a JSON-RPC client: the test writes and
// reads frames itself (malformed input, a client that never reads).
type Raw struct {
	Dir  string
	Conn net.Conn // the client end
	exit chan int
}

// StartRaw starts a server on a new temporary workspace and returns the
// client end of the pipe. The session ends with the test.
func StartRaw(t testing.TB, cfg Config) *Raw {
	t.Helper()
	dir, opts := workspace(t, cfg)
	srvEnd, cliEnd := net.Pipe()
	r := &Raw{Dir: dir, Conn: cliEnd, exit: make(chan int, 1)}
	ctx, cancel := context.WithCancel(context.Background())
	go func() { r.exit <- lsp.Serve(ctx, srvEnd, opts) }()
	t.Cleanup(func() {
		cancel()
		_ = cliEnd.Close()
		select {
		case <-r.exit:
		case <-time.After(Timeout):
			t.Errorf("lsptest: the server did not stop")
		}
	})
	return r
}

// WaitExit waits for the server to stop and returns its exit code.
func (r *Raw) WaitExit(t testing.TB) int {
	t.Helper()
	select {
	case code := <-r.exit:
		r.exit <- code // for the cleanup
		return code
	case <-time.After(Timeout):
		t.Fatalf("lsptest: the server did not exit")
	}
	return -1
}

// Frame returns body framed with a Content-Length header.
func Frame(body []byte) []byte {
	return append([]byte(fmt.Sprintf("Content-Length: %d\r\n\r\n", len(body))), body...)
}

// Message returns the framed JSON of a JSON-RPC message: a request when id
// is not nil, else a notification.
func Message(id any, method string, params any) []byte {
	m := map[string]any{"jsonrpc": "2.0", "method": method}
	if id != nil {
		m["id"] = id
	}
	if params != nil {
		m["params"] = params
	}
	body, err := json.Marshal(m)
	if err != nil {
		panic(err)
	}
	return Frame(body)
}

// Response is a JSON-RPC message read from the server.
type Response struct {
	ID     json.RawMessage `json:"id"`
	Method string          `json:"method"`
	Params json.RawMessage `json:"params"`
	Result json.RawMessage `json:"result"`
	Error  *jsonrpc2.Error `json:"error"`
}

// Reader reads the server's frames.
type Reader struct{ r io.Reader }

// NewReader returns a Reader of the server's output.
func NewReader(r io.Reader) *Reader { return &Reader{r: r} }

// Next reads one message.
func (r *Reader) Next() (Response, error) {
	var length int
	var line []byte
	buf := make([]byte, 1)
	for {
		if _, err := io.ReadFull(r.r, buf); err != nil {
			return Response{}, err
		}
		if buf[0] != '\n' {
			line = append(line, buf[0])
			continue
		}
		l := strings.TrimSpace(string(line))
		line = line[:0]
		if l == "" {
			break
		}
		if v, ok := strings.CutPrefix(l, "Content-Length:"); ok {
			if _, err := fmt.Sscan(strings.TrimSpace(v), &length); err != nil {
				return Response{}, fmt.Errorf("bad Content-Length %q", l)
			}
		}
	}
	body := make([]byte, length)
	if _, err := io.ReadFull(r.r, body); err != nil {
		return Response{}, err
	}
	var m Response
	if err := json.Unmarshal(body, &m); err != nil {
		return Response{}, fmt.Errorf("bad message %q: %w", body, err)
	}
	return m, nil
}

// FileURI returns the file URI of an absolute path.
func FileURI(path string) protocol.DocumentURI { return uri.File(path) }
