package apimodel

import (
	"path"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/gw403/gw403-lsp/schemas/openapi"
	"github.com/gw403/gw403-lsp/schemas/source"
	"github.com/gw403/gw403-lsp/schemas/template"
	"github.com/gw403/gw403-lsp/schemas/yamlpos"
)

// docCtx reads an OpenAPI document into an API. For an inline body, values
// are evaluated with the template (t != nil); a standalone document has
// plain values only.
type docCtx struct {
	doc *openapi.Doc
	t   *template.Template
	sam *samAPI // SAM defaults for operations without security; may be nil
	api *API
	// authorizers by security scheme name: the doc's own, then SAM's.
	authorizers map[string]*Authorizer
}

func (d *docCtx) loc(sp source.Span) Loc { return Loc{Path: d.doc.File.Path, Span: sp} }

func (d *docCtx) nodeLoc(n *yaml.Node) Loc {
	if n == nil {
		return Loc{}
	}
	return d.loc(d.doc.Src.Span(n))
}

// addDoc adds a template's definition document (inline or DefinitionUri).
func (c *tctx) addDoc(a *API, doc *openapi.Doc, s *samAPI) {
	dc := &docCtx{doc: doc, sam: s, api: a, authorizers: map[string]*Authorizer{}}
	if doc.Inline {
		dc.t = c.t
	}
	dc.apply()
}

// standalone turns a workspace OpenAPI document into an API of its own.
func (b *builder) standalone(doc *openapi.Doc) {
	kind := REST
	if doc.LooksHTTPAPI() {
		kind = HTTP
	}
	name := doc.Title
	if name == "" {
		name = path.Base(doc.File.Path)
	}
	a := &API{Name: name, Kind: kind, Origin: OpenAPI, File: doc.File.Path, RoutesKnown: true, DefinitionFile: doc.File.Path,
		GatewayUnconfirmed: !doc.GatewayExtensions && doc.Export == nil}
	dc := &docCtx{doc: doc, api: a, authorizers: map[string]*Authorizer{}}
	switch {
	case doc.Title != "":
		a.Loc = dc.loc(doc.TitleSpan)
	default:
		a.Loc = dc.loc(doc.VersionSpan)
	}
	a.DefinitionLoc = dc.nodeLoc(doc.Root)
	// A document does not list the stages of the API: at most the one it
	// was exported from.
	a.StagesKnown = false
	if e := doc.Export; e != nil {
		a.IDs = []string{e.APIID}
		a.Region = e.Region
		st := e.Stage
		if st == "" && kind == HTTP {
			st = "$default"
		}
		if st != "" {
			a.Stages = append(a.Stages, &Stage{Name: st, Loc: dc.loc(e.Span), Deployed: true})
		}
	}
	dc.apply()
	finishAPI(a)
	b.m.APIs = append(b.m.APIs, a)
}

// apply adds the document's routes, authorizers, endpoint facts and policy
// to the API.
func (d *docCtx) apply() {
	doc, a := d.doc, d.api
	if !doc.PathsKnown {
		a.RoutesKnown = false
	}
	for _, sch := range doc.SecuritySchemes {
		if au := d.schemeAuthorizer(sch); au != nil {
			d.authorizers[sch.Name] = au
			if a.authorizerNamed(au.Name) == nil {
				a.Authorizers = append(a.Authorizers, au)
			}
		}
	}
	if doc.APIKeySource != "" && a.APIKeySource == "" {
		a.APIKeySource, a.APIKeySourceLoc = doc.APIKeySource, d.loc(doc.APIKeySourceSpan)
	}
	if ec := doc.Endpoint; ec != nil {
		if ec.DisableSet && a.DisableLoc.IsZero() {
			a.DisableExecute, a.DisableLoc = ec.DisableExecuteAPIEndpoint, d.loc(ec.DisableSpan)
		}
		if len(a.VpcEndpointIDs) == 0 {
			for _, id := range ec.VpcEndpointIDs {
				a.VpcEndpointIDs = append(a.VpcEndpointIDs, Known(id, d.loc(ec.VpcEndpointIDsSpan)))
			}
		}
	}
	if doc.Policy != nil && a.Policy == nil {
		a.Policy = d.policy(doc.Policy)
	}
	for _, p := range doc.Paths {
		if p.Ref {
			a.RoutesKnown = false
		}
		for _, op := range p.Ops {
			rt := &Route{Method: op.Method, Path: normPath(op.Path), Loc: d.loc(op.KeySpan)}
			rt.Auth = d.routeAuth(op)
			if op.Integration != nil && d.t != nil && op.Integration.URINode != nil {
				rt.Function = functionOfURI(d.t.Eval(op.Integration.URINode))
			}
			rt.Mock = op.Integration != nil && op.Integration.Type == "mock"
			a.Routes = append(a.Routes, rt)
		}
	}
}

func (a *API) authorizerNamed(name string) *Authorizer {
	for _, au := range a.Authorizers {
		if au.Name == name {
			return au
		}
	}
	return nil
}

// functionOfURI finds the Lambda function an integration URI names
// (`…/functions/${Fn.Arn}/invocations`).
func functionOfURI(v template.Value) string {
	for _, p := range v.Parts {
		if p.Kind == template.ResourceRef && (p.Attr == "Arn" || p.Attr == "") {
			return p.LogicalID
		}
	}
	return ""
}

// schemeAuthorizer returns the authorizer a security scheme defines (nil
// for plain API keys and schemes API Gateway does not enforce).
func (d *docCtx) schemeAuthorizer(s *openapi.SecurityScheme) *Authorizer {
	au := &Authorizer{Name: s.Name, Loc: d.loc(s.KeySpan)}
	at := strings.ToLower(s.AuthType)
	switch {
	case at == "awssigv4":
		au.Type = AuthIAM
		return au
	case s.Authorizer != nil:
		switch s.Authorizer.Type {
		case "token":
			au.Type = AuthToken
		case "request":
			au.Type = AuthRequest
		case "cognito_user_pools":
			au.Type = AuthCognito
		case "jwt":
			au.Type = AuthJWT
		default:
			if at == "cognito_user_pools" {
				au.Type = AuthCognito
			} else {
				au.Type = AuthUnknown
			}
		}
		au.Identity = ParseIdentitySource(s.Authorizer.IdentitySource...)
		if !s.Authorizer.IdentitySourceSpan.IsEmpty() {
			au.IdentityLoc = d.loc(s.Authorizer.IdentitySourceSpan)
		}
	case at == "cognito_user_pools":
		au.Type = AuthCognito
	default:
		return nil
	}
	// TOKEN and Cognito authorizers read the header the scheme names when
	// no identitySource is given.
	if len(au.Identity) == 0 && (au.Type == AuthToken || au.Type == AuthCognito) && strings.EqualFold(s.In, "header") && s.ParamName != "" {
		au.Identity = []IdentitySource{{In: "header", Name: s.ParamName}}
		au.IdentityLoc = d.loc(s.NameSpan)
	}
	return au
}

// routeAuth decides an operation's auth from its security requirements.
func (d *docCtx) routeAuth(op *openapi.Operation) Auth {
	if op.Auth != nil {
		switch op.Auth.Type {
		case "AWS_IAM":
			return Auth{Type: AuthIAM, Loc: d.loc(op.Auth.Span)}
		case "NONE":
			return Auth{Type: AuthNone, Loc: d.loc(op.Auth.Span)}
		}
	}
	reqs, set, sp := op.EffectiveSecurity()
	if !set && d.sam != nil {
		// SAM applies its defaults to the definition's operations, and
		// its preflight defaults to their options operations.
		if op.Method == "OPTIONS" && d.sam.api.Kind == REST {
			return d.sam.preflight
		}
		return d.sam.defaultsAuth()
	}
	if len(reqs) == 0 {
		return Auth{Type: AuthNone, Loc: d.loc(sp)}
	}
	var out Auth
	for i, r := range reqs {
		a := d.requirementAuth(r)
		if i == 0 {
			out = a
			continue
		}
		// Any one requirement lets a request in: unless they agree, the
		// type is unknown, and a key is required only if all require it.
		if a.Type != out.Type || a.Authorizer != out.Authorizer {
			out.Type, out.Authorizer = AuthUnknown, nil
		}
		out.APIKeyRequired = out.APIKeyRequired && a.APIKeyRequired
	}
	if out.Loc.IsZero() {
		out.Loc = d.loc(sp)
	}
	return out
}

func (d *docCtx) requirementAuth(r *openapi.Requirement) Auth {
	out := Auth{Type: AuthNone, Loc: d.loc(r.Span)}
	for _, ref := range r.Schemes {
		sch := d.doc.Scheme(ref.Name)
		if au := d.authorizers[ref.Name]; au != nil {
			out.Type, out.Authorizer, out.Loc = au.Type, au, d.loc(ref.Span)
			if au.Type == AuthIAM {
				out.Authorizer = nil
			}
			continue
		}
		if d.sam != nil {
			if au := d.sam.authorizers[ref.Name]; au != nil {
				out.Type, out.Authorizer, out.Loc = au.Type, au, d.loc(ref.Span)
				continue
			}
		}
		switch {
		case sch == nil && ref.Name == "api_key" && d.sam != nil:
			out.APIKeyRequired, out.APIKeyLoc = true, d.loc(ref.Span)
		case sch == nil:
			out.Type, out.Loc = AuthUnknown, d.loc(ref.Span)
		case strings.EqualFold(sch.Type, "apiKey") && sch.AuthType == "":
			out.APIKeyRequired, out.APIKeyLoc = true, d.loc(ref.Span)
		default:
			// oauth2, openIdConnect, http … without an API Gateway extension.
			out.Type, out.Loc = AuthUnknown, d.loc(ref.Span)
		}
	}
	return out
}

// defaultsAuth is the auth SAM gives an operation it did not define.
func (s *samAPI) defaultsAuth() Auth {
	var au Auth
	switch {
	case s.defaultUnknown:
		au = Auth{Type: AuthUnknown, Loc: s.defaultAuthLoc}
	case s.defaultAuth == "" || strings.EqualFold(s.defaultAuth, "NONE"):
		au = Auth{Type: AuthNone, Loc: s.defaultAuthLoc}
	case s.defaultAuth == "AWS_IAM":
		au = Auth{Type: AuthIAM, Loc: s.defaultAuthLoc}
	default:
		if a := s.authorizers[s.defaultAuth]; a != nil {
			au = Auth{Type: a.Type, Authorizer: a, Loc: s.defaultAuthLoc}
		} else {
			au = Auth{Type: AuthUnknown, Loc: s.defaultAuthLoc}
		}
	}
	if s.api.Kind == REST {
		au.APIKeyRequired, au.APIKeyLoc = s.apiKeyRequired, s.apiKeyLoc
	}
	return au
}

// policy reads a policy document node of an OpenAPI document.
func (d *docCtx) policy(n *yaml.Node) *Policy {
	pc := policyReader{loc: d.nodeLoc, value: func(n *yaml.Node) Value {
		if d.t != nil {
			v := d.t.Eval(n)
			if s, ok := v.Str(); ok {
				return Known(s, d.nodeLoc(n))
			}
			return Value{S: v.Display(), Loc: d.nodeLoc(n)}
		}
		if s, ok := plainScalar(n); ok {
			return Known(s, d.nodeLoc(n))
		}
		return Value{Loc: d.nodeLoc(n)}
	}}
	return pc.policy(n)
}

func plainScalar(n *yaml.Node) (string, bool) {
	n = yamlpos.Resolve(n)
	if n == nil || n.Kind != yaml.ScalarNode || n.Tag == "!!null" || strings.HasPrefix(n.Tag, "!") && !strings.HasPrefix(n.Tag, "!!") {
		return "", false
	}
	return n.Value, true
}
