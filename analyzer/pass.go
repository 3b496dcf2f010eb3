package analyzer

import (
	"strings"
	"sync"

	"github.com/gw403/gw403-lsp/schemas/apimodel"
	"github.com/gw403/gw403-lsp/schemas/env"
	"github.com/gw403/gw403-lsp/schemas/gwconfig"
	"github.com/gw403/gw403-lsp/schemas/httpfile"
	"github.com/gw403/gw403-lsp/schemas/source"
	"github.com/gw403/gw403-lsp/schemas/terraform"
)

// Pass is what a rule sees when it runs. Exactly one of Request (for
// RequestScope rules) and File (for FileScope rules) is set; TemplateScope
// rules look at Snap.
type Pass struct {
	Rule *Rule
	Snap *Snapshot
	// Request is the request under check (RequestScope).
	Request *RequestContext
	// File is the file under check (FileScope).
	File *FileData

	report func(Diagnostic)
}

// Report records a finding. Code, Slug, Severity, ErrorType and Status
// default to the rule's; Path defaults to the file under check.
func (p *Pass) Report(d Diagnostic) {
	if d.Code == "" {
		d.Code = p.Rule.Code
	}
	if d.Slug == "" {
		d.Slug = p.Rule.Slug
	}
	if d.Severity == Off {
		d.Severity = p.Rule.Severity
	}
	if d.ErrorType == "" {
		d.ErrorType = p.Rule.ErrorType
	}
	if d.Status == 0 {
		d.Status = p.Rule.Status
	}
	if d.Path == "" {
		switch {
		case p.Request != nil:
			d.Path = p.Request.Path
		case p.File != nil:
			d.Path = p.File.Path
		}
	}
	for i := range d.Fixes {
		for j := range d.Fixes[i].Edits {
			if d.Fixes[i].Edits[j].Path == "" {
				d.Fixes[i].Edits[j].Path = d.Path
			}
		}
	}
	p.report(d)
}

// Snapshot is an immutable view of the workspace's definitions: the API
// model, the configuration and every parsed non-request file. Rules may read
// it concurrently and must not modify it.
type Snapshot struct {
	Root   string
	Model  *apimodel.Model
	Config *gwconfig.Config
	// Files are the parsed definition, env and config files by path.
	Files map[string]*FileData
	// Httpyac is true when the workspace is configured for httpyac
	// (.httpyac.json, .httpyac.js, httpyac.config.js, an httpyac key in
	// package.json).
	Httpyac bool
	// Terraform is the evaluated Terraform configuration; nil when the
	// workspace has no .tf files.
	Terraform *terraform.Config
	// projectDirs are the folders that are projects of their own (see
	// ProjectOf).
	projectDirs map[string]bool
	// projectOf caches ProjectOf by path.
	projectOf sync.Map
	// lists are Templates and OpenAPIDocs, made on first use.
	lists snapLists
}

// FileData is one parsed file.
type FileData struct {
	Path string
	Kind FileKind
	Src  *source.File
	HTTP *httpfile.File // KindHTTP
	// Ignored is true when git ignores the file (secrets rules stay quiet).
	Ignored bool
	cdk     bool    // a template in a CDK app's cdk.out
	ext     fileExt // format-specific parse results (template, OpenAPI, env)

	memoMu sync.Mutex // guards memo
	memo   map[any]any
}

// Header is a request header with its expanded value.
type Header struct {
	H     *httpfile.Header
	Value *Expanded
}

// RequestContext is one request evaluated in one environment.
type RequestContext struct {
	Path string
	File *httpfile.File
	// Data is the parsed request file with its environments (and a
	// per-file Memo).
	Data *FileData
	Req  *httpfile.Request
	// Env is the environment the request is evaluated in; "" when the file
	// has none.
	Env string
	// URL is the expanded target.
	URL *URL
	// Headers are the request's headers with expanded values, in order.
	Headers []Header
	// Link is the API the request calls; nil when unlinked (LinkWhy says
	// why).
	Link    *Link
	LinkWhy Text
	// EnvVars are the variable names defined for this request in Env (file,
	// request and environment variables), for fixes that suggest one.
	EnvVars []string
	// ClientCert is true when a client certificate is configured for the
	// request's host in Env (REST Client, JetBrains or httpyac settings).
	ClientCert bool
	// Lookup returns a variable's value and where it came from, when it is
	// defined.
	Lookup func(name string) (Piece, bool)

	// envDependent is true when the URL or a header uses an environment
	// value.
	envDependent bool
	// res expands the request's templates in Env (for Lookup).
	res env.Resolver
	// overflows are the references of the URL and headers left unresolved
	// at a limit of expansion.
	overflows []env.Overflow

	memoMu sync.Mutex // guards memo
	memo   map[any]any
}

// Memo returns the value computed for key in this request context,
// computing it with f the first time. Rules use it to share work that
// several rules need on the same request (reading the link, matching
// routes); keys should be unexported types of the calling package.
func (rc *RequestContext) Memo(key any, f func() any) any {
	rc.memoMu.Lock()
	defer rc.memoMu.Unlock()
	if v, ok := rc.memo[key]; ok {
		return v
	}
	if rc.memo == nil {
		rc.memo = map[any]any{}
	}
	v := f()
	rc.memo[key] = v
	return v
}

// Memo returns the value computed for key in this file, computing it
// with f the first time (a whole-file fact a request rule needs, such as
// whether the file uses JetBrains handler scripts). The memo lives as long
// as the parsed file.
func (fd *FileData) Memo(key any, f func() any) any {
	fd.memoMu.Lock()
	defer fd.memoMu.Unlock()
	if v, ok := fd.memo[key]; ok {
		return v
	}
	if fd.memo == nil {
		fd.memo = map[any]any{}
	}
	v := f()
	fd.memo[key] = v
	return v
}

// Header returns the last header with that name (case-insensitive), or nil.
func (rc *RequestContext) Header(name string) *Header {
	for i := len(rc.Headers) - 1; i >= 0; i-- {
		if strings.EqualFold(rc.Headers[i].H.Name, name) {
			return &rc.Headers[i]
		}
	}
	return nil
}

// Directive returns the value of a `# @key value` metadata line of the
// request, and whether it is present.
func (rc *RequestContext) Directive(key string) (string, bool) {
	for _, m := range rc.Req.Meta {
		if strings.EqualFold(m.Key, key) {
			return m.Value, true
		}
	}
	return "", false
}

// URLSource maps a byte range of the expanded URL to a span for a
// finding: the exact source bytes when the range comes from one literal or
// one variable value, else the {{reference}} spans in the request file.
// ok is false when nothing maps (the finding then points at the URL).
func (rc *RequestContext) URLSource(start, end int) (path string, span source.Span, exact bool) {
	p, s, ex, ok := rc.URL.Exp.Source(start, end)
	if !ok {
		return rc.Path, rc.Req.TargetSpan, false
	}
	return p, s, ex
}

// RequestSpan returns a span of the request line for a byte range of the
// expanded URL: exact when the range is literal text of the request line,
// else the {{reference}} that holds it, else the whole URL.
func (rc *RequestContext) RequestSpan(start, end int) source.Span {
	if _, s, _, ok := rc.URL.Exp.sourceInRequest(start, end); ok {
		return s
	}
	return rc.Req.TargetSpan
}
