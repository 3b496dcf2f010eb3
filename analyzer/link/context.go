// Package link is what a rule reads: the immutable snapshot of a
// workspace's definitions (the API model, the configuration, the parsed
// files), a request evaluated in one environment with its expanded URL and
// headers, and the API, stage and route it links to. It parses URLs,
// matches routes and links requests; it runs no rule and reads no file.
package link

import (
	"sort"
	"strings"
	"sync"

	"github.com/gw403/gw403-lsp/schemas/template"

	"github.com/gw403/gw403-lsp/analyzer/msg"
	"github.com/gw403/gw403-lsp/schemas/apimodel"
	"github.com/gw403/gw403-lsp/schemas/env"
	"github.com/gw403/gw403-lsp/schemas/gwconfig"
	"github.com/gw403/gw403-lsp/schemas/httpfile"
	"github.com/gw403/gw403-lsp/schemas/openapi"
	"github.com/gw403/gw403-lsp/schemas/serverless"
	"github.com/gw403/gw403-lsp/schemas/source"
	"github.com/gw403/gw403-lsp/schemas/terraform"
)

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
	// CDK is true for a template synthesized by the AWS CDK (in a
	// cdk.out).
	CDK bool

	// The format-specific parse results: one of Template, OpenAPI, Env,
	// Config, Terraform and Serverless is set, by Kind.

	// Template is set for SAM/CloudFormation templates.
	Template *template.Template
	// OpenAPI is set for standalone OpenAPI documents.
	OpenAPI *openapi.Doc
	// Env is set for env files (JSON environments, VS Code settings,
	// dotenv).
	Env *env.EnvFile
	// Config is set for .gw403.yaml.
	Config *gwconfig.Config
	// Terraform is set for .tf and .tfvars files.
	Terraform *terraform.File
	// Serverless is set for serverless.yml; its `resources:` section is
	// also Template.
	Serverless *serverless.Service
	// Problems are parse problems (GW001).
	Problems []Problem
	// EnvSet and EnvNames are the environments that apply to a request
	// file.
	EnvSet   *env.Set
	EnvNames []string

	// Memo keeps a whole-file fact a request rule needs, such as whether
	// the file uses JetBrains handler scripts, as long as the parsed file.
	memo
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
	Link *Link
	// whyNot is why the request is not linked; LinkWhy formats it.
	whyNot reason
	// EnvVars are the variable names defined for this request in Env (file,
	// request and environment variables), for fixes that suggest one.
	EnvVars []string
	// ClientCert is true when a client certificate is configured for the
	// request's host in Env (REST Client, JetBrains or httpyac settings).
	ClientCert bool

	// EnvDependent is true when the URL or a header uses an environment
	// value.
	EnvDependent bool
	// res expands the request's templates in Env (for Lookup).
	res env.Resolver
	// Overflows are the references of the URL and headers left unresolved
	// at a limit of expansion.
	Overflows []env.Overflow

	// Memo keeps work several rules need on the same request (reading
	// the link, matching routes).
	memo
}

// LinkWhy says, for people, why the request is not linked (empty when it
// is), with the request's private values masked: the reason may name the
// host, which may come from a private value.
func (rc *RequestContext) LinkWhy() msg.Text { return rc.whyNot.text(rc.URL) }

// memo computes values once per key, for as long as what embeds it lives.
type memo struct {
	mu sync.Mutex // guards m
	m  map[any]any
}

// Memo returns the value computed for key, computing it with f the first
// time; keys should be unexported types of the calling package. f runs with
// the memo locked: it must not use the same memo.
func (c *memo) Memo(key any, f func() any) any {
	c.mu.Lock()
	defer c.mu.Unlock()
	if v, ok := c.m[key]; ok {
		return v
	}
	if c.m == nil {
		c.m = map[any]any{}
	}
	v := f()
	c.m[key] = v
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
	if _, s, _, ok := rc.URL.Exp.SourceInRequest(start, end); ok {
		return s
	}
	return rc.Req.TargetSpan
}

// Problem is a parse problem of a file, reported as GW001.
type Problem struct {
	Span    source.Span
	Message string
}

// Template returns the parsed template at path, or nil.
func (s *Snapshot) Template(path string) *template.Template {
	if fd := s.Files[path]; fd != nil {
		return fd.Template
	}
	return nil
}

// snapLists are the templates and OpenAPI documents of a snapshot in path
// order, made once: template rules ask for them per template.
type snapLists struct {
	once      sync.Once
	templates []*template.Template
	docs      []*openapi.Doc
}

func (s *Snapshot) makeLists() {
	s.lists.once.Do(func() {
		for _, p := range s.SortedPaths() {
			fd := s.Files[p]
			if t := fd.Template; t != nil {
				s.lists.templates = append(s.lists.templates, t)
			}
			if d := fd.OpenAPI; d != nil {
				s.lists.docs = append(s.lists.docs, d)
			}
		}
	})
}

// Templates returns every parsed template, by path order. The slice is
// the snapshot's: read it, never change it.
func (s *Snapshot) Templates() []*template.Template {
	s.makeLists()
	return s.lists.templates
}

// OpenAPIDocs returns every standalone OpenAPI document, by path order.
// The slice is the snapshot's: read it, never change it.
func (s *Snapshot) OpenAPIDocs() []*openapi.Doc {
	s.makeLists()
	return s.lists.docs
}

func (s *Snapshot) SortedPaths() []string {
	out := make([]string, 0, len(s.Files))
	for p := range s.Files {
		out = append(out, p)
	}
	sort.Strings(out)
	return out
}

// allEnvNames returns every environment defined by the workspace's env
// files, sorted.
func (s *Snapshot) AllEnvNames() []string {
	seen := map[string]bool{}
	for _, fd := range s.Files {
		if fd.Env == nil {
			continue
		}
		for _, e := range fd.Env.Envs {
			if !strings.HasPrefix(e.Name, "$") {
				seen[e.Name] = true
			}
		}
		if fd.Env.EnvName != "" {
			seen[fd.Env.EnvName] = true
		}
	}
	out := make([]string, 0, len(seen))
	for n := range seen {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

// ApplyConfig adds the ids and regions of .gw403.yaml to the APIs
// they name.
func (snap *Snapshot) ApplyConfig() {
	if snap.Config == nil {
		return
	}
	in := linkInput{model: snap.Model, config: snap.Config, root: snap.Root}
	for _, ca := range snap.Config.APIs {
		api := configAPI(in, ca.Name)
		if api == nil {
			continue
		}
		for _, id := range ca.IDs {
			if !containsFold(api.IDs, id) {
				api.IDs = append(api.IDs, strings.ToLower(id))
			}
		}
		if ca.Region != "" && api.Region == "" {
			api.Region = ca.Region
		}
	}
}

func containsFold(list []string, s string) bool {
	for _, x := range list {
		if strings.EqualFold(x, s) {
			return true
		}
	}
	return false
}
