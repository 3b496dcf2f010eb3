// Package lsp is the gw403-lsp language server: LSP 3.17 over JSON-RPC,
// as thin glue over analyzer workspaces. It converts positions (through
// schemas/source only), keeps editor buffers, schedules checks and speaks the
// protocol; everything about API Gateway lives in package analyzer.
//
// Features: incremental document sync, publishDiagnostics (debounced,
// versioned; also for unopened request files whose template, env file or
// config changed), quick fixes and source.fixAll.gw403, hover, completion,
// definition (request → route), references (route, API, stage, domain →
// requests), code lenses on routes, inlay hints on request lines,
// document links, watched files, workspace folders, configuration, and
// positionEncoding negotiation (UTF-16 by default, UTF-8 when the client
// offers it).
//
// # Configuration
//
// The "gw403" section, read from initializationOptions (flat, or under a
// "gw403" key), from workspace/configuration (globally and per workspace
// folder) and from workspace/didChangeConfiguration:
//
//	{
//	  "environment": "dev",            // environment of request files ("" = all)
//	  "configPath": "ops/.gw403.yaml", // relative to the workspace folder
//	  "severity": {"GW181": "off"},   // error | warning | info | off
//	  "trace": "off"                   // "verbose" logs each check and request (window/logMessage)
//	}
//
// # Commands
//
// workspace/executeCommand accepts these commands, advertised in
// executeCommandProvider, for editor extensions (status bar items):
//
//	gw403.listEnvironments [uri?]
//	    → {"environments": ["dev", "prod"], "current": "dev", "root": "/src/svc",
//	       "urls": {"dev": "https://a1b2c3d4e5.execute-api.…amazonaws.com/prod"}}
//	    The environments the env files define for the request file uri (or
//	    for every open request file when uri is omitted), sorted, the
//	    environment in use ("" = every environment, or the default of
//	    .gw403.yaml) and, with a uri, the workspace root the server chose
//	    for it and each environment's base URL (where the file's first
//	    resolvable request goes, up to the stage).
//	gw403.linkCounts uri
//	    → {"linked": 3, "unlinked": 1}
//	    How many requests of the request file link to an API of the
//	    workspace, and how many do not.
//	gw403.setEnvironment [name]
//	    → null
//	    Checks request files with environment name from now on; "" or null
//	    goes back to the configured environment. Every open file is checked
//	    again.
//
// Quick fixes ride in Diagnostic.Data as {"code", "index", "check"}: the
// rule code, the diagnostic's index in the result of check number "check".
// A code action request is answered from the diagnostics of the document's
// current version only; data from an older check gets no edits.
package lsp

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log"
	"runtime"
	"runtime/debug"
	"strconv"
	"sync"
	"time"

	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"

	"github.com/gw403/gw403-lsp/analyzer"
	"github.com/gw403/gw403-lsp/analyzer/link"
	"github.com/gw403/gw403-lsp/analyzer/workspace"
	"github.com/gw403/gw403-lsp/schemas/source"
)

// Commands of workspace/executeCommand.
const (
	CommandListEnvironments = "gw403.listEnvironments"
	CommandSetEnvironment   = "gw403.setEnvironment"
	CommandLinkCounts       = "gw403.linkCounts"
)

// FixAllKind is the code action kind that applies every safe fix of a file.
const FixAllKind protocol.CodeActionKind = "source.fixAll.gw403"

// DefaultDebounce is how long the server waits after the last edit of a
// document before checking it.
const DefaultDebounce = 150 * time.Millisecond

// LSP error codes that jsonrpc2 v0.10.0 does not define.
const (
	codeRequestCancelled jsonrpc2.Code = -32800
	codeContentModified  jsonrpc2.Code = -32801
)

// errContentModified answers a request whose document changed while the
// answer was computed.
var errContentModified = jsonrpc2.NewError(codeContentModified, "the document changed")

// Workspace is what the server uses of an analyzer workspace
// (*analyzer.Workspace in production; a fake in tests). Paths are absolute
// and cleaned; spans are byte offsets into the file as the workspace sees it
// (the overlay when one is set).
type Workspace interface {
	Check(ctx context.Context, path string) ([]analyzer.Diagnostic, error)
	Hover(ctx context.Context, path string, off int) (*workspace.Hover, error)
	Complete(ctx context.Context, path string, off int) ([]workspace.Completion, error)
	Links(ctx context.Context, path string) ([]workspace.DocLink, error)
	Affected(path string) []string
	Kind(path string) link.FileKind
	Environments(path string) []string
	SetOverlay(path, text string)
	CloseOverlay(path string)
	FileChanged(path string)
	SetOptions(opts workspace.Options)
	// Navigation (analyzer/navigate.go).
	RequestLinks(ctx context.Context, path string) ([]workspace.RequestLink, error)
	Definition(ctx context.Context, path string, off int) ([]workspace.Location, error)
	References(ctx context.Context, path string, off int, includeDecl bool) ([]workspace.Location, error)
	RouteUsages(ctx context.Context, path string) ([]workspace.RouteUsage, error)
	EnvironmentURLs(ctx context.Context, path string) (map[string]string, error)
	LinkCounts(ctx context.Context, path string) (linked, unlinked int, err error)
	// Dependents returns the request files of the project whose findings
	// depend on path (a template, OpenAPI document, env file or config).
	Dependents(ctx context.Context, path string) []string
}

var _ Workspace = (*workspace.Workspace)(nil)

// Options configure Serve. The zero value serves the real analyzer.
type Options struct {
	// NewWorkspace makes the workspace of a root directory (a workspace
	// folder, or the directory of a file outside every folder). Nil means
	// analyzer.New.
	NewWorkspace func(root string, opts workspace.Options) Workspace
	// Debounce is the delay between the last edit and the check: 0 means
	// DefaultDebounce, a negative value checks at once.
	Debounce time.Duration
	// Log receives the server's own log lines (never file contents or
	// secrets). Nil discards them. Never the transport's stdout.
	Log io.Writer
	// Version is reported in serverInfo.
	Version string
	// Locale is the language of messages when the client sends no locale
	// in initialize ("ja…" for Japanese, else English).
	Locale string
}

type lifecycle int

const (
	stateNew      lifecycle = iota // before initialize
	stateRunning                   // after initialize
	stateShutdown                  // after shutdown
)

// server is one language server session.
type server struct {
	opts     Options
	debounce time.Duration
	conn     jsonrpc2.Conn
	stream   *stream
	logger   *log.Logger

	ctx    context.Context // the session; cancelled when Serve returns
	cancel context.CancelFunc
	wg     sync.WaitGroup // goroutines the server started

	reqSem    chan struct{} // bounds requests in flight
	workers   chan struct{} // bounds checks in flight
	exitCode  chan int
	ready     chan struct{} // closed once the initial configuration is known
	readyOnce sync.Once

	pub *publisher

	mu         sync.Mutex // guards the fields below and the fields of every document
	state      lifecycle
	stopping   bool // set when Serve returns: no goroutine may start
	enc        source.Encoding
	locale     string
	caps       clientCaps
	trace      string
	docs       map[string]*document // open documents by path
	folders    []*folder            // the client's workspace folders, innermost first
	workspaces map[string]*folder   // analyzer workspaces, by workspaceKey
	roots      map[string]string    // workspace root of the files of a directory
	background map[string]*document // unopened request files with published findings, by path
	depTimers  map[string]*time.Timer
	cfg        configState
	running    map[jsonrpc2.ID]context.CancelFunc // requests in flight
	refresh    *time.Timer                        // pending code lens / inlay hint refresh
}

// Serve runs a language server session on rwc (stdin/stdout, or one end
// of a pipe in tests) until the client sends exit or the stream ends. It
// returns the process exit code: 0 when shutdown came before exit (or
// before the end of the stream or a failed write), 1 otherwise; a write
// to the client that fails (its end of the stream is closed) ends the
// session at once.
// Every goroutine it started has ended when it returns, except, on a
// transport whose Read cannot be interrupted by Close (a terminal's stdin),
// the one blocked in that Read.
func Serve(ctx context.Context, rwc io.ReadWriteCloser, opts Options) int {
	s := newServer(opts)
	s.ctx, s.cancel = context.WithCancel(ctx)
	s.stream = newStream(rwc, s.logf)
	s.conn = jsonrpc2.NewConn(s.stream)
	s.spawn(func() { s.pub.run(s.ctx) })
	s.conn.Go(s.ctx, s.handle)

	code := 1
	select {
	case code = <-s.exitCode:
	case <-s.conn.Done():
		// The client went away; after shutdown that is as good as exit.
		s.mu.Lock()
		if s.state == stateShutdown {
			code = 0
		}
		s.mu.Unlock()
	case <-s.stream.broken:
		// The client closed its end of the output: nothing more can be
		// said. After shutdown that is as good as exit.
		s.logf("stopping: cannot write to the client: %v", s.stream.writeErr)
		s.mu.Lock()
		if s.state == stateShutdown {
			code = 0
		}
		s.mu.Unlock()
	case <-ctx.Done():
	}
	s.stop()
	return code
}

func newServer(opts Options) *server {
	if opts.NewWorkspace == nil {
		opts.NewWorkspace = func(root string, o workspace.Options) Workspace { return workspace.New(root, o) }
	}
	w := opts.Log
	if w == nil {
		w = io.Discard
	}
	debounce := opts.Debounce
	switch {
	case debounce == 0:
		debounce = DefaultDebounce
	case debounce < 0:
		debounce = 0
	}
	n := runtime.GOMAXPROCS(0)
	if n < 2 {
		n = 2
	}
	s := &server{
		opts:       opts,
		debounce:   debounce,
		logger:     log.New(w, "gw403-lsp: ", log.LstdFlags|log.Lmsgprefix),
		reqSem:     make(chan struct{}, 8),
		workers:    make(chan struct{}, n),
		exitCode:   make(chan int, 1),
		ready:      make(chan struct{}),
		docs:       map[string]*document{},
		workspaces: map[string]*folder{},
		roots:      map[string]string{},
		background: map[string]*document{},
		depTimers:  map[string]*time.Timer{},
		running:    map[jsonrpc2.ID]context.CancelFunc{},
		trace:      "off",
	}
	s.pub = newPublisher(s)
	return s
}

// stop ends the session: no check or request survives it.
func (s *server) stop() {
	s.mu.Lock()
	s.stopping = true
	s.cancelChecksLocked()
	for _, cancel := range s.running {
		cancel()
	}
	s.mu.Unlock()
	s.cancel()
	_ = s.conn.Close()
	done := make(chan struct{})
	go func() { s.wg.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		s.logf("stopping: some work did not end in time")
	}
}

// spawn runs f in a goroutine the session waits for, unless the session is
// ending. It reports whether f was started.
func (s *server) spawn(f func()) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.spawnLocked(f)
}

func (s *server) spawnLocked(f func()) bool {
	if s.stopping {
		return false
	}
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		f()
	}()
	return true
}

func (s *server) markReady() { s.readyOnce.Do(func() { close(s.ready) }) }

// logf writes a line to the server log (stderr in production).
func (s *server) logf(format string, args ...any) { s.logger.Printf(format, args...) }

// warnf logs and tells the client (window/logMessage). It takes no lock
// but the client log queue's, so callers may hold s.mu.
func (s *server) warnf(format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	s.logger.Print(msg)
	s.pub.log(protocol.MessageTypeWarning, msg)
}

// tracef tells the client when tracing is verbose. Callers must not hold
// s.mu.
func (s *server) tracef(format string, args ...any) {
	s.mu.Lock()
	verbose := s.trace == "verbose"
	s.mu.Unlock()
	if verbose {
		s.pub.log(protocol.MessageTypeLog, fmt.Sprintf(format, args...))
	}
}

// replier makes sure a message is answered exactly once.
type replier struct {
	fn       jsonrpc2.Replier
	mu       sync.Mutex // guards done, detached
	done     bool
	detached bool // another goroutine owns the answer
}

func (r *replier) send(ctx context.Context, result any, err error) {
	r.mu.Lock()
	if r.done {
		r.mu.Unlock()
		return
	}
	r.done = true
	r.mu.Unlock()
	_ = r.fn(ctx, result, err) // a failed write means the client is gone
}

func (r *replier) detach() {
	r.mu.Lock()
	r.detached = true
	r.mu.Unlock()
}

func (r *replier) pending() bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return !r.done && !r.detached
}

// A notificationHandler handles a notification in message order.
type notificationHandler func(s *server, params json.RawMessage) error

// A requestHandler decodes a request and takes what it needs from the
// session at once, in message order; the function it returns computes the
// result in a goroutine of its own.
type requestHandler func(s *server, params json.RawMessage) (func(ctx context.Context) (any, error), error)

var notifications = map[string]notificationHandler{
	protocol.MethodInitialized:                        (*server).initialized,
	protocol.MethodSetTrace:                           (*server).setTrace,
	protocol.MethodTextDocumentDidOpen:                (*server).didOpen,
	protocol.MethodTextDocumentDidChange:              (*server).didChange,
	protocol.MethodTextDocumentDidSave:                (*server).didSave,
	protocol.MethodTextDocumentDidClose:               (*server).didClose,
	protocol.MethodWorkspaceDidChangeWatchedFiles:     (*server).didChangeWatchedFiles,
	protocol.MethodWorkspaceDidChangeConfiguration:    (*server).didChangeConfiguration,
	protocol.MethodWorkspaceDidChangeWorkspaceFolders: (*server).didChangeWorkspaceFolders,
}

var requests = map[string]requestHandler{
	protocol.MethodTextDocumentCodeAction:   (*server).codeAction,
	protocol.MethodTextDocumentHover:        (*server).hover,
	protocol.MethodTextDocumentCompletion:   (*server).completion,
	protocol.MethodTextDocumentDocumentLink: (*server).documentLink,
	protocol.MethodWorkspaceExecuteCommand:  (*server).executeCommand,
	protocol.MethodTextDocumentDefinition:   (*server).definition,
	protocol.MethodTextDocumentReferences:   (*server).references,
	protocol.MethodTextDocumentCodeLens:     (*server).codeLens,
	methodInlayHint:                         (*server).inlayHint,
}

// handle is the connection's only handler. It runs in the connection's read
// loop, so it never blocks on slow work: notifications update state and
// schedule checks; requests take a snapshot and compute in a goroutine.
func (s *server) handle(ctx context.Context, reply jsonrpc2.Replier, req jsonrpc2.Request) error {
	r := &replier{fn: reply}
	defer func() {
		if p := recover(); p != nil {
			s.logf("panic handling %s: %v\n%s", req.Method(), p, debug.Stack())
			r.send(ctx, nil, jsonrpc2.Errorf(jsonrpc2.InternalError, "internal error handling %s", req.Method()))
		}
		if r.pending() {
			r.send(ctx, nil, nil)
		}
	}()
	s.dispatch(ctx, r, req)
	return nil
}

func (s *server) dispatch(ctx context.Context, r *replier, req jsonrpc2.Request) {
	method := req.Method()
	call, isCall := req.(*jsonrpc2.Call)

	switch method {
	case protocol.MethodExit:
		s.mu.Lock()
		code := 1
		if s.state == stateShutdown {
			code = 0
		}
		s.mu.Unlock()
		r.send(ctx, nil, nil)
		select {
		case s.exitCode <- code:
		default:
		}
		return
	case protocol.MethodCancelRequest:
		s.cancelRequest(req.Params())
		r.send(ctx, nil, nil)
		return
	}

	s.mu.Lock()
	state := s.state
	s.mu.Unlock()

	switch {
	case method == protocol.MethodInitialize:
		if !isCall {
			return
		}
		res, err := s.initialize(req.Params())
		r.send(ctx, res, err)
		return
	case state == stateNew:
		if isCall {
			r.send(ctx, nil, jsonrpc2.Errorf(jsonrpc2.ServerNotInitialized, "%s before initialize", method))
		}
		return
	case state == stateShutdown:
		if isCall {
			r.send(ctx, nil, jsonrpc2.Errorf(jsonrpc2.InvalidRequest, "%s after shutdown", method))
		}
		return
	case method == protocol.MethodShutdown:
		s.shutdown()
		r.send(ctx, nil, nil)
		return
	}

	if h, ok := notifications[method]; ok {
		if err := h(s, req.Params()); err != nil {
			s.warnf("%s: %v", method, err)
			if isCall {
				r.send(ctx, nil, err)
			}
		}
		return
	}
	h, ok := requests[method]
	if !ok {
		if isCall {
			r.send(ctx, nil, jsonrpc2.Errorf(jsonrpc2.MethodNotFound, "method not found: %s", method))
		}
		return // unknown notifications ($/progress …) are ignored
	}
	if !isCall {
		return // a request sent as a notification: nobody wants the answer
	}
	run, err := h(s, req.Params())
	if err != nil {
		r.send(ctx, nil, err)
		return
	}
	select {
	case s.reqSem <- struct{}{}:
	case <-s.ctx.Done():
		r.send(ctx, nil, jsonrpc2.Errorf(codeRequestCancelled, "server is stopping"))
		return
	}
	rctx, cancel := context.WithCancel(s.ctx)
	id := call.ID()
	r.detach()
	s.mu.Lock()
	s.running[id] = cancel
	started := s.spawnLocked(func() {
		defer func() { <-s.reqSem }()
		res, err := s.runRequest(rctx, method, run)
		s.mu.Lock()
		delete(s.running, id)
		s.mu.Unlock()
		cancel()
		r.send(ctx, res, err)
	})
	if !started {
		delete(s.running, id)
	}
	s.mu.Unlock()
	if !started {
		<-s.reqSem
		cancel()
		r.send(ctx, nil, jsonrpc2.Errorf(codeRequestCancelled, "server is stopping"))
	}
}

// runRequest computes a request's answer: a panic becomes an internal
// error, a cancelled request answers RequestCancelled.
func (s *server) runRequest(ctx context.Context, method string, run func(context.Context) (any, error)) (res any, err error) {
	defer func() {
		if p := recover(); p != nil {
			s.logf("panic in %s: %v\n%s", method, p, debug.Stack())
			res, err = nil, jsonrpc2.Errorf(jsonrpc2.InternalError, "internal error in %s", method)
		}
	}()
	start := time.Now()
	res, err = run(ctx)
	if ctx.Err() != nil {
		return nil, jsonrpc2.Errorf(codeRequestCancelled, "%s cancelled", method)
	}
	s.tracef("%s took %v", method, time.Since(start).Round(time.Microsecond))
	return res, err
}

// cancelRequest handles $/cancelRequest. Numeric ids are decoded here:
// JSON numbers must become jsonrpc2.NewNumberID to match.
func (s *server) cancelRequest(params json.RawMessage) {
	var p struct {
		ID json.RawMessage `json:"id"`
	}
	if json.Unmarshal(params, &p) != nil {
		return
	}
	var id jsonrpc2.ID
	if n, err := strconv.ParseInt(string(p.ID), 10, 32); err == nil {
		id = jsonrpc2.NewNumberID(int32(n))
	} else {
		var str string
		if json.Unmarshal(p.ID, &str) != nil {
			return
		}
		id = jsonrpc2.NewStringID(str)
	}
	s.mu.Lock()
	cancel := s.running[id]
	s.mu.Unlock()
	if cancel != nil {
		cancel()
	}
}

// decodeParams decodes request parameters; failures are InvalidParams.
func decodeParams(params json.RawMessage, v any) error {
	if len(params) == 0 {
		return jsonrpc2.Errorf(jsonrpc2.InvalidParams, "missing params")
	}
	if err := json.Unmarshal(params, v); err != nil {
		return jsonrpc2.Errorf(jsonrpc2.InvalidParams, "invalid params: %v", err)
	}
	return nil
}

// decodeLenient decodes params skipping members of unexpected types (client
// capabilities vary more than the specification says).
func decodeLenient(params json.RawMessage, v any) error {
	if len(params) == 0 {
		return jsonrpc2.Errorf(jsonrpc2.InvalidParams, "missing params")
	}
	err := json.Unmarshal(params, v)
	var te *json.UnmarshalTypeError
	if err != nil && !errors.As(err, &te) {
		return jsonrpc2.Errorf(jsonrpc2.InvalidParams, "invalid params: %v", err)
	}
	return nil
}

// initializeParams are the members of InitializeParams the server reads.
// protocol v0.12.0 is LSP 3.16: positionEncodings is read here.
type initializeParams struct {
	Locale                string            `json:"locale"`
	RootPath              string            `json:"rootPath"`
	RootURI               string            `json:"rootUri"`
	InitializationOptions json.RawMessage   `json:"initializationOptions"`
	Capabilities          clientCaps        `json:"capabilities"`
	Trace                 string            `json:"trace"`
	WorkspaceFolders      []workspaceFolder `json:"workspaceFolders"`
}

type workspaceFolder struct {
	URI  string `json:"uri"`
	Name string `json:"name"`
}

// clientCaps are the client capabilities the server acts on.
type clientCaps struct {
	General struct {
		PositionEncodings []string `json:"positionEncodings"`
	} `json:"general"`
	Workspace struct {
		Configuration    bool `json:"configuration"`
		WorkspaceFolders bool `json:"workspaceFolders"`
		WorkspaceEdit    struct {
			DocumentChanges bool `json:"documentChanges"`
		} `json:"workspaceEdit"`
		DidChangeWatchedFiles struct {
			DynamicRegistration bool `json:"dynamicRegistration"`
		} `json:"didChangeWatchedFiles"`
		CodeLens struct {
			RefreshSupport bool `json:"refreshSupport"`
		} `json:"codeLens"`
		InlayHint struct {
			RefreshSupport bool `json:"refreshSupport"`
		} `json:"inlayHint"`
	} `json:"workspace"`
	TextDocument struct {
		Completion struct {
			CompletionItem struct {
				SnippetSupport bool `json:"snippetSupport"`
			} `json:"completionItem"`
		} `json:"completion"`
		Hover struct {
			ContentFormat []string `json:"contentFormat"`
		} `json:"hover"`
	} `json:"textDocument"`
}

// serverCapabilities adds LSP 3.17's positionEncoding and
// inlayHintProvider to protocol v0.12.0's capabilities.
type serverCapabilities struct {
	PositionEncoding  string `json:"positionEncoding"`
	InlayHintProvider bool   `json:"inlayHintProvider,omitempty"`
	protocol.ServerCapabilities
}

type initializeResult struct {
	Capabilities serverCapabilities   `json:"capabilities"`
	ServerInfo   *protocol.ServerInfo `json:"serverInfo,omitempty"`
}

// Position encodings of LSP 3.17.
const (
	encodingUTF16 = "utf-16"
	encodingUTF8  = "utf-8"
)

func (s *server) initialize(params json.RawMessage) (any, error) {
	var p initializeParams
	if err := decodeLenient(params, &p); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.state != stateNew {
		return nil, jsonrpc2.Errorf(jsonrpc2.InvalidRequest, "initialize sent twice")
	}
	s.caps = p.Capabilities
	s.enc, s.locale = source.UTF16, p.Locale
	if s.locale == "" {
		s.locale = s.opts.Locale
	}
	encoding := encodingUTF16
	for _, e := range p.Capabilities.General.PositionEncodings {
		if e == encodingUTF8 {
			s.enc, encoding = source.UTF8, encodingUTF8
			break
		}
	}
	if p.Trace != "" {
		s.trace = p.Trace
	}
	if len(p.InitializationOptions) > 0 {
		st, err := parseSettings(p.InitializationOptions)
		if err != nil {
			s.warnf("initializationOptions: %v", err)
		}
		s.cfg.init = st
		s.applyTraceLocked()
	}
	switch {
	case len(p.WorkspaceFolders) > 0:
		for _, f := range p.WorkspaceFolders {
			if path, ok := uriToPath(f.URI); ok {
				s.addFolderLocked(path, f.URI, f.Name)
			}
		}
	case p.RootURI != "":
		if path, ok := uriToPath(p.RootURI); ok {
			s.addFolderLocked(path, p.RootURI, "")
		}
	case p.RootPath != "":
		s.addFolderLocked(cleanPath(p.RootPath), string(pathToURI(cleanPath(p.RootPath))), "")
	}
	s.state = stateRunning
	if !s.caps.Workspace.Configuration {
		s.markReady()
	}

	version := s.opts.Version
	if version == "" {
		version = "dev"
	}
	return initializeResult{
		Capabilities: serverCapabilities{
			PositionEncoding:  encoding,
			InlayHintProvider: true,
			ServerCapabilities: protocol.ServerCapabilities{
				DefinitionProvider: true,
				ReferencesProvider: true,
				CodeLensProvider:   &protocol.CodeLensOptions{},
				TextDocumentSync: protocol.TextDocumentSyncOptions{
					OpenClose: true,
					Change:    protocol.TextDocumentSyncKindIncremental,
					Save:      &protocol.SaveOptions{},
				},
				HoverProvider: true,
				CompletionProvider: &protocol.CompletionOptions{
					TriggerCharacters: []string{"{", "/", "$"},
				},
				CodeActionProvider: protocol.CodeActionOptions{
					CodeActionKinds: []protocol.CodeActionKind{protocol.QuickFix, FixAllKind},
				},
				DocumentLinkProvider: &protocol.DocumentLinkOptions{},
				ExecuteCommandProvider: &protocol.ExecuteCommandOptions{
					Commands: []string{CommandListEnvironments, CommandSetEnvironment, CommandLinkCounts},
				},
				Workspace: &protocol.ServerCapabilitiesWorkspace{
					WorkspaceFolders: &protocol.ServerCapabilitiesWorkspaceFolders{
						Supported:           true,
						ChangeNotifications: true,
					},
				},
			},
		},
		ServerInfo: &protocol.ServerInfo{Name: "gw403-lsp", Version: version},
	}, nil
}

// initialized registers file watchers and reads the configuration.
func (s *server) initialized(json.RawMessage) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.caps.Workspace.DidChangeWatchedFiles.DynamicRegistration {
		s.spawnLocked(s.registerWatchers)
	}
	if s.caps.Workspace.Configuration {
		s.spawnLocked(s.fetchConfiguration)
	}
	return nil
}

// watchedGlobs are the files whose changes on disk matter: request files,
// templates and OpenAPI documents (serverless.yml, a CDK app's cdk.json and
// the cdk.out/**/*.template.json `cdk synth` writes are YAML and JSON too),
// Terraform files, env files, the config.
var watchedGlobs = []string{
	"**/*.{http,rest}",
	"**/*.{yaml,yml,json}",
	"**/*.{tf,tfvars}",
	"**/.env*",
}

func (s *server) registerWatchers() {
	watchers := make([]protocol.FileSystemWatcher, len(watchedGlobs))
	for i, g := range watchedGlobs {
		watchers[i] = protocol.FileSystemWatcher{GlobPattern: g}
	}
	params := protocol.RegistrationParams{Registrations: []protocol.Registration{{
		ID:              "gw403-watched-files",
		Method:          protocol.MethodWorkspaceDidChangeWatchedFiles,
		RegisterOptions: protocol.DidChangeWatchedFilesRegistrationOptions{Watchers: watchers},
	}}}
	ctx, cancel := context.WithTimeout(s.ctx, 30*time.Second)
	defer cancel()
	if _, err := s.conn.Call(ctx, protocol.MethodClientRegisterCapability, params, nil); err != nil && s.ctx.Err() == nil {
		s.logf("registering file watchers: %v", err)
	}
}

func (s *server) setTrace(params json.RawMessage) error {
	var p struct {
		Value string `json:"value"`
	}
	if err := decodeParams(params, &p); err != nil {
		return err
	}
	s.mu.Lock()
	s.trace = p.Value
	s.mu.Unlock()
	return nil
}

// shutdown stops every check; nothing is published after it.
func (s *server) shutdown() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.state = stateShutdown
	s.cancelChecksLocked()
	s.markReady()
}
