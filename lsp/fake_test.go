package lsp_test

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/gw403/gw403-lsp/analyzer"
	"github.com/gw403/gw403-lsp/analyzer/link"
	"github.com/gw403/gw403-lsp/analyzer/msg"
	"github.com/gw403/gw403-lsp/analyzer/workspace"
	"github.com/gw403/gw403-lsp/lsp"
	"github.com/gw403/gw403-lsp/schemas/source"
)

// fakeFactory makes fake workspaces and remembers them by root.
type fakeFactory struct {
	mu sync.Mutex // guards ws
	ws map[string]*fakeWS
	hooks
}

// hooks let a test hold a check or a hover until it is cancelled.
type hooks struct {
	// started receives the path of a check of a file containing "BLOCK"
	// or a hover of a file containing "SLOWHOVER"; they then wait for
	// their context.
	started chan string
	// off disables the markers (BLOCK, SLOWHOVER, PANIC).
	off bool
	// gate, when set, holds every check of a .http file: it reports on
	// started, then waits until the gate is closed.
	gate atomic.Pointer[chan struct{}]
}

func newFakeFactory() *fakeFactory {
	return &fakeFactory{ws: map[string]*fakeWS{}, hooks: hooks{started: make(chan string, 100)}}
}

func (f *fakeFactory) new(root string, opts workspace.Options) lsp.Workspace {
	f.mu.Lock()
	defer f.mu.Unlock()
	w := &fakeWS{root: root, opts: opts, overlays: map[string]string{}, hooks: &f.hooks}
	f.ws[root] = w
	return w
}

func (f *fakeFactory) get(root string) *fakeWS {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.ws[root]
}

func (f *fakeFactory) roots() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []string
	for r := range f.ws {
		out = append(out, r)
	}
	sort.Strings(out)
	return out
}

// fakeWS is a tiny stand-in for analyzer.Workspace with known findings,
// computed from the current text so that edits move them:
//
//   - GW101 on the URL of each request line to an execute-api host that
//     has no x-api-key header while template.yaml says
//     "ApiKeyRequired: true"; related information points at that line;
//     fixes: insert the header (safe, preferred) and set the template's
//     value to false (unsafe, in template.yaml).
//   - GW502 on the value of a literal x-api-key header; fix: replace it
//     with {{apiKey}} (safe).
//   - GW201 in template.yaml on ApiKeyRequired when there is no UsagePlan.
//
// A file containing "PANIC" panics in Check.
type fakeWS struct {
	root  string
	hooks *hooks

	mu       sync.Mutex // guards the fields below
	opts     workspace.Options
	overlays map[string]string
	changed  []string
	checks   int
}

func (w *fakeWS) Options() workspace.Options {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.opts
}

func (w *fakeWS) Overlay(path string) (string, bool) {
	w.mu.Lock()
	defer w.mu.Unlock()
	t, ok := w.overlays[path]
	return t, ok
}

func (w *fakeWS) Changed() []string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return append([]string(nil), w.changed...)
}

func (w *fakeWS) read(path string) (string, bool) {
	w.mu.Lock()
	t, ok := w.overlays[path]
	w.mu.Unlock()
	if ok {
		return t, true
	}
	data, err := os.ReadFile(path)
	return string(data), err == nil
}

func (w *fakeWS) SetOverlay(path, text string) {
	w.mu.Lock()
	w.overlays[path] = text
	w.mu.Unlock()
}

func (w *fakeWS) CloseOverlay(path string) {
	w.mu.Lock()
	delete(w.overlays, path)
	w.mu.Unlock()
}

func (w *fakeWS) FileChanged(path string) {
	w.mu.Lock()
	w.changed = append(w.changed, path)
	w.mu.Unlock()
}

func (w *fakeWS) SetOptions(o workspace.Options) {
	w.mu.Lock()
	w.opts = o
	w.mu.Unlock()
}

func (w *fakeWS) Kind(path string) link.FileKind {
	base := filepath.Base(path)
	switch {
	case strings.HasSuffix(base, ".http"), strings.HasSuffix(base, ".rest"):
		return link.KindHTTP
	case base == "template.yaml":
		return link.KindTemplate
	case strings.HasSuffix(base, ".env.json"):
		return link.KindEnv
	case base == ".gw403.yaml":
		return link.KindConfig
	}
	return link.KindOther
}

func (w *fakeWS) template() string { return filepath.Join(w.root, "template.yaml") }

func (w *fakeWS) Affected(path string) []string {
	if k := w.Kind(path); k == link.KindHTTP || k == link.KindOther {
		return nil
	}
	set := map[string]bool{}
	matches, _ := filepath.Glob(filepath.Join(w.root, "*.http"))
	for _, m := range matches {
		set[m] = true
	}
	w.mu.Lock()
	for p := range w.overlays {
		if w.Kind(p) == link.KindHTTP {
			set[p] = true
		}
	}
	w.mu.Unlock()
	var out []string
	for p := range set {
		out = append(out, p)
	}
	sort.Strings(out)
	return out
}

// The fake does not navigate: the real analyzer's tests do.
func (w *fakeWS) RequestLinks(context.Context, string) ([]workspace.RequestLink, error) {
	return nil, nil
}

func (w *fakeWS) Definition(context.Context, string, int) ([]workspace.Location, error) {
	return nil, nil
}

func (w *fakeWS) References(context.Context, string, int, bool) ([]workspace.Location, error) {
	return nil, nil
}

func (w *fakeWS) RouteUsages(context.Context, string) ([]workspace.RouteUsage, error) {
	return nil, nil
}

func (w *fakeWS) EnvironmentURLs(context.Context, string) (map[string]string, error) {
	return nil, nil
}

func (w *fakeWS) LinkCounts(context.Context, string) (int, int, error) { return 0, 0, nil }

// Dependents are the request files Affected names (the fake has one
// project per workspace).
func (w *fakeWS) Dependents(_ context.Context, path string) []string { return w.Affected(path) }

func (w *fakeWS) Environments(string) []string {
	data, err := os.ReadFile(filepath.Join(w.root, "http-client.env.json"))
	if err != nil {
		return nil
	}
	var m map[string]any
	if json.Unmarshal(data, &m) != nil {
		return nil
	}
	var out []string
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

var requestLine = regexp.MustCompile(`^(GET|POST|PUT|PATCH|DELETE) (\S+)`)

// request is a request line found by the fake.
type request struct {
	method    string
	url       source.Span
	line      int
	hasKey    bool
	keyValue  source.Span // of a literal x-api-key value
	insertOff int         // where a header line goes
}

func requests(f *source.File) []request {
	var out []request
	for i := 0; i < f.LineCount(); i++ {
		ls := f.LineSpan(i)
		m := requestLine.FindStringSubmatchIndex(f.Slice(ls))
		if m == nil {
			continue
		}
		r := request{method: f.Slice(ls)[m[2]:m[3]], url: source.Span{Start: ls.Start + m[4], End: ls.Start + m[5]}, line: i}
		j := i + 1
		for ; j < f.LineCount(); j++ {
			h := f.Slice(f.LineSpan(j))
			if strings.TrimSpace(h) == "" {
				break
			}
			name, value, ok := strings.Cut(h, ":")
			if ok && strings.EqualFold(strings.TrimSpace(name), "x-api-key") {
				r.hasKey = true
				v := strings.TrimSpace(value)
				if !strings.HasPrefix(v, "{{") {
					start := f.LineStart(j) + len(name) + 1 + strings.Index(value, v)
					r.keyValue = source.Span{Start: start, End: start + len(v)}
				}
			}
		}
		r.insertOff = f.LineStart(j)
		if j >= f.LineCount() {
			r.insertOff = -1 // after the last line, which has no terminator
		}
		out = append(out, r)
	}
	return out
}

func eol(text string) string {
	if strings.Contains(text, "\r\n") {
		return "\r\n"
	}
	return "\n"
}

func (w *fakeWS) severity(code string, def analyzer.Severity) analyzer.Severity {
	w.mu.Lock()
	defer w.mu.Unlock()
	if s, ok := w.opts.Severity[code]; ok {
		return s
	}
	return def
}

func (w *fakeWS) Check(ctx context.Context, path string) ([]analyzer.Diagnostic, error) {
	text, ok := w.read(path)
	if !ok {
		return nil, nil
	}
	w.mu.Lock()
	w.checks++
	env := w.opts.Env
	w.mu.Unlock()
	if !w.hooks.off && strings.Contains(text, "PANIC") {
		panic("fake analyzer panic")
	}
	if !w.hooks.off && strings.Contains(text, "BLOCK") {
		w.hooks.started <- path
		<-ctx.Done()
		return nil, ctx.Err()
	}
	if g := w.hooks.gate.Load(); g != nil && w.Kind(path) == link.KindHTTP {
		w.hooks.started <- path
		<-*g
	}
	f := source.NewFile(path, text)
	switch w.Kind(path) {
	case link.KindHTTP:
		return w.checkHTTP(f, env), nil
	case link.KindTemplate:
		if i := strings.Index(text, "ApiKeyRequired: true"); i >= 0 && !strings.Contains(text, "UsagePlan") {
			return []analyzer.Diagnostic{{
				Path: path, Span: source.Span{Start: i, End: i + len("ApiKeyRequired")},
				Code: "GW201", Slug: "api-key-without-usage-plan", Severity: w.severity("GW201", analyzer.Warning),
				Message:   msg.T("the API requires keys but no usage plan covers it", "API キーが必須ですが使用量プランがありません"),
				ErrorType: "ForbiddenException", Status: 403,
			}}, nil
		}
	}
	return nil, nil
}

func (w *fakeWS) checkHTTP(f *source.File, env string) []analyzer.Diagnostic {
	tpl, _ := w.read(w.template())
	keyAt := strings.Index(tpl, "ApiKeyRequired: true")
	var out []analyzer.Diagnostic
	for _, r := range requests(f) {
		if r.keyValue != (source.Span{}) {
			out = append(out, analyzer.Diagnostic{
				Path: f.Path, Span: r.keyValue, Code: "GW502", Slug: "hardcoded-api-key",
				Severity: w.severity("GW502", analyzer.Warning),
				Message:  msg.T("the x-api-key header holds a literal key", "x-api-key ヘッダーに API キーが直接書かれています"),
				Fixes: []analyzer.Fix{{
					Title: msg.T("Replace with {{apiKey}}", "{{apiKey}} に置き換える"),
					Edits: []analyzer.Edit{{Path: f.Path, Span: r.keyValue, NewText: "{{apiKey}}"}},
					Safe:  true, Preferred: true,
				}},
			})
		}
		url := f.Slice(r.url)
		if r.hasKey || keyAt < 0 || !strings.Contains(url, "execute-api") {
			continue
		}
		ins := source.Span{Start: r.insertOff, End: r.insertOff}
		header := "x-api-key: {{apiKey}}" + eol(f.Text)
		if r.insertOff < 0 {
			ins = source.Span{Start: len(f.Text), End: len(f.Text)}
			header = eol(f.Text) + "x-api-key: {{apiKey}}"
		}
		valueAt := keyAt + len("ApiKeyRequired: ")
		message := msg.T("%s %s requires an API key but sends no x-api-key header", "%s %s には API キーが必要ですが x-api-key ヘッダーがありません", r.method, url)
		var envs []string
		if env != "" {
			envs = []string{env}
			message.EN += " [" + env + "]"
			message.JA += " [" + env + "]"
		}
		out = append(out, analyzer.Diagnostic{
			Path: f.Path, Span: r.url, Code: "GW101", Slug: "missing-api-key",
			Severity: w.severity("GW101", analyzer.Error), Message: message,
			ErrorType: "ForbiddenException", Status: 403, Envs: envs,
			Related: []analyzer.Related{{
				Path: w.template(), Span: source.Span{Start: keyAt, End: keyAt + len("ApiKeyRequired: true")},
				Message: msg.T("the method requires an API key here", "ここで API キーが必須になっています"),
			}},
			Fixes: []analyzer.Fix{
				{
					Title: msg.T("Add x-api-key header", "x-api-key ヘッダーを追加"),
					Edits: []analyzer.Edit{{Path: f.Path, Span: ins, NewText: header}},
					Safe:  true, Preferred: true,
				},
				{
					Title: msg.T("Stop requiring an API key", "API キーを不要にする"),
					Edits: []analyzer.Edit{{Path: w.template(), Span: source.Span{Start: valueAt, End: valueAt + len("true")}, NewText: "false"}},
				},
			},
		})
	}
	return out
}

func (w *fakeWS) Hover(ctx context.Context, path string, off int) (*workspace.Hover, error) {
	text, _ := w.read(path)
	if !w.hooks.off && strings.Contains(text, "SLOWHOVER") {
		w.hooks.started <- path
		<-ctx.Done()
		return nil, ctx.Err()
	}
	f := source.NewFile(path, text)
	line := f.LineOf(off)
	for _, r := range requests(f) {
		if r.line == line {
			return &workspace.Hover{
				Span: f.LineSpan(line),
				Markdown: msg.T("**OrdersApi** `%s` (linked: the only API)", "**OrdersApi** `%s`（リンク: 唯一の API）",
					r.method+" "+f.Slice(r.url)),
			}, nil
		}
	}
	return nil, nil
}

func (w *fakeWS) Complete(ctx context.Context, path string, off int) ([]workspace.Completion, error) {
	text, _ := w.read(path)
	f := source.NewFile(path, text)
	start := off
	for start > f.LineStart(f.LineOf(off)) && strings.ContainsRune("abcdefghijklmnopqrstuvwxyz-", rune(text[start-1]|0x20)) {
		start--
	}
	word := source.Span{Start: start, End: off}
	return []workspace.Completion{
		{Label: "x-api-key", InsertText: "x-api-key: ", Kind: workspace.CompleteHeader, Replace: word,
			Detail: msg.T("API key header", "API キーのヘッダー"), Doc: msg.T("Sent to methods that require a key.", "キーが必須のメソッドに送ります。")},
		{Label: "x-apigw-api-id", InsertText: "x-apigw-api-id: ", Kind: workspace.CompleteHeader, Replace: word},
		{Label: "Authorization: AWS", InsertText: "Authorization: AWS ${1:{{awsAccessKeyId}}}", Kind: workspace.CompleteSnippet, Replace: word},
		{Label: "apiKey", Kind: workspace.CompleteVariable},
	}, nil
}

func (w *fakeWS) Links(ctx context.Context, path string) ([]workspace.DocLink, error) {
	text, _ := w.read(path)
	tpl, _ := w.read(w.template())
	at := strings.Index(tpl, "Path: /items")
	if at < 0 {
		return nil, nil
	}
	var out []workspace.DocLink
	for _, r := range requests(source.NewFile(path, text)) {
		out = append(out, workspace.DocLink{
			Span: r.url, Target: w.template(), TargetSpan: source.Span{Start: at, End: at + len("Path: /items")},
			Tooltip: msg.T("OrdersApi GET /items", "OrdersApi GET /items"),
		})
	}
	return out, nil
}
