package apimodel

import (
	"fmt"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/gw403/gw403-lsp/schemas/serverless"
	"github.com/gw403/gw403-lsp/schemas/template"
	"github.com/gw403/gw403-lsp/schemas/yamlpos"
)

// Serverless is the Origin of the APIs a serverless.yml declares.
const Serverless Origin = "serverless"

// slsCtx is the state of building one Serverless service.
type slsCtx struct {
	*tctx
	s     *serverless.Service
	rest  *API
	http  *API
	authz map[string]*Authorizer // REST authorizers by name
	// corsPaths are the REST paths whose http events set cors, with the
	// cors value of the first one.
	corsPaths []string
	corsLoc   map[string]Loc
}

// buildServerless adds the APIs, stages, routes, keys, usage plans,
// policies and domains a service declares, then its `resources:` section,
// which refers to the generated API as ApiGatewayRestApi / HttpApi.
func (b *builder) buildServerless(s *serverless.Service) {
	if s == nil || s.NotService || s.Doc == nil || s.Doc.Root == nil {
		return
	}
	if s.ProviderName != "" && !strings.EqualFold(s.ProviderName, "aws") {
		return
	}
	t := s.Resources
	if t == nil {
		t, _ = template.LoadSection(s.Doc, nil, template.Options{Vars: s.Resolve})
	}
	c := &slsCtx{tctx: newTctx(b, t), s: s, authz: map[string]*Authorizer{}, corsLoc: map[string]Loc{}}
	c.apisFromEvents()
	c.cors()
	if c.rest != nil {
		c.restProvider()
	}
	if c.http != nil {
		c.httpProvider()
	}
	c.usagePlans()
	c.unknownResources()
	c.domains()
	if s.Resources != nil {
		c.buildCFN()
		c.exports()
	}
	for _, a := range c.orderedAPIs() {
		finishAPI(a)
	}
}

func (c *slsCtx) provider(keys ...string) *yaml.Node {
	n := c.s.Provider
	for _, k := range keys {
		n = yamlpos.Resolve(yamlpos.Value(n, k))
	}
	return n
}

// valLoc points at the value of a key (the `true` of `private: true`):
// the fact is decided there, and rules read the literal there.
func (c *slsCtx) valLoc(m *yaml.Node, key string) Loc {
	k, v := yamlpos.Get(m, key)
	if k == nil {
		return Loc{}
	}
	return c.loc(v)
}

// keyLoc points at a key.
func (c *slsCtx) keyLoc(m *yaml.Node, key string) Loc {
	k, _ := yamlpos.Get(m, key)
	return c.loc(k)
}

// svalue evaluates a scalar with the framework's variables.
func (c *slsCtx) svalue(n *yaml.Node) Value {
	if n == nil {
		return Value{}
	}
	s, _, ok := c.s.Eval(n)
	if ok {
		return Known(s, c.loc(n))
	}
	r := yamlpos.Resolve(n)
	if r != nil && r.Kind == yaml.ScalarNode {
		return Value{S: r.Value, Loc: c.loc(n)}
	}
	return c.value(n) // CloudFormation intrinsics ({Ref: …})
}

// sbool evaluates a boolean.
func (c *slsCtx) sbool(n *yaml.Node) (value, known bool) { return c.s.Bool(n) }

func (c *slsCtx) stage() *Stage {
	st := c.s.Stage
	loc := c.loc(st.Node)
	if st.Node == nil {
		// No provider.stage: the CLI's --stage or "dev". Point at the
		// provider (where a stage would be written).
		loc = Loc{}
		if k, _ := yamlpos.Get(c.s.Doc.Root, "provider"); k != nil {
			loc = c.loc(k)
		}
	}
	return &Stage{Name: st.Name, Loc: loc, Deployed: true, Params: st.Params()}
}

// apisFromEvents creates the REST API (http events) and the HTTP API
// (httpApi events) with their routes.
func (c *slsCtx) apisFromEvents() {
	for _, f := range c.s.Functions {
		for _, e := range f.Events {
			switch e.Type {
			case serverless.HTTP:
				if c.rest == nil {
					c.rest = c.slsAPI(serverless.RestAPIID, REST, e)
				}
				c.restRoute(f, e)
			case serverless.HTTPAPI:
				if c.http == nil {
					c.http = c.slsAPI(serverless.HTTPAPIID, HTTP, e)
				}
				c.httpRoute(f, e)
			}
		}
	}
	if c.s.FunctionsUnknown {
		for _, a := range []*API{c.rest, c.http} {
			if a != nil {
				a.RoutesKnown = false
			}
		}
	}
	for _, f := range c.s.Functions {
		if f.EventsUnknown {
			for _, a := range []*API{c.rest, c.http} {
				if a != nil {
					a.RoutesKnown = false
				}
			}
		}
	}
}

func (c *slsCtx) slsAPI(id string, kind Kind, first *serverless.Event) *API {
	a := c.newAPI(id, kind, Serverless, c.loc(first.Key))
	name := c.s.Name
	if name == "" || strings.Contains(name, "${") {
		name = id
	}
	if kind == HTTP {
		name += " (httpApi)"
	}
	a.Name = name
	a.Region = c.s.Region
	if kind == HTTP {
		a.EndpointType = Regional
		addStage(a, &Stage{Name: "$default", Loc: c.loc(first.Key), Implicit: true, Deployed: true})
		return a
	}
	st := c.stage()
	if !c.s.Stage.Known {
		a.StagesKnown = false
	} else {
		addStage(a, st)
	}
	return a
}

// normSlsPath makes an event path an API Gateway resource path: the
// framework strips leading and trailing slashes.
func normSlsPath(p string) string {
	p = strings.Trim(strings.TrimSpace(p), "/")
	return "/" + p
}

func (c *slsCtx) restRoute(f *serverless.Function, e *serverless.Event) {
	a := c.rest
	if !e.Known {
		a.RoutesKnown = false
		return
	}
	r := &Route{Method: normMethod(e.Method), Path: normSlsPath(e.Path), Loc: c.loc(e.PathNode), Function: f.Name, Auth: Auth{Type: AuthNone}}
	if priv := e.Get("private"); priv != nil {
		if v, known := c.sbool(priv); v || !known {
			r.Auth.APIKeyRequired = v
			r.Auth.APIKeyLoc = c.valLoc(e.Node, "private")
		}
	}
	if au := e.Get("authorizer"); au != nil {
		r.Auth = c.restAuth(e, au, r.Auth)
	}
	if cv := e.Get("cors"); cv != nil {
		if on, known := c.sbool(cv); on || !known && yamlpos.IsMap(yamlpos.Resolve(cv)) {
			if _, seen := c.corsLoc[r.Path]; !seen {
				c.corsPaths = append(c.corsPaths, r.Path)
				c.corsLoc[r.Path] = c.loc(cv)
			}
		}
	}
	a.Routes = append(a.Routes, r)
}

// cors records the CORS settings: the framework adds to a REST API an
// OPTIONS method (a mock integration, no authorization, no API key) on
// every path whose http events set cors, unless an event defines OPTIONS
// there; an HTTP API with provider.httpApi.cors answers preflight
// requests itself, before any authorizer.
func (c *slsCtx) cors() {
	if a := c.rest; a != nil && len(c.corsPaths) > 0 {
		first := c.corsLoc[c.corsPaths[0]]
		a.CORS = &CORS{Loc: first, Preflight: Auth{Type: AuthNone, Loc: first}}
		has := map[string]bool{}
		for _, r := range a.Routes {
			if r.Method == "OPTIONS" {
				has[r.Path] = true
			}
		}
		for _, p := range c.corsPaths {
			if !has[p] {
				loc := c.corsLoc[p]
				a.Routes = append(a.Routes, &Route{Method: "OPTIONS", Path: p, Loc: loc, Auth: Auth{Type: AuthNone, Loc: loc}, CORS: true, Mock: true})
			}
		}
	}
	a := c.http
	if a == nil {
		return
	}
	k, v := yamlpos.Get(c.provider("httpApi"), "cors")
	if k == nil {
		return
	}
	if on, known := c.sbool(v); known && !on {
		return
	}
	loc := c.loc(k)
	a.CORS = &CORS{Loc: loc, Preflight: Auth{Type: AuthNone, Loc: loc}}
	has := map[string]bool{"$default": true}
	var paths []string
	for _, r := range a.Routes {
		if r.Method == "OPTIONS" {
			has[r.Path] = true
		}
	}
	for _, r := range a.Routes {
		if !has[r.Path] {
			has[r.Path] = true
			paths = append(paths, r.Path)
		}
	}
	for _, p := range paths {
		a.Routes = append(a.Routes, &Route{Method: "OPTIONS", Path: p, Loc: loc, Auth: Auth{Type: AuthNone, Loc: loc}, CORS: true, Mock: true})
	}
}

// restAuth reads an http event's authorizer: `aws_iam`, a function name,
// an ARN (Lambda or Cognito user pool), or a mapping with name / arn /
// type / identitySource / authorizerId.
func (c *slsCtx) restAuth(e *serverless.Event, n *yaml.Node, auth Auth) Auth {
	auth.Loc = c.valLoc(e.Node, "authorizer")
	name, arn, typ := "", Value{}, ""
	var identity *yaml.Node
	switch {
	case n.Kind == yaml.ScalarNode:
		s, ok := c.s.Str(n)
		switch {
		case !ok:
			auth.Type = AuthUnknown
			return auth
		case strings.EqualFold(s, "aws_iam"):
			auth.Type = AuthIAM
			return auth
		case !strings.Contains(s, ":"):
			name = s
		default:
			arn = Known(s, c.loc(n))
			name = arnName(s)
		}
	case yamlpos.IsMap(n):
		typ, _ = c.s.Str(yamlpos.Value(n, "type"))
		if strings.EqualFold(typ, "aws_iam") {
			auth.Type = AuthIAM
			return auth
		}
		if v := yamlpos.Value(n, "arn"); v != nil {
			arn = c.svalue(v)
			if arn.Known {
				name = arnName(arn.S)
			}
		}
		if v, ok := c.s.Str(yamlpos.Value(n, "name")); ok {
			name = v
		}
		identity = yamlpos.Value(n, "identitySource")
		if id := yamlpos.Resolve(yamlpos.Value(n, "authorizerId")); id != nil && name == "" {
			// An authorizer of another stack, named by its id (as written).
			name = "authorizerId"
			if id.Kind == yaml.ScalarNode {
				name = id.Value
			}
		}
	default:
		auth.Type = AuthUnknown
		return auth
	}
	key := name
	if key == "" {
		key = arn.S
	}
	// The framework creates one authorizer per name, merging the settings
	// of every event that names it: the last event's settings win, for
	// every route that uses the name.
	au := c.authz[key]
	if au == nil || key == "" {
		au = &Authorizer{Name: name}
		c.rest.Authorizers = append(c.rest.Authorizers, au)
		if key != "" {
			c.authz[key] = au
		}
	} else if n.Kind == yaml.ScalarNode {
		auth.Type, auth.Authorizer = au.Type, au
		return auth
	}
	au.Loc, au.Identity, au.IdentityLoc = c.loc(n), nil, Loc{}
	switch {
	case strings.EqualFold(typ, "COGNITO_USER_POOLS"), arn.Known && strings.Contains(arn.S, ":cognito-idp:"):
		au.Type = AuthCognito
	case strings.EqualFold(typ, "request"):
		au.Type = AuthRequest
	case typ == "" || strings.EqualFold(typ, "token"):
		au.Type = AuthToken
	default: // CUSTOM with an authorizerId, or not static
		au.Type = AuthUnknown
	}
	if identity != nil {
		au.IdentityLoc = c.loc(identity)
		if s, ok := c.s.Str(identity); ok {
			au.Identity = ParseIdentitySource(s)
		} else {
			au.Type = AuthUnknown
		}
	} else if au.Type != AuthRequest {
		au.Identity = []IdentitySource{{In: "header", Name: "Authorization"}}
	}
	auth.Type, auth.Authorizer = au.Type, au
	return auth
}

// upperFirst is the framework's normalizeName: the first letter upper-cased.
func upperFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// arnName is the last name of an ARN (…:function:authorize, …/userpool/x).
func arnName(arn string) string {
	if i := strings.LastIndexAny(arn, ":/"); i >= 0 {
		return arn[i+1:]
	}
	return arn
}

func (c *slsCtx) httpRoute(f *serverless.Function, e *serverless.Event) {
	a := c.http
	if !e.Known {
		a.RoutesKnown = false
		return
	}
	r := &Route{Method: normMethod(e.Method), Loc: c.loc(e.PathNode), Function: f.Name, Auth: Auth{Type: AuthNone}}
	if e.Path == "*" {
		r.Method, r.Path = "ANY", "$default"
	} else {
		r.Path = normPath(strings.TrimSpace(e.Path))
	}
	if au := yamlpos.Resolve(e.Get("authorizer")); au != nil {
		r.Auth.Loc = c.valLoc(e.Node, "authorizer")
		typ, _ := c.s.Str(yamlpos.Value(au, "type"))
		name, _ := c.s.Str(yamlpos.Value(au, "name"))
		if au.Kind == yaml.ScalarNode {
			name, _ = c.s.Str(au)
		}
		switch {
		case strings.EqualFold(typ, "aws_iam"):
			r.Auth.Type = AuthIAM
		case name != "":
			z := c.httpAuthorizer(name)
			r.Auth.Authorizer = z
			r.Auth.Type = AuthUnknown
			if z != nil {
				r.Auth.Type = z.Type
			}
		default:
			r.Auth.Type = AuthUnknown
		}
	}
	a.Routes = append(a.Routes, r)
}

// httpAuthorizer returns the authorizer provider.httpApi.authorizers names.
func (c *slsCtx) httpAuthorizer(name string) *Authorizer {
	for _, z := range c.http.Authorizers {
		if z.Name == name {
			return z
		}
	}
	k, v := yamlpos.Get(c.provider("httpApi", "authorizers"), name)
	if k == nil {
		return nil
	}
	z := &Authorizer{Name: name, Loc: c.loc(k)}
	typ, _ := c.s.Str(yamlpos.Value(v, "type"))
	switch {
	case strings.EqualFold(typ, "request"):
		z.Type = AuthRequest
	case typ == "" || strings.EqualFold(typ, "jwt"):
		z.Type = AuthJWT
		z.Identity = []IdentitySource{{In: "header", Name: "Authorization"}}
	default:
		z.Type = AuthUnknown
	}
	if _, is := yamlpos.Get(v, "identitySource"); is != nil {
		z.IdentityLoc = c.loc(is)
		z.Identity = nil
		for _, it := range append([]*yaml.Node{is}, yamlpos.Items(is)...) {
			if s, ok := c.s.Str(it); ok {
				z.Identity = append(z.Identity, ParseIdentitySource(s)...)
			}
		}
	}
	c.http.Authorizers = append(c.http.Authorizers, z)
	return z
}

// restProvider reads provider.endpointType, vpcEndpointIds and
// provider.apiGateway.
func (c *slsCtx) restProvider() {
	a := c.rest
	gw := c.provider("apiGateway")
	if v := yamlpos.Value(gw, "restApiId"); v != nil {
		// Routes are added to an API another stack owns: it may have
		// more routes, stages, keys and plans than this file shows, and
		// the framework applies none of the API's settings (endpoint
		// type, policy, key source) from this file.
		a.Exported = true
		a.RoutesKnown = false
		if id, ok := c.s.Str(v); ok && !strings.Contains(id, ":") {
			a.IDs = append(a.IDs, strings.ToLower(id))
		}
		return
	}
	if v := c.provider("endpointType"); v != nil {
		a.EndpointLoc = c.valLoc(c.s.Provider, "endpointType")
		if s, ok := c.s.Str(v); ok {
			a.EndpointType = EndpointType(strings.ToUpper(s))
		}
	}
	if _, ids := yamlpos.Get(c.s.Provider, "vpcEndpointIds"); ids != nil {
		for _, it := range yamlpos.Items(yamlpos.Resolve(ids)) {
			a.VpcEndpointIDs = append(a.VpcEndpointIDs, c.svalue(it))
		}
		if !yamlpos.IsSeq(yamlpos.Resolve(ids)) {
			a.VpcEndpointIDs = append(a.VpcEndpointIDs, c.svalue(ids))
		}
	}
	if k, v := c.s.APIGatewaySetting("resourcePolicy"); k != nil {
		c.resourcePolicy(k, v)
	}
	if gw == nil {
		return
	}
	dis := yamlpos.Value(yamlpos.Resolve(yamlpos.Value(gw, "endpoint")), "disable")
	loc := c.valLoc(yamlpos.Resolve(yamlpos.Value(gw, "endpoint")), "disable")
	if dis == nil {
		dis, loc = yamlpos.Value(gw, "disableDefaultEndpoint"), c.valLoc(gw, "disableDefaultEndpoint")
	}
	if dis != nil {
		a.DisableExecute, _ = c.sbool(dis)
		a.DisableLoc = loc
	}
	if v := yamlpos.Value(gw, "apiKeySourceType"); v != nil {
		s, _ := c.s.Str(v)
		a.APIKeySource = strings.ToUpper(s)
		a.APIKeySourceLoc = c.valLoc(gw, "apiKeySourceType")
	}
}

// resourcePolicy reads provider.apiGateway.resourcePolicy: a list of
// statements.
func (c *slsCtx) resourcePolicy(k, v *yaml.Node) {
	p := &Policy{Loc: c.loc(k), Known: true}
	items := yamlpos.Items(yamlpos.Resolve(v))
	if !yamlpos.IsSeq(yamlpos.Resolve(v)) {
		p.Known = false
	}
	for i, it := range items {
		if i == maxStatements {
			p.Known = false
			break
		}
		p.Statements = append(p.Statements, c.statement(it))
	}
	if len(items) > 0 || !p.Known {
		c.rest.Policy = p
	}
}

// httpProvider reads provider.httpApi.
func (c *slsCtx) httpProvider() {
	a := c.http
	h := c.provider("httpApi")
	if h == nil {
		return
	}
	if v := yamlpos.Value(h, "id"); v != nil {
		a.Exported, a.RoutesKnown = true, false
	}
	if v := yamlpos.Value(h, "disableDefaultEndpoint"); v != nil {
		a.DisableExecute, _ = c.sbool(v)
		a.DisableLoc = c.valLoc(h, "disableDefaultEndpoint")
	}
}

// usagePlans adds the usage plan(s) and keys the framework creates when
// provider.apiGateway has apiKeys or usagePlan.
func (c *slsCtx) usagePlans() {
	a := c.rest
	keysK, keys := c.s.APIGatewaySetting("apiKeys")
	planK, plans := c.s.APIGatewaySetting("usagePlan")
	if a == nil || a.Exported || keysK == nil && planK == nil {
		return
	}
	byName := map[string]*UsagePlan{}
	var first *UsagePlan
	add := func(name string, loc Loc) *UsagePlan {
		p := &UsagePlan{LogicalID: "ApiGatewayUsagePlan" + upperFirst(name), Loc: loc, Generated: true}
		for _, st := range a.Stages {
			p.Stages = append(p.Stages, &UsagePlanStage{API: a, Stage: Known(st.Name, st.Loc), Loc: loc})
		}
		byName[name] = p
		if first == nil {
			first = p
		}
		c.b.m.UsagePlans = append(c.b.m.UsagePlans, p)
		return p
	}
	if pl := yamlpos.Resolve(plans); yamlpos.IsSeq(pl) {
		for _, it := range yamlpos.Items(pl) {
			for _, p := range yamlpos.Pairs(yamlpos.Resolve(it)) {
				add(p.Key.Value, c.loc(p.Key))
			}
		}
	}
	if first == nil {
		loc := c.loc(planK)
		if planK == nil {
			loc = c.loc(keysK)
		}
		add("", loc)
	}
	// The framework's logical ids: ApiGatewayApiKey1, ApiGatewayApiKeyFree1 …
	count := map[string]int{}
	key := func(n *yaml.Node, p *UsagePlan, group string) {
		count[group]++
		id := fmt.Sprintf("ApiGatewayApiKey%s%d", upperFirst(group), count[group])
		k := &APIKey{LogicalID: id, Loc: c.loc(n), Generated: true, Plans: []*UsagePlan{p}}
		p.Keys = append(p.Keys, k)
		c.b.m.APIKeys = append(c.b.m.APIKeys, k)
	}
	for _, it := range yamlpos.Items(yamlpos.Resolve(keys)) {
		it = yamlpos.Resolve(it)
		if m := yamlpos.Pairs(it); len(m) == 1 && yamlpos.IsSeq(yamlpos.Resolve(m[0].Value)) {
			// Keys grouped by usage plan: `- free: [key1, key2]`.
			p := byName[m[0].Key.Value]
			if p == nil {
				p = first
			}
			for _, k := range yamlpos.Items(yamlpos.Resolve(m[0].Value)) {
				key(k, p, m[0].Key.Value)
			}
			continue
		}
		key(it, first, "")
	}
}

// unknownResources stands for the resources a `resources:` include
// (${file(…)}), a provider.apiGateway given by a variable, or the stack
// that owns a shared API (provider.apiGateway.restApiId) may add: a usage
// plan there may include the REST API, at a stage the file does not show. Rules that say "no usage plan" then stay
// quiet; the plan's Loc is the include.
func (c *slsCtx) unknownResources() {
	n := c.s.ResourcesUnknown
	gw := yamlpos.Resolve(yamlpos.Value(c.s.Provider, "apiGateway"))
	switch {
	case gw != nil && gw.Kind == yaml.ScalarNode && strings.Contains(gw.Value, "${"):
		n = gw // provider.apiGateway: ${file(…)} may hold apiKeys and usagePlan
	case yamlpos.Value(gw, "restApiId") != nil:
		n = yamlpos.Resolve(yamlpos.Value(gw, "restApiId")) // the API's owner has its plans
	}
	if n == nil || c.rest == nil {
		return
	}
	loc := c.loc(n)
	p := &UsagePlan{LogicalID: n.Value, Loc: loc}
	p.Stages = []*UsagePlanStage{{API: c.rest, Stage: Value{S: n.Value, Loc: loc}, Loc: loc}}
	c.b.m.UsagePlans = append(c.b.m.UsagePlans, p)
}

// domains reads the serverless-domain-manager plugin's custom.customDomain
// and custom.customDomains.
func (c *slsCtx) domains() {
	var cfgs []struct {
		kind string
		n    *yaml.Node
	}
	add := func(kind string, n *yaml.Node) {
		cfgs = append(cfgs, struct {
			kind string
			n    *yaml.Node
		}{kind, yamlpos.Resolve(n)})
	}
	one := func(n *yaml.Node) {
		n = yamlpos.Resolve(n)
		if !yamlpos.IsMap(n) {
			return
		}
		if yamlpos.Value(n, "domainName") != nil {
			add("", n)
			return
		}
		for _, p := range yamlpos.Pairs(n) {
			switch p.Key.Value {
			case "rest", "http", "websocket":
				add(p.Key.Value, p.Value)
			}
		}
	}
	one(yamlpos.Value(c.s.Custom, "customDomain"))
	for _, it := range yamlpos.Items(yamlpos.Resolve(yamlpos.Value(c.s.Custom, "customDomains"))) {
		one(it)
	}
	for _, cfg := range cfgs {
		c.domain(cfg.kind, cfg.n)
	}
}

func (c *slsCtx) domain(kind string, n *yaml.Node) {
	c.domainFor(kind, n, "")
	// A name looked up per stage (${self:custom.domains.${sls:stage}})
	// names the domain of every stage the lookup lists.
	if nn := yamlpos.Resolve(yamlpos.Value(n, "domainName")); nn != nil && nn.Kind == yaml.ScalarNode {
		for _, st := range c.s.StagesOf(nn.Value) {
			c.domainFor(kind, n, st)
		}
	}
}

// domainFor adds the domain a domain manager configuration declares for a
// deployment to stage ("" for the file's default stage).
func (c *slsCtx) domainFor(kind string, n *yaml.Node, stage string) {
	str := func(v *yaml.Node) (string, bool) {
		if stage == "" {
			return c.s.Str(v)
		}
		v = yamlpos.Resolve(v)
		if v == nil || v.Kind != yaml.ScalarNode || v.Tag == "!!null" {
			return "", false
		}
		out, _, ok := c.s.ResolveForStage(v.Value, stage)
		return out, ok
	}
	if kind == "" {
		kind = "rest"
		if t, ok := str(yamlpos.Value(n, "apiType")); ok {
			kind = strings.ToLower(t)
		}
	}
	if v := yamlpos.Value(n, "enabled"); v != nil {
		if s, ok := str(v); ok && strings.EqualFold(strings.TrimSpace(s), "false") {
			return
		}
	}
	var api *API
	k := REST
	switch kind {
	case "rest":
		api = c.rest
	case "http":
		api, k = c.http, HTTP
	default:
		return // WebSocket APIs are not modelled
	}
	nameNode := yamlpos.Value(n, "domainName")
	if nameNode == nil {
		return
	}
	name := c.svalue(nameNode)
	if stage != "" {
		s, ok := str(nameNode)
		if !ok {
			return
		}
		name = Known(s, c.loc(nameNode))
	}
	d := c.b.domain(k, name, c.t.File.Path)
	d.External = false
	d.LogicalID, d.File, d.Loc = "customDomain", c.t.File.Path, c.loc(nameNode)
	d.EndpointType = Edge
	if t, ok := str(yamlpos.Value(n, "endpointType")); ok {
		d.EndpointType = EndpointType(strings.ToUpper(t))
	}
	if k == HTTP && d.EndpointType == Edge {
		d.EndpointType = Regional
	}
	if v := yamlpos.Value(n, "tlsTruststoreUri"); v != nil {
		d.MTLS, d.MTLSLoc = true, c.keyLoc(n, "tlsTruststoreUri")
	}
	m := &Mapping{Known: true, API: api, Loc: c.loc(nameNode)}
	if bp := yamlpos.Value(n, "basePath"); bp != nil {
		m.Loc = c.valLoc(n, "basePath")
		s, ok := str(bp)
		m.Known = ok
		if ok && s != "(none)" {
			m.BasePath = strings.Trim(s, "/")
		}
	}
	switch {
	case k == HTTP:
		m.Stage = "$default"
	case yamlpos.Value(n, "stage") != nil:
		if s, ok := str(yamlpos.Value(n, "stage")); ok {
			m.Stage = s
		} else {
			m.StageUnknown = true
		}
	case stage != "":
		m.Stage = stage
	case c.s.Stage.Known:
		m.Stage = c.s.Stage.Name
	default:
		m.StageUnknown = true
	}
	d.Mappings = append(d.Mappings, m)
}
