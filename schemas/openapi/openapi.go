// Package openapi reads OpenAPI 2.0 (Swagger) and 3.x documents, in YAML or
// JSON, standalone or inline in a template (a SAM DefinitionBody or a
// RestApi Body), with the API Gateway `x-amazon-apigateway-*` extensions
// that decide authorization, API keys and endpoints.
//
// A Doc is read from a yaml.v3 node so an inline body keeps the template's
// nodes and byte positions. Reading is one cheap walk over the operations;
// spans are computed from a line index (see yamlpos), not by re-scanning.
package openapi

import (
	"net/url"
	"regexp"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/gw403/gw403-lsp/schemas/source"
	"github.com/gw403/gw403-lsp/schemas/yamlpos"
)

// Problem is something that keeps a document from being read.
type Problem struct {
	Span    source.Span
	Message string
}

// Doc is one OpenAPI document.
type Doc struct {
	File *source.File
	Src  *yamlpos.Doc // positions and edits
	// Root is the document mapping: the file's root, or the DefinitionBody /
	// Body node of a template.
	Root *yaml.Node
	// Inline reports a document read from a template node.
	Inline bool
	// NotOpenAPI reports a file that parsed but has neither `openapi` nor
	// `swagger` (and no `paths`): not an error.
	NotOpenAPI bool

	Version     string // "2.0", "3.0.1", … ("" when absent)
	VersionSpan source.Span
	Major       int // 2 or 3; 0 when unknown
	Title       string
	TitleSpan   source.Span

	Servers  []*Server // 3.x
	Host     string    // 2.0
	HostSpan source.Span
	BasePath string // 2.0 ("" when absent)
	BaseSpan source.Span
	Schemes  []string // 2.0

	Paths []*Path
	// PathsKnown is false when the paths cannot be read statically (no
	// `paths` mapping, an intrinsic function in its place).
	PathsKnown bool

	// Security is the top-level security requirement list; SecuritySet
	// reports that the key is present (an empty list disables security).
	Security     []*Requirement
	SecuritySet  bool
	SecuritySpan source.Span

	// SecuritySchemes are securityDefinitions (2.0) or
	// components.securitySchemes (3.x), in order.
	SecuritySchemes []*SecurityScheme

	// APIKeySource is x-amazon-apigateway-api-key-source ("HEADER",
	// "AUTHORIZER"; "" when absent).
	APIKeySource     string
	APIKeySourceSpan source.Span

	// Endpoint is x-amazon-apigateway-endpoint-configuration (top level in
	// 2.0, on a server in 3.x); nil when absent.
	Endpoint *EndpointConfig

	// Policy is the x-amazon-apigateway-policy node; nil when absent.
	Policy     *yaml.Node
	PolicySpan source.Span

	// ImportExportVersion is x-amazon-apigateway-importexport-version,
	// which only HTTP API exports carry.
	ImportExportVersion string

	// Export is set when the servers or host name a deployed API Gateway
	// API (an export from the console or CLI).
	Export *Export

	// GatewayExtensions reports that some x-amazon-apigateway-* extension
	// appears (at the root, on a server, an operation or a security
	// scheme): the document is meant for API Gateway.
	GatewayExtensions bool
}

// Server is one 3.x server.
type Server struct {
	URL       string // as written, with {variables}
	Span      source.Span
	Variables map[string]string // variable → default
	// Resolved is URL with every variable replaced by its default.
	Resolved string
}

// Export identifies the deployed API a document was exported from.
type Export struct {
	APIID  string
	Region string
	// Stage is the first path segment of the server URL / basePath ("" for
	// an HTTP API's $default stage or when none is given).
	Stage string
	Span  source.Span // the server URL or host
}

// Path is one entry of `paths`.
type Path struct {
	Path    string
	KeySpan source.Span
	Node    *yaml.Node
	Ops     []*Operation
	// Ref reports a path item whose operations cannot be read statically
	// (a $ref, an intrinsic function such as Fn::If).
	Ref bool
}

// Methods are the operation keys, in the order OpenAPI lists them.
var Methods = []string{"get", "put", "post", "delete", "options", "head", "patch", "trace"}

// AnyMethod is API Gateway's extension for every method.
const AnyMethod = "x-amazon-apigateway-any-method"

// Operation is one method of a path.
type Operation struct {
	// Method is upper case; "ANY" for x-amazon-apigateway-any-method.
	Method  string
	Path    string
	KeySpan source.Span // the method key
	Node    *yaml.Node
	doc     *Doc
	key     *yaml.Node

	OperationID string

	// Security overrides the top-level requirement when SecuritySet.
	Security     []*Requirement
	SecuritySet  bool
	SecuritySpan source.Span

	// Integration is x-amazon-apigateway-integration; nil when absent.
	Integration *Integration
	// Auth is x-amazon-apigateway-auth (HTTP APIs: {type: AWS_IAM}); nil
	// when absent.
	Auth *Auth
}

// Span returns the span of the whole operation, method key included.
func (o *Operation) Span() source.Span { return o.doc.Src.PairSpan(o.key, o.Node) }

// EffectiveSecurity returns the operation's requirements: its own when
// set, else the document's.
func (o *Operation) EffectiveSecurity() (reqs []*Requirement, set bool, sp source.Span) {
	if o.SecuritySet {
		return o.Security, true, o.SecuritySpan
	}
	return o.doc.Security, o.doc.SecuritySet, o.doc.SecuritySpan
}

// Requirement is one security requirement object: all its schemes apply
// together. A list of requirements means any one of them.
type Requirement struct {
	Schemes []SchemeRef // empty: anonymous access allowed
	Span    source.Span
}

// SchemeRef names a security scheme in a requirement.
type SchemeRef struct {
	Name   string
	Scopes []string
	Span   source.Span // the name key
}

// SecurityScheme is one security scheme definition.
type SecurityScheme struct {
	Name    string
	KeySpan source.Span
	Node    *yaml.Node

	Type     string // apiKey, http, oauth2, openIdConnect, basic (2.0), mutualTLS
	TypeSpan source.Span
	// ParamName and In are the apiKey `name` and `in` (header, query, cookie).
	ParamName string
	NameSpan  source.Span
	In        string
	InSpan    source.Span
	Scheme    string // http scheme (bearer, basic)

	// AuthType is x-amazon-apigateway-authtype: "custom", "cognito_user_pools",
	// "awsSigv4" ("" when absent).
	AuthType     string
	AuthTypeSpan source.Span
	// Authorizer is x-amazon-apigateway-authorizer; nil when absent.
	Authorizer *Authorizer
}

// Authorizer is an x-amazon-apigateway-authorizer object.
type Authorizer struct {
	Node *yaml.Node
	Span source.Span
	// Type is token, request, cognito_user_pools or jwt (lower-cased).
	Type     string
	TypeSpan source.Span
	// IdentitySource as written: "method.request.header.Authorization",
	// "$request.header.Authorization", comma-separated or a list.
	IdentitySource     []string
	IdentitySourceSpan source.Span
	AuthorizerURI      string // "" when absent or not a plain string
	AuthorizerURINode  *yaml.Node
	ProviderARNs       []string
	// JWTIssuer and JWTAudience come from jwtConfiguration.
	JWTIssuer   string
	JWTAudience []string
	// ResultTTL is authorizerResultTtlInSeconds as written.
	ResultTTL string
	// PayloadFormatVersion and EnableSimpleResponses are HTTP API
	// authorizer fields.
	PayloadFormatVersion string
}

// Integration is an x-amazon-apigateway-integration object.
type Integration struct {
	Type    string // aws, aws_proxy, http, http_proxy, mock (lower-cased)
	URI     string // "" when absent or computed
	URINode *yaml.Node
	Span    source.Span
	// PayloadFormatVersion is set by HTTP API integrations.
	PayloadFormatVersion string
}

// Auth is an x-amazon-apigateway-auth object.
type Auth struct {
	Type string // AWS_IAM, NONE
	Span source.Span
}

// EndpointConfig is x-amazon-apigateway-endpoint-configuration.
type EndpointConfig struct {
	Span source.Span
	// DisableExecuteAPIEndpoint is disableExecuteApiEndpoint; DisableSet
	// reports that it is present.
	DisableExecuteAPIEndpoint bool
	DisableSet                bool
	DisableSpan               source.Span
	VpcEndpointIDs            []string
	VpcEndpointIDsSpan        source.Span
}

// Scheme returns the security scheme with that name, or nil.
func (d *Doc) Scheme(name string) *SecurityScheme {
	for _, s := range d.SecuritySchemes {
		if s.Name == name {
			return s
		}
	}
	return nil
}

// Operations returns every operation of every path, in document order.
func (d *Doc) Operations() []*Operation {
	var out []*Operation
	for _, p := range d.Paths {
		out = append(out, p.Ops...)
	}
	return out
}

// LooksHTTPAPI reports that the document describes an API Gateway HTTP API
// (v2): it has x-amazon-apigateway-importexport-version (only HTTP API
// exports carry it), an x-amazon-apigateway-auth, or integrations with a
// payloadFormatVersion.
func (d *Doc) LooksHTTPAPI() bool {
	if d.ImportExportVersion != "" {
		return true
	}
	for _, p := range d.Paths {
		for _, o := range p.Ops {
			if o.Auth != nil || o.Integration != nil && o.Integration.PayloadFormatVersion != "" {
				return true
			}
		}
	}
	for _, s := range d.SecuritySchemes {
		if s.Authorizer != nil && (s.Authorizer.Type == "jwt" || s.Authorizer.PayloadFormatVersion != "") {
			return true
		}
	}
	return false
}

// Load reads a standalone OpenAPI document. It always returns a Doc (with
// NotOpenAPI set for other YAML/JSON) and the problems found.
func Load(f *source.File) (*Doc, []Problem) {
	src, err := yamlpos.ParseDefinition(f)
	if err != nil {
		var sp source.Span
		if se, ok := err.(*yamlpos.SyntaxError); ok {
			sp = se.Span
		}
		return &Doc{File: f, Src: src}, []Problem{{Span: sp, Message: err.Error()}}
	}
	return FromNode(src, src.Root), nil
}

// FromNode reads the OpenAPI document rooted at node of src (a whole file,
// or a template's DefinitionBody/Body). It never fails: what cannot be read
// statically is left out and PathsKnown says so. A file already parsed as a
// template that turned out not to be one can be read without parsing it
// again: FromNode(t.Doc, t.Doc.Root).
func FromNode(src *yamlpos.Doc, node *yaml.Node) *Doc {
	d := &Doc{File: src.File, Src: src, Root: yamlpos.Resolve(node), Inline: node != src.Root}
	root := d.Root
	if root == nil || root.Kind != yaml.MappingNode {
		d.NotOpenAPI = true
		return d
	}
	for i := 0; i+1 < len(root.Content); i += 2 {
		k, v := root.Content[i], root.Content[i+1]
		d.noteExtension(k.Value)
		switch k.Value {
		case "openapi", "swagger":
			d.Version = scalar(v)
			d.VersionSpan = src.Span(v)
			if k.Value == "swagger" {
				d.Major = 2
			} else if strings.HasPrefix(d.Version, "3") {
				d.Major = 3
			}
		case "info":
			if tk, tv := yamlpos.Get(v, "title"); tk != nil {
				d.Title = scalar(tv)
				d.TitleSpan = src.Span(tv)
			}
		case "servers":
			for _, s := range yamlpos.Items(v) {
				d.readServer(s)
			}
		case "host":
			d.Host, d.HostSpan = scalar(v), src.Span(v)
		case "basePath":
			d.BasePath, d.BaseSpan = scalar(v), src.Span(v)
		case "schemes":
			for _, s := range yamlpos.Items(v) {
				d.Schemes = append(d.Schemes, scalar(s))
			}
		case "paths":
			d.readPaths(v)
		case "security":
			d.Security, d.SecuritySet, d.SecuritySpan = d.readSecurity(v), true, src.Span(v)
		case "securityDefinitions":
			d.readSchemes(v)
		case "components":
			d.readSchemes(yamlpos.Value(v, "securitySchemes"))
		case "x-amazon-apigateway-api-key-source":
			d.APIKeySource, d.APIKeySourceSpan = strings.ToUpper(scalar(v)), src.Span(v)
		case "x-amazon-apigateway-endpoint-configuration":
			d.Endpoint = d.readEndpoint(v)
		case "x-amazon-apigateway-policy":
			d.Policy, d.PolicySpan = v, src.Span(v)
		case "x-amazon-apigateway-importexport-version":
			d.ImportExportVersion = scalar(v)
		}
	}
	d.detectExport()
	if d.Version == "" && !d.PathsKnown {
		d.NotOpenAPI = true
	}
	return d
}

const gatewayPrefix = "x-amazon-apigateway-"

func (d *Doc) noteExtension(key string) {
	if !d.GatewayExtensions && strings.HasPrefix(key, gatewayPrefix) {
		d.GatewayExtensions = true
	}
}

// scalar returns the value of a plain (untagged) scalar, "" otherwise.
func scalar(n *yaml.Node) string {
	n = yamlpos.Resolve(n)
	if n == nil || n.Kind != yaml.ScalarNode || n.Tag == "!!null" {
		return ""
	}
	if strings.HasPrefix(n.Tag, "!") && !strings.HasPrefix(n.Tag, "!!") {
		return "" // an intrinsic function in a template body
	}
	return n.Value
}

func (d *Doc) readServer(s *yaml.Node) {
	s = yamlpos.Resolve(s)
	// SAM writes a server with only the endpoint configuration extension
	// (no url) for OpenAPI 3 definitions: read the extension either way.
	if uk, uv := yamlpos.Get(s, "url"); uk != nil {
		srv := &Server{URL: scalar(uv), Span: d.Src.Span(uv), Variables: map[string]string{}}
		for _, p := range yamlpos.Pairs(yamlpos.Value(s, "variables")) {
			def, _ := yamlpos.Str(p.Value, "default")
			srv.Variables[p.Key.Value] = def
		}
		srv.Resolved = expandVars(srv.URL, srv.Variables)
		d.Servers = append(d.Servers, srv)
	}
	if _, ev := yamlpos.Get(s, "x-amazon-apigateway-endpoint-configuration"); ev != nil && d.Endpoint == nil {
		d.Endpoint = d.readEndpoint(ev)
		d.GatewayExtensions = true
	}
}

// expandVars replaces {name} by its default; unknown variables stay.
func expandVars(u string, vars map[string]string) string {
	if !strings.Contains(u, "{") {
		return u
	}
	var b strings.Builder
	for {
		i := strings.IndexByte(u, '{')
		if i < 0 {
			b.WriteString(u)
			return b.String()
		}
		j := strings.IndexByte(u[i:], '}')
		if j < 0 {
			b.WriteString(u)
			return b.String()
		}
		b.WriteString(u[:i])
		name := u[i+1 : i+j]
		if v, ok := vars[name]; ok {
			b.WriteString(v)
		} else {
			b.WriteString(u[i : i+j+1])
		}
		u = u[i+j+1:]
	}
}

func (d *Doc) readPaths(v *yaml.Node) {
	v = yamlpos.Resolve(v)
	if v == nil || v.Kind != yaml.MappingNode {
		return
	}
	if _, _, ok := intrinsic(v); ok {
		return
	}
	d.PathsKnown = true
	d.Paths = make([]*Path, 0, len(v.Content)/2)
	for i := 0; i+1 < len(v.Content); i += 2 {
		k, pv := v.Content[i], yamlpos.Resolve(v.Content[i+1])
		if strings.HasPrefix(k.Value, "x-") {
			continue
		}
		p := &Path{Path: k.Value, KeySpan: d.Src.Span(k), Node: pv}
		d.Paths = append(d.Paths, p)
		if pv == nil || pv.Kind != yaml.MappingNode {
			continue
		}
		if _, _, ok := intrinsic(pv); ok {
			// Fn::If around a path item (SAM writes these): its methods
			// are not static.
			p.Ref = true
			d.PathsKnown = false
			continue
		}
		for j := 0; j+1 < len(pv.Content); j += 2 {
			mk, mv := pv.Content[j], pv.Content[j+1]
			m := mk.Value
			d.noteExtension(m)
			switch {
			case m == AnyMethod:
				m = "ANY"
			case isMethod(m):
				m = strings.ToUpper(m)
			default:
				if m == "$ref" {
					p.Ref = true
				}
				continue
			}
			p.Ops = append(p.Ops, d.readOperation(p.Path, m, mk, mv))
		}
	}
}

func isMethod(m string) bool {
	switch m {
	case "get", "put", "post", "delete", "options", "head", "patch", "trace":
		return true
	}
	return false
}

func (d *Doc) readOperation(path, method string, k, v *yaml.Node) *Operation {
	o := &Operation{Method: method, Path: path, KeySpan: d.Src.Span(k), Node: v, doc: d, key: k}
	v = yamlpos.Resolve(v)
	if v == nil || v.Kind != yaml.MappingNode {
		return o
	}
	for i := 0; i+1 < len(v.Content); i += 2 {
		key, val := v.Content[i], v.Content[i+1]
		d.noteExtension(key.Value)
		switch key.Value {
		case "operationId":
			o.OperationID = scalar(val)
		case "security":
			o.Security, o.SecuritySet, o.SecuritySpan = d.readSecurity(val), true, d.Src.Span(val)
		case "x-amazon-apigateway-integration":
			in := &Integration{Span: d.Src.Span(val)}
			in.Type = strings.ToLower(str(val, "type"))
			_, in.URINode = yamlpos.Get(val, "uri")
			in.URI = scalar(in.URINode)
			in.PayloadFormatVersion = str(val, "payloadFormatVersion")
			o.Integration = in
		case "x-amazon-apigateway-auth":
			o.Auth = &Auth{Type: strings.ToUpper(str(val, "type")), Span: d.Src.Span(val)}
		}
	}
	return o
}

// str returns the plain scalar value of key in mapping m.
func str(m *yaml.Node, key string) string {
	_, v := yamlpos.Get(m, key)
	return scalar(v)
}

func (d *Doc) readSecurity(v *yaml.Node) []*Requirement {
	items := yamlpos.Items(v)
	out := make([]*Requirement, 0, len(items))
	for _, it := range items {
		r := &Requirement{Span: d.Src.Span(it)}
		for _, p := range yamlpos.Pairs(it) {
			ref := SchemeRef{Name: p.Key.Value, Span: d.Src.Span(p.Key)}
			for _, s := range yamlpos.Items(p.Value) {
				ref.Scopes = append(ref.Scopes, scalar(s))
			}
			r.Schemes = append(r.Schemes, ref)
		}
		out = append(out, r)
	}
	return out
}

func (d *Doc) readSchemes(v *yaml.Node) {
	for _, p := range yamlpos.Pairs(v) {
		s := &SecurityScheme{Name: p.Key.Value, KeySpan: d.Src.Span(p.Key), Node: yamlpos.Resolve(p.Value)}
		for _, e := range yamlpos.Pairs(p.Value) {
			d.noteExtension(e.Key.Value)
			switch e.Key.Value {
			case "type":
				s.Type, s.TypeSpan = scalar(e.Value), d.Src.Span(e.Value)
			case "name":
				s.ParamName, s.NameSpan = scalar(e.Value), d.Src.Span(e.Value)
			case "in":
				s.In, s.InSpan = scalar(e.Value), d.Src.Span(e.Value)
			case "scheme":
				s.Scheme = scalar(e.Value)
			case "x-amazon-apigateway-authtype":
				s.AuthType, s.AuthTypeSpan = scalar(e.Value), d.Src.Span(e.Value)
			case "x-amazon-apigateway-authorizer":
				s.Authorizer = d.readAuthorizer(e.Value)
			}
		}
		d.SecuritySchemes = append(d.SecuritySchemes, s)
	}
}

func (d *Doc) readAuthorizer(v *yaml.Node) *Authorizer {
	a := &Authorizer{Node: yamlpos.Resolve(v), Span: d.Src.Span(v)}
	for _, e := range yamlpos.Pairs(v) {
		switch e.Key.Value {
		case "type":
			a.Type, a.TypeSpan = strings.ToLower(scalar(e.Value)), d.Src.Span(e.Value)
		case "identitySource":
			a.IdentitySourceSpan = d.Src.Span(e.Value)
			if s := scalar(e.Value); s != "" {
				for _, part := range strings.Split(s, ",") {
					if part = strings.TrimSpace(part); part != "" {
						a.IdentitySource = append(a.IdentitySource, part)
					}
				}
			}
			for _, it := range yamlpos.Items(e.Value) {
				if s := scalar(it); s != "" {
					a.IdentitySource = append(a.IdentitySource, s)
				}
			}
		case "authorizerUri":
			a.AuthorizerURINode = e.Value
			a.AuthorizerURI = scalar(e.Value)
		case "providerARNs":
			for _, it := range yamlpos.Items(e.Value) {
				a.ProviderARNs = append(a.ProviderARNs, scalar(it))
			}
		case "jwtConfiguration":
			a.JWTIssuer = str(e.Value, "issuer")
			for _, it := range yamlpos.Items(yamlpos.Value(e.Value, "audience")) {
				a.JWTAudience = append(a.JWTAudience, scalar(it))
			}
		case "authorizerResultTtlInSeconds":
			a.ResultTTL = scalar(e.Value)
		case "authorizerPayloadFormatVersion":
			a.PayloadFormatVersion = scalar(e.Value)
		}
	}
	return a
}

func (d *Doc) readEndpoint(v *yaml.Node) *EndpointConfig {
	ec := &EndpointConfig{Span: d.Src.Span(v)}
	if k, dv := yamlpos.Get(v, "disableExecuteApiEndpoint"); k != nil {
		ec.DisableSet = true
		ec.DisableExecuteAPIEndpoint = strings.EqualFold(scalar(dv), "true")
		ec.DisableSpan = d.Src.Span(dv)
	}
	if k, ids := yamlpos.Get(v, "vpcEndpointIds"); k != nil {
		ec.VpcEndpointIDsSpan = d.Src.Span(ids)
		for _, it := range yamlpos.Items(ids) {
			ec.VpcEndpointIDs = append(ec.VpcEndpointIDs, scalar(it))
		}
	}
	return ec
}

// intrinsic reports a CloudFormation intrinsic in place of a mapping
// (`Fn::Transform: AWS::Include` as a whole body or paths).
func intrinsic(n *yaml.Node) (string, *yaml.Node, bool) {
	if n == nil {
		return "", nil, false
	}
	if strings.HasPrefix(n.Tag, "!") && !strings.HasPrefix(n.Tag, "!!") {
		return n.Tag, n, true
	}
	if n.Kind == yaml.MappingNode && len(n.Content) == 2 {
		k := n.Content[0].Value
		if k == "Ref" || strings.HasPrefix(k, "Fn::") {
			return k, n.Content[1], true
		}
	}
	return "", nil, false
}

// executeAPIHost matches the default endpoint of an API Gateway API.
var executeAPIHost = regexp.MustCompile(`^([a-z0-9]{10})\.execute-api\.([a-z0-9-]+)\.amazonaws\.com(\.cn)?$`)

// ParseExecuteAPIHost returns the API id and region of an execute-api host
// name ("a1b2c3d4e5.execute-api.ap-northeast-1.amazonaws.com").
func ParseExecuteAPIHost(host string) (id, region string, ok bool) {
	m := executeAPIHost.FindStringSubmatch(strings.ToLower(host))
	if m == nil {
		return "", "", false
	}
	return m[1], m[2], true
}

func (d *Doc) detectExport() {
	for _, s := range d.Servers {
		u, err := url.Parse(s.Resolved)
		if err != nil {
			continue
		}
		if id, region, ok := ParseExecuteAPIHost(u.Host); ok {
			d.Export = &Export{APIID: id, Region: region, Stage: firstSegment(u.Path), Span: s.Span}
			return
		}
	}
	if id, region, ok := ParseExecuteAPIHost(d.Host); ok {
		d.Export = &Export{APIID: id, Region: region, Stage: firstSegment(d.BasePath), Span: d.HostSpan}
	}
}

func firstSegment(p string) string {
	p = strings.TrimLeft(p, "/")
	if i := strings.IndexByte(p, '/'); i >= 0 {
		p = p[:i]
	}
	return p
}
