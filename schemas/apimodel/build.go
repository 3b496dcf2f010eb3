package apimodel

import (
	"path"
	"sort"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/gw403/gw403-lsp/schemas/openapi"
	"github.com/gw403/gw403-lsp/schemas/serverless"
	"github.com/gw403/gw403-lsp/schemas/source"
	"github.com/gw403/gw403-lsp/schemas/template"
	"github.com/gw403/gw403-lsp/schemas/terraform"
	"github.com/gw403/gw403-lsp/schemas/yamlpos"
)

// Options configure Build.
type Options struct {
	// Terraform is the workspace's Terraform configuration (nil: none).
	// Its rest_api bodies read with file() / templatefile() are looked up
	// among docs like a template's DefinitionUri.
	Terraform *terraform.Config
	// Serverless are the workspace's Serverless Framework services; their
	// APIs join the model with the templates' (Origin Serverless).
	Serverless []*serverless.Service
}

// Build returns the model of the APIs that templates and OpenAPI documents
// define. docs are the workspace's OpenAPI documents: a template's local
// DefinitionUri is looked up among them by path (relative to the template's
// directory, compared with source.File.Path after path.Clean), and a
// document used that way is that template's API, not a second one. The
// remaining documents become APIs of Origin OpenAPI.
//
// Facts that are not static stay unknown (RoutesKnown, StagesKnown, Value
// with Known false) so that rules can stay quiet rather than guess.
func Build(templates []*template.Template, docs []*openapi.Doc, opts Options) *Model {
	b := &builder{
		m:       &Model{},
		docs:    map[string]*openapi.Doc{},
		used:    map[*openapi.Doc]bool{},
		domains: map[string]*Domain{},
	}
	for _, d := range docs {
		if d != nil && d.File != nil {
			b.docs[path.Clean(d.File.Path)] = d
		}
	}
	for _, t := range templates {
		if t == nil || t.NotTemplate || t.Doc == nil || t.Doc.Root == nil {
			continue
		}
		c := newTctx(b, t)
		c.build()
	}
	b.terraform(opts.Terraform)
	for _, s := range opts.Serverless {
		b.buildServerless(s)
	}
	for _, d := range docs {
		if d == nil || b.used[d] || d.NotOpenAPI || d.Root == nil || d.Inline {
			continue
		}
		b.standalone(d)
	}
	return b.m
}

type builder struct {
	m       *Model
	docs    map[string]*openapi.Doc // by cleaned path
	used    map[*openapi.Doc]bool   // documents that are a template's definition
	domains map[string]*Domain      // by kind + known domain name
}

// domain returns the Domain named name of kind, creating it. Known names
// are shared by all files; an unknown name (a parameter without default)
// is the same domain only within one file, where its display form
// (${parameter …}) names the same parameter.
func (b *builder) domain(kind Kind, name Value, file string) *Domain {
	key := ""
	switch {
	case name.Known:
		key = string(kind) + " " + name.S
	case name.S != "":
		key = string(kind) + " " + file + "\x00" + name.S
	}
	if key != "" {
		if d := b.domains[key]; d != nil {
			return d
		}
	}
	d := &Domain{Name: name, Kind: kind}
	b.m.Domains = append(b.m.Domains, d)
	if key != "" {
		b.domains[key] = d
	}
	return d
}

// tctx is the state of building one template.
type tctx struct {
	b *builder
	t *template.Template

	apis     map[string]*API // by logical id, including the implicit SAM APIs
	sam      map[*API]*samAPI
	authz    map[string]*Authorizer // AWS::ApiGateway(V2)::Authorizer by logical id
	plans    map[string]*UsagePlan
	keys     map[string]*APIKey
	webACLs  map[string]*WebACL
	domainID map[string]*Domain // AWS::ApiGateway(V2)::DomainName by logical id
	cfnPaths map[string]string  // AWS::ApiGateway::Resource logical id → path ("" unknown)
}

func newTctx(b *builder, t *template.Template) *tctx {
	return &tctx{
		b: b, t: t,
		apis:     map[string]*API{},
		sam:      map[*API]*samAPI{},
		authz:    map[string]*Authorizer{},
		plans:    map[string]*UsagePlan{},
		keys:     map[string]*APIKey{},
		webACLs:  map[string]*WebACL{},
		domainID: map[string]*Domain{},
		cfnPaths: map[string]string{},
	}
}

func (c *tctx) loc(n *yaml.Node) Loc {
	if n == nil {
		return Loc{}
	}
	return Loc{Path: c.t.File.Path, Span: c.t.Doc.Span(n)}
}

func (c *tctx) locSpan(sp source.Span) Loc { return Loc{Path: c.t.File.Path, Span: sp} }

// value evaluates n into a model Value; an unknown value keeps a display
// form with ${…} placeholders in S.
func (c *tctx) value(n *yaml.Node) Value {
	if n == nil {
		return Value{}
	}
	v := c.t.Eval(n)
	if s, ok := v.Str(); ok {
		return Known(s, c.loc(n))
	}
	return Value{S: v.Display(), Loc: c.loc(n)}
}

// stageValue evaluates a stage name and the parameters it depends on.
func (c *tctx) stageValue(n *yaml.Node) (Value, []string) {
	v := c.t.Eval(n)
	if s, ok := v.Str(); ok {
		return Known(s, c.loc(n)), v.Params
	}
	return Value{S: v.Display(), Loc: c.loc(n)}, v.Params
}

// str evaluates n to a known string.
func (c *tctx) str(n *yaml.Node) (string, bool) {
	if n == nil {
		return "", false
	}
	return c.t.EvalString(n)
}

// boolean evaluates n to a known boolean.
func (c *tctx) boolean(n *yaml.Node) (value, known bool) {
	s, ok := c.str(n)
	if !ok {
		return false, false
	}
	switch strings.ToLower(s) {
	case "true":
		return true, true
	case "false":
		return false, true
	}
	return false, false
}

// strs evaluates a string or a list of strings.
func (c *tctx) strs(n *yaml.Node) (out []Value) {
	if n == nil {
		return nil
	}
	if items := yamlpos.Items(n); items != nil {
		for _, it := range items {
			out = append(out, c.value(it))
		}
		return out
	}
	v := c.t.Eval(n)
	if v.Kind == template.List {
		for _, it := range v.List {
			if s, ok := it.Str(); ok {
				out = append(out, Known(s, c.loc(n)))
			} else {
				out = append(out, Value{S: it.Display(), Loc: c.loc(n)})
			}
		}
		return out
	}
	return []Value{c.value(n)}
}

func (c *tctx) build() {
	c.buildSAM()
	c.buildCFN()
	c.exports()
	for _, a := range c.orderedAPIs() {
		finishAPI(a)
		if a.Origin != CFN {
			continue
		}
		// A RestApi without methods or definition cannot be deployed as
		// it is: its methods live elsewhere (another stack, a script).
		if len(a.Routes) == 0 && a.DefinitionLoc.IsZero() {
			a.RoutesKnown = false
		}
		if a.Exported && len(a.Stages) == 0 {
			a.StagesKnown = false
		}
	}
}

// exports marks the APIs that Outputs export.
func (c *tctx) exports() {
	for _, o := range c.t.Outputs {
		if o.Value == nil || yamlpos.Value(o.Node, "Export") == nil {
			continue
		}
		v := c.t.Eval(o.Value)
		for _, p := range append([]template.Value{v}, v.Parts...) {
			if p.Kind == template.ResourceRef && p.Attr == "" {
				if a := c.apis[p.LogicalID]; a != nil {
					a.Exported = true
				}
			}
		}
	}
}

// orderedAPIs returns the template's APIs in creation order.
func (c *tctx) orderedAPIs() []*API {
	out := make([]*API, 0, len(c.apis))
	for _, a := range c.b.m.APIs {
		if a.File == c.t.File.Path && c.apis[a.LogicalID] == a {
			out = append(out, a)
		}
	}
	return out
}

func (c *tctx) newAPI(id string, kind Kind, origin Origin, loc Loc) *API {
	a := &API{
		Name: id, LogicalID: id, Kind: kind, Origin: origin,
		File: c.t.File.Path, Loc: loc,
		StagesKnown: true, RoutesKnown: true,
		Region: c.t.Options.Region, // the region templates are evaluated for, if configured
	}
	c.apis[id] = a
	c.b.m.APIs = append(c.b.m.APIs, a)
	return a
}

// finishAPI drops duplicate routes (the same method and path from a
// definition and then an event or a Method resource): the later one wins,
// as SAM merges an event into the definition, at the earlier one's place.
func finishAPI(a *API) {
	at := map[string]int{}
	out := a.Routes[:0]
	for _, r := range a.Routes {
		k := r.Method + " " + r.Path
		if i, ok := at[k]; ok {
			prev, merged := out[i], *r
			if r.Auth.Loc.IsZero() && r.Auth.APIKeyLoc.IsZero() {
				merged.Auth = prev.Auth // the later one decided nothing
			}
			if merged.Function == "" {
				merged.Function = prev.Function
			}
			out[i] = &merged
			continue
		}
		at[k] = len(out)
		out = append(out, r)
	}
	a.Routes = out
}

// addStage adds a stage unless one with that name exists.
func addStage(a *API, s *Stage) {
	if a.StageNamed(s.Name) != nil {
		return
	}
	a.Stages = append(a.Stages, s)
}

// normMethod upper-cases an HTTP method; "any" and "*" become ANY.
func normMethod(m string) string {
	m = strings.ToUpper(strings.TrimSpace(m))
	if m == "*" || m == "X-AMAZON-APIGATEWAY-ANY-METHOD" {
		return "ANY"
	}
	return m
}

// normPath makes a resource path start with one slash.
func normPath(p string) string {
	p = strings.TrimSpace(p)
	if p == "$default" {
		return p
	}
	if !strings.HasPrefix(p, "/") {
		p = "/" + p
	}
	return p
}

// ParseIdentitySource reads API Gateway identity source expressions:
// "method.request.header.Authorization", "method.request.querystring.q",
// "$request.header.Authorization", "$request.querystring.q",
// "context.x", "$context.x", "stageVariables.x", "$stageVariables.x".
// Several may be comma-separated. Unknown forms are skipped.
func ParseIdentitySource(exprs ...string) []IdentitySource {
	var out []IdentitySource
	for _, e := range exprs {
		for _, part := range strings.Split(e, ",") {
			part = strings.TrimSpace(part)
			part = strings.TrimPrefix(part, "$")
			part = strings.TrimPrefix(part, "method.")
			part = strings.TrimPrefix(part, "request.")
			switch {
			case strings.HasPrefix(part, "header."):
				out = append(out, IdentitySource{In: "header", Name: part[len("header."):]})
			case strings.HasPrefix(part, "querystring."):
				out = append(out, IdentitySource{In: "query", Name: part[len("querystring."):]})
			case strings.HasPrefix(part, "context."):
				out = append(out, IdentitySource{In: "context", Name: part[len("context."):]})
			case strings.HasPrefix(part, "stageVariables."):
				out = append(out, IdentitySource{In: "stageVariables", Name: part[len("stageVariables."):]})
			}
		}
	}
	return out
}

// sortedKeys returns the keys of m in order (for deterministic output).
func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
