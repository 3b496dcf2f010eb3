package apimodel

import (
	"slices"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2/hclsyntax"
	"gopkg.in/yaml.v3"

	"github.com/gw403/gw403-lsp/schemas/openapi"
	"github.com/gw403/gw403-lsp/schemas/source"
	"github.com/gw403/gw403-lsp/schemas/terraform"
	"github.com/gw403/gw403-lsp/schemas/yamlpos"
)

// Terraform is the Origin of APIs a Terraform configuration declares.
const Terraform Origin = "terraform"

// TFDeployment is the Terraform side of a Deployment: what makes it
// redeploy when the API changes.
type TFDeployment struct {
	// Triggers is the `triggers` attribute (zero when absent).
	TriggersLoc Loc
	// Redeploys reports another attribute that changes with the API or on
	// every apply (a description or variables computed from the body,
	// timestamp()).
	Redeploys bool
	// CreateBeforeDestroy reports a lifecycle block with
	// create_before_destroy = true.
	CreateBeforeDestroy bool
}

// tfctx is the state of building a Terraform configuration.
type tfctx struct {
	b    *builder
	cfg  *terraform.Config
	apis map[string]*API // by rest_api / apigatewayv2_api instance address
	// marker → object, for the ids other resources refer to.
	authz   map[string]*Authorizer
	plans   map[string]*UsagePlan
	keys    map[string]*APIKey
	domains map[string]*Domain
	webACLs map[string]*WebACL
	paths   map[string]string // aws_api_gateway_resource address → path ("" unknown)
	// fns maps a method instance address to the Lambda function of its
	// integration (built on first use).
	fns map[string]string
}

func (b *builder) terraform(cfg *terraform.Config) {
	if cfg == nil {
		return
	}
	c := &tfctx{b: b, cfg: cfg, apis: map[string]*API{}, authz: map[string]*Authorizer{}, plans: map[string]*UsagePlan{},
		keys: map[string]*APIKey{}, domains: map[string]*Domain{}, webACLs: map[string]*WebACL{}, paths: map[string]string{}}
	byType := func(types ...string) []*terraform.Resource {
		var out []*terraform.Resource
		for _, r := range cfg.Resources {
			if slices.Contains(types, r.Type) {
				out = append(out, r)
			}
		}
		return out
	}
	for _, r := range byType("aws_api_gateway_rest_api") {
		c.restAPI(r)
	}
	for _, r := range byType("aws_apigatewayv2_api") {
		c.httpAPI(r)
	}
	for _, r := range byType("aws_api_gateway_rest_api_policy") {
		if a := c.api(r, "rest_api_id"); a != nil {
			a.Policy = c.policy(r, r.Attr("policy"))
		}
	}
	for _, r := range byType("aws_api_gateway_authorizer", "aws_apigatewayv2_authorizer") {
		c.authorizer(r)
	}
	for _, r := range byType("aws_api_gateway_method") {
		c.method(r)
	}
	for _, r := range byType("aws_apigatewayv2_route") {
		c.route(r)
	}
	for _, r := range byType("aws_api_gateway_deployment") {
		c.deployment(r)
	}
	for _, r := range byType("aws_api_gateway_stage", "aws_apigatewayv2_stage") {
		c.stage(r)
	}
	for _, r := range byType("aws_api_gateway_domain_name", "aws_apigatewayv2_domain_name") {
		c.domainName(r)
	}
	for _, r := range byType("aws_api_gateway_base_path_mapping", "aws_apigatewayv2_api_mapping") {
		c.mapping(r)
	}
	for _, r := range byType("aws_api_gateway_usage_plan") {
		c.usagePlan(r)
	}
	for _, r := range byType("aws_api_gateway_api_key") {
		k := &APIKey{LogicalID: r.Addr, Loc: c.header(r)}
		c.keys[terraform.Ref(r.Addr, "id")] = k
		c.b.m.APIKeys = append(c.b.m.APIKeys, k)
	}
	for _, r := range byType("aws_api_gateway_usage_plan_key") {
		kid, _, _ := r.Str(nil, "key_id")
		pid, _, _ := r.Str(nil, "usage_plan_id")
		key, plan := c.keys[kid], c.plans[pid]
		if key != nil && plan != nil {
			key.Plans = append(key.Plans, plan)
			plan.Keys = append(plan.Keys, key)
		}
	}
	for _, r := range byType("aws_wafv2_web_acl") {
		c.webACL(r)
	}
	for _, r := range byType("aws_wafv2_web_acl_association") {
		c.webACLAssociation(r)
	}
	c.undecided()
	for _, a := range c.apis {
		if r := c.cfg.Resource(a.LogicalID); r != nil && r.Module.Broken() {
			// A file of its module has a syntax error (GW001): what HCL
			// recovered may lack methods, stages, plans, deployments.
			a.RoutesKnown, a.StagesKnown, a.Exported = false, false, true
		}
	}
	for _, a := range c.ordered() {
		finishAPI(a)
		if a.Kind == REST && len(a.Routes) == 0 && a.DefinitionLoc.IsZero() {
			a.RoutesKnown = false // its methods are defined elsewhere
		}
	}
}

// undecided marks what remote modules and undecided instances may add:
// an API whose id is passed to a remote module may get methods, stages
// and mappings there.
func (c *tfctx) undecided() {
	for _, m := range c.cfg.Modules {
		for _, call := range m.RemoteCalls {
			for ref := range terraform.References(call.Body) {
				for _, a := range c.apis {
					if r := c.cfg.Resource(a.LogicalID); r != nil && r.Module == m && r.Key() == ref {
						a.Exported = true
						a.RoutesKnown = false
						a.StagesKnown = false
					}
				}
			}
		}
	}
	for _, r := range c.cfg.Resources {
		if !r.Undecided {
			continue
		}
		switch r.Type {
		case "aws_api_gateway_method", "aws_apigatewayv2_route", "aws_api_gateway_resource":
			if a := c.anyAPI(r); a != nil {
				a.RoutesKnown = false
			}
		case "aws_api_gateway_stage", "aws_apigatewayv2_stage", "aws_api_gateway_deployment":
			if a := c.anyAPI(r); a != nil {
				a.StagesKnown = false
			}
		}
	}
}

func (c *tfctx) anyAPI(r *terraform.Resource) *API {
	if a := c.api(r, "rest_api_id"); a != nil {
		return a
	}
	return c.api(r, "api_id")
}

func (c *tfctx) ordered() []*API {
	var out []*API
	for _, a := range c.b.m.APIs {
		if a.Origin == Terraform {
			out = append(out, a)
		}
	}
	return out
}

func (c *tfctx) loc(r *terraform.Resource, sp source.Span) Loc {
	return Loc{Path: r.File.Path(), Span: sp}
}

// header is the `resource "TYPE" "NAME"` line of r.
func (c *tfctx) header(r *terraform.Resource) Loc {
	return c.loc(r, terraform.HeaderSpan(r.Block))
}

// attrLoc is the span of attribute a (`name = value`), or the header.
func (c *tfctx) attrLoc(r *terraform.Resource, a *hclsyntax.Attribute) Loc {
	if a == nil {
		return c.header(r)
	}
	return c.loc(r, terraform.Span(a.SrcRange))
}

// api returns the API attribute key of r names.
func (c *tfctx) api(r *terraform.Resource, key string) *API {
	s, ok, _ := r.Str(nil, key)
	if !ok {
		return nil
	}
	addr, attr, ok := terraform.ParseRef(s)
	if !ok || attr != "id" {
		return nil
	}
	return c.apis[addr]
}

func (c *tfctx) newAPI(r *terraform.Resource, kind Kind) *API {
	a := &API{
		Name: r.Addr, LogicalID: r.Addr, Kind: kind, Origin: Terraform,
		File: r.File.Path(), Loc: c.header(r),
		StagesKnown: true, RoutesKnown: true,
		Region: r.Region(),
	}
	c.apis[r.Addr] = a
	c.b.m.APIs = append(c.b.m.APIs, a)
	return a
}

func (c *tfctx) restAPI(r *terraform.Resource) {
	a := c.newAPI(r, REST)
	for _, ec := range r.Blocks(nil, "endpoint_configuration") {
		if at := ec.Body.Attributes["types"]; at != nil {
			a.EndpointLoc = c.attrLoc(r, at)
			if ts, ok := terraform.Strings(r.Eval(at.Expr)); ok && len(ts) > 0 {
				a.EndpointType = EndpointType(strings.ToUpper(ts[0]))
			}
		}
		if at := ec.Body.Attributes["vpc_endpoint_ids"]; at != nil {
			loc := c.attrLoc(r, at)
			if ids, ok := terraform.Strings(r.Eval(at.Expr)); ok {
				for _, id := range ids {
					a.VpcEndpointIDs = append(a.VpcEndpointIDs, tfValue(id, loc))
				}
			} else {
				a.VpcEndpointIDs = append(a.VpcEndpointIDs, Value{Loc: loc})
			}
		}
	}
	if v, _, at := r.Bool(nil, "disable_execute_api_endpoint"); at != nil {
		a.DisableExecute, a.DisableLoc = v, c.attrLoc(r, at)
	}
	if s, ok, at := r.Str(nil, "api_key_source"); at != nil {
		if ok {
			a.APIKeySource = strings.ToUpper(s)
		}
		a.APIKeySourceLoc = c.attrLoc(r, at)
	}
	if at := r.Attr("policy"); at != nil {
		a.Policy = c.policy(r, at)
	}
	if at := r.Attr("body"); at != nil {
		c.body(r, a, at)
	}
}

// tfValue is a Value whose reference markers make it unknown.
func tfValue(s string, loc Loc) Value {
	if strings.Contains(s, "${") {
		return Value{S: s, Loc: loc}
	}
	return Known(s, loc)
}

// body reads a rest_api or apigatewayv2_api `body`.
func (c *tfctx) body(r *terraform.Resource, a *API, at *hclsyntax.Attribute) {
	a.DefinitionLoc = c.attrLoc(r, at)
	d := r.Document(at)
	switch {
	case !d.Known:
		a.RoutesKnown = false
	case d.FilePath != "":
		doc := c.b.docs[d.FilePath]
		if doc == nil || doc.Root == nil {
			a.RoutesKnown = false
			return
		}
		c.b.used[doc] = true
		a.DefinitionFile = doc.File.Path
		(&docCtx{doc: doc, api: a, authorizers: map[string]*Authorizer{}}).apply()
	case d.Root != nil:
		doc := openapi.FromNode(d.Src, d.Root)
		a.DefinitionFile = r.File.Path()
		(&docCtx{doc: doc, api: a, authorizers: map[string]*Authorizer{}}).apply()
	default:
		a.RoutesKnown = false
	}
}

func (c *tfctx) httpAPI(r *terraform.Resource) {
	proto, ok, _ := r.Str(nil, "protocol_type")
	if ok && !strings.EqualFold(proto, "HTTP") {
		return
	}
	a := c.newAPI(r, HTTP)
	if v, _, at := r.Bool(nil, "disable_execute_api_endpoint"); at != nil {
		a.DisableExecute, a.DisableLoc = v, c.attrLoc(r, at)
	}
	if at := r.Attr("body"); at != nil {
		c.body(r, a, at)
	}
	if t := r.Attr("target"); t != nil {
		// Quick create: a default route and an auto-deployed $default stage.
		key, loc := "$default", c.attrLoc(r, t)
		if s, ok, rk := r.Str(nil, "route_key"); rk != nil {
			key, loc = s, c.attrLoc(r, rk)
			if !ok {
				a.RoutesKnown = false
			}
		}
		if m, p, ok := splitRouteKey(key); ok {
			a.Routes = append(a.Routes, &Route{Method: m, Path: p, Loc: loc, Auth: Auth{Type: AuthNone}})
		}
		addStage(a, &Stage{Name: "$default", Loc: loc, Implicit: true, Deployed: true})
	}
}

// policy reads a policy attribute: jsonencode() of an object, a literal
// JSON heredoc, or a string computed from static values.
func (c *tfctx) policy(r *terraform.Resource, at *hclsyntax.Attribute) *Policy {
	loc := c.attrLoc(r, at)
	if at == nil {
		return &Policy{Loc: loc}
	}
	d := r.Document(at)
	if !d.Known || d.Root == nil {
		return &Policy{Loc: loc, Known: false}
	}
	src := d.Src
	nloc := func(n *yaml.Node) Loc {
		if n == nil {
			return Loc{}
		}
		return Loc{Path: r.File.Path(), Span: src.Span(n)}
	}
	pr := policyReader{loc: nloc, value: func(n *yaml.Node) Value {
		if s, ok := plainScalar(n); ok {
			return Known(s, nloc(n))
		}
		if rn := yamlpos.Resolve(n); rn != nil && rn.Kind == yaml.ScalarNode {
			return Value{S: rn.Value, Loc: nloc(n)}
		}
		return Value{Loc: nloc(n)}
	}}
	p := pr.policy(d.Root)
	p.Loc = loc
	return p
}

func (c *tfctx) authorizer(r *terraform.Resource) {
	au := &Authorizer{Name: r.Addr, Loc: c.header(r)}
	if n, ok, _ := r.Str(nil, "name"); ok {
		au.Name = n
	}
	typKey, idKey, isKey := "type", "rest_api_id", "identity_source"
	if r.Type == "aws_apigatewayv2_authorizer" {
		typKey, idKey, isKey = "authorizer_type", "api_id", "identity_sources"
	}
	typ, ok, at := r.Str(nil, typKey)
	if at == nil && r.Type == "aws_api_gateway_authorizer" {
		typ, ok = "TOKEN", true // the provider's default
	}
	au.Type = AuthUnknown
	if ok {
		au.Type = authorizerType(typ)
	}
	if at := r.Attr(isKey); at != nil {
		if vs, ok := terraform.Strings(r.Eval(at.Expr)); ok {
			au.Identity = ParseIdentitySource(vs...)
		}
		au.IdentityLoc = c.attrLoc(r, at)
	} else if au.Type == AuthToken || au.Type == AuthCognito {
		au.Identity = []IdentitySource{{In: "header", Name: "Authorization"}}
	}
	c.authz[terraform.Ref(r.Addr, "id")] = au
	if a := c.api(r, idKey); a != nil {
		a.Authorizers = append(a.Authorizers, au)
	}
}

// resourcePath returns the path of the resource id s names.
func (c *tfctx) resourcePath(s string, depth int) (string, bool) {
	addr, attr, ok := terraform.ParseRef(s)
	if !ok || depth > 64 {
		return "", false
	}
	if attr == "root_resource_id" {
		return "/", c.apis[addr] != nil || c.cfg.Resource(addr) != nil
	}
	if attr != "id" {
		return "", false
	}
	if p, ok := c.paths[addr]; ok {
		return p, p != ""
	}
	r := c.cfg.Resource(addr)
	if r == nil || r.Type != "aws_api_gateway_resource" || r.Undecided {
		return "", false
	}
	c.paths[addr] = ""
	ps, ok1, _ := r.Str(nil, "parent_id")
	part, ok2, _ := r.Str(nil, "path_part")
	if !ok1 || !ok2 || strings.Contains(part, "${") {
		return "", false
	}
	parent, ok := c.resourcePath(ps, depth+1)
	if !ok {
		return "", false
	}
	p := strings.TrimSuffix(parent, "/") + "/" + part
	c.paths[addr] = p
	return p, true
}

func (c *tfctx) method(r *terraform.Resource) {
	a := c.api(r, "rest_api_id")
	if a == nil {
		c.unattached(r, "rest_api_id", REST, true)
		return
	}
	if a.Kind != REST {
		return
	}
	rid, ok0, _ := r.Str(nil, "resource_id")
	p, ok := c.resourcePath(rid, 0)
	m, ok2, _ := r.Str(nil, "http_method")
	if !ok0 || !ok || !ok2 || r.Undecided {
		a.RoutesKnown = false
		return
	}
	rt := &Route{Method: normMethod(m), Path: p, Loc: c.header(r), Def: r.Addr}
	rt.Auth = c.tfAuth(r, "authorization")
	if v, _, at := r.Bool(nil, "api_key_required"); at != nil {
		rt.Auth.APIKeyRequired, rt.Auth.APIKeyLoc = v, c.attrLoc(r, at)
	}
	rt.Function = c.integrationFunction(r)
	a.Routes = append(a.Routes, rt)
}

// integrationFunction finds the Lambda function of the method's
// integration (aws_api_gateway_integration with the same resource and
// method, whose uri is a function's invoke_arn).
func (c *tfctx) integrationFunction(m *terraform.Resource) string {
	if c.fns == nil {
		c.fns = map[string]string{}
		byKey := map[*terraform.Module]map[string][]*terraform.Resource{} // methods by "type.name"
		for _, r := range c.cfg.Resources {
			if r.Type == "aws_api_gateway_method" {
				if byKey[r.Module] == nil {
					byKey[r.Module] = map[string][]*terraform.Resource{}
				}
				byKey[r.Module][r.Key()] = append(byKey[r.Module][r.Key()], r)
			}
		}
		for _, r := range c.cfg.Resources {
			if r.Type != "aws_api_gateway_integration" {
				continue
			}
			uri, _, _ := r.Str(nil, "uri")
			fn, _, ok := terraform.ParseRef(uri)
			if !ok {
				continue
			}
			for ref := range r.Refs() {
				for _, meth := range byKey[r.Module][ref] {
					if _, seen := c.fns[meth.Addr]; !seen {
						c.fns[meth.Addr] = fn
					}
				}
			}
		}
	}
	return c.fns[m.Addr]
}

// tfAuth reads authorization / authorization_type and authorizer_id.
func (c *tfctx) tfAuth(r *terraform.Resource, key string) Auth {
	typ, ok, at := r.Str(nil, key)
	if at == nil {
		return Auth{Type: AuthNone}
	}
	loc := c.attrLoc(r, at)
	if !ok {
		return Auth{Type: AuthUnknown, Loc: loc}
	}
	id, _, _ := r.Str(nil, "authorizer_id")
	return methodAuth(typ, loc, c.authz[id])
}

// unattached handles a method, route, deployment or stage whose API id is
// not static (a variable, a data source): it may belong to any API of its
// kind, which then may have more routes (or stages) than the model shows.
// An id that names a resource which is not an API says nothing.
func (c *tfctx) unattached(r *terraform.Resource, key string, kind Kind, routes bool) {
	if s, ok, _ := r.Str(nil, key); ok {
		if _, _, isRef := terraform.ParseRef(s); isRef {
			return // another resource's id: not an API we know
		}
	}
	for _, a := range c.apis {
		if a.Kind != kind {
			continue
		}
		if routes {
			a.RoutesKnown = false
		} else {
			a.StagesKnown = false
		}
	}
}

func (c *tfctx) route(r *terraform.Resource) {
	a := c.api(r, "api_id")
	if a == nil {
		c.unattached(r, "api_id", HTTP, true)
		return
	}
	if a.Kind != HTTP {
		return
	}
	k, ok, at := r.Str(nil, "route_key")
	m, p, ok2 := splitRouteKey(k)
	if !ok || !ok2 || r.Undecided {
		a.RoutesKnown = false
		return
	}
	rt := &Route{Method: m, Path: p, Loc: c.attrLoc(r, at), Def: r.Addr}
	rt.Auth = c.tfAuth(r, "authorization_type")
	a.Routes = append(a.Routes, rt)
}

func (c *tfctx) deployment(r *terraform.Resource) {
	a := c.api(r, "rest_api_id")
	if a == nil {
		c.unattached(r, "rest_api_id", REST, false)
		return
	}
	d := &Deployment{LogicalID: r.Addr, Loc: c.header(r), TF: &TFDeployment{}}
	if at := r.Attr("depends_on"); at != nil {
		d.DependsOnLoc = c.attrLoc(r, at)
		for ref := range terraform.References(&hclsyntax.Body{Attributes: hclsyntax.Attributes{"depends_on": at}}) {
			d.DependsOn = append(d.DependsOn, ref)
		}
		sort.Strings(d.DependsOn)
	}
	if at := r.Attr("triggers"); at != nil {
		d.TF.TriggersLoc = c.attrLoc(r, at)
	}
	for _, k := range []string{"description", "stage_description", "variables"} {
		at := r.Attr(k)
		if at == nil {
			continue
		}
		refs := terraform.References(&hclsyntax.Body{Attributes: hclsyntax.Attributes{k: at}})
		if len(refs) > 0 || strings.Contains(exprSrc(r, at), "timestamp(") {
			d.TF.Redeploys = true
		}
	}
	for _, lc := range r.Blocks(nil, "lifecycle") {
		if at := lc.Body.Attributes["create_before_destroy"]; at != nil {
			if v, ok := terraform.String(r.Eval(at.Expr)); ok && v == "true" {
				d.TF.CreateBeforeDestroy = true
			}
		}
	}
	if sv, ok, at := r.Str(nil, "stage_name"); at != nil {
		if ok && !strings.Contains(sv, "${") {
			d.StageName = sv
			addStage(a, &Stage{Name: sv, Loc: c.attrLoc(r, at), Deployed: true, Params: c.params(r, at)})
		} else {
			a.StagesKnown = false
		}
	}
	a.Deployments = append(a.Deployments, d)
}

func exprSrc(r *terraform.Resource, at *hclsyntax.Attribute) string {
	sp := terraform.Span(at.Expr.Range())
	t := r.File.Src.Text
	if sp.End > len(t) || sp.Start > sp.End {
		return ""
	}
	return t[sp.Start:sp.End]
}

// params names the variables with default values an attribute reads: a
// `-var` may override them when Terraform runs.
func (c *tfctx) params(r *terraform.Resource, at *hclsyntax.Attribute) []string {
	var out []string
	for _, v := range terraform.VarRefs(at.Expr) {
		if r.Module.VarFrom(v) == terraform.VarDefault && r.Module.Call == nil {
			out = append(out, "var."+v)
		}
	}
	return out
}

func (c *tfctx) stage(r *terraform.Resource) {
	idKey, nameKey := "rest_api_id", "stage_name"
	if r.Type == "aws_apigatewayv2_stage" {
		idKey, nameKey = "api_id", "name"
	}
	a := c.api(r, idKey)
	if a == nil {
		kind := REST
		if r.Type == "aws_apigatewayv2_stage" {
			kind = HTTP
		}
		c.unattached(r, idKey, kind, false)
		return
	}
	sv, ok, at := r.Str(nil, nameKey)
	if !ok || strings.Contains(sv, "${") || r.Undecided {
		a.StagesKnown = false
		return
	}
	addStage(a, &Stage{Name: sv, Loc: c.attrLoc(r, at), Deployed: true, Params: c.params(r, at)})
}

func (c *tfctx) domainName(r *terraform.Resource) {
	kind := REST
	if r.Type == "aws_apigatewayv2_domain_name" {
		kind = HTTP
	}
	s, ok, at := r.Str(nil, "domain_name")
	name := Value{Loc: c.attrLoc(r, at)}
	if ok {
		name = tfValue(s, c.attrLoc(r, at))
	}
	if !name.Known && name.S == "" {
		name.S = "${" + r.Addr + ".domain_name}"
	}
	d := c.b.domain(kind, name, r.File.Path())
	d.External = false
	d.LogicalID, d.File, d.Loc = r.Addr, r.File.Path(), c.attrLoc(r, at)
	if kind == REST {
		for _, ec := range r.Blocks(nil, "endpoint_configuration") {
			if t := ec.Body.Attributes["types"]; t != nil {
				if ts, ok := terraform.Strings(r.Eval(t.Expr)); ok && len(ts) > 0 {
					d.EndpointType = EndpointType(strings.ToUpper(ts[0]))
				}
			}
		}
	} else {
		for _, cfg := range r.Blocks(nil, "domain_name_configuration") {
			if t, ok, _ := r.Str(cfg.Body, "endpoint_type"); ok {
				d.EndpointType = EndpointType(strings.ToUpper(t))
			}
		}
	}
	for _, mt := range r.Blocks(nil, "mutual_tls_authentication") {
		if mt.Body.Attributes["truststore_uri"] != nil {
			d.MTLS, d.MTLSLoc = true, c.loc(r, terraform.HeaderSpan(mt))
		}
	}
	c.domains[terraform.Ref(r.Addr, "id")] = d
	c.domains[terraform.Ref(r.Addr, "domain_name")] = d
}

func (c *tfctx) mapping(r *terraform.Resource) {
	kind, stageKey, baseKey := REST, "stage_name", "base_path"
	if r.Type == "aws_apigatewayv2_api_mapping" {
		kind, stageKey, baseKey = HTTP, "stage", "api_mapping_key"
	}
	dn, ok, _ := r.Str(nil, "domain_name")
	if !ok {
		return
	}
	d := c.domains[dn]
	if d == nil {
		if strings.Contains(dn, "${") {
			return // a domain we cannot identify
		}
		d = c.b.domain(kind, Known(dn, c.header(r)), r.File.Path())
		if d.File == "" {
			d.External = true
		}
	}
	m := &Mapping{Known: true, Loc: c.header(r)}
	if s, ok, at := r.Str(nil, baseKey); at != nil {
		m.Known = ok && !strings.Contains(s, "${")
		m.Loc = c.attrLoc(r, at)
		if m.Known && s != "(none)" {
			m.BasePath = strings.Trim(s, "/")
		}
	}
	m.API = c.api(r, "api_id")
	if s, ok, at := r.Str(nil, stageKey); at != nil {
		if ok && !strings.Contains(s, "${") {
			m.Stage = s
		} else if ok {
			// A stage resource's name: resolved below when it is static.
			if st := c.stageOf(s); st != "" {
				m.Stage = st
			} else {
				m.StageUnknown = true
			}
		} else {
			m.StageUnknown = true
		}
	}
	d.Mappings = append(d.Mappings, m)
}

// stageOf resolves a reference marker to a stage resource's attribute.
func (c *tfctx) stageOf(s string) string {
	addr, _, ok := terraform.ParseRef(s)
	if !ok {
		return ""
	}
	r := c.cfg.Resource(addr)
	if r == nil {
		return ""
	}
	for _, k := range []string{"stage_name", "name"} {
		if v, ok, _ := r.Str(nil, k); ok && !strings.Contains(v, "${") {
			return v
		}
	}
	return ""
}

func (c *tfctx) usagePlan(r *terraform.Resource) {
	p := &UsagePlan{LogicalID: r.Addr, Loc: c.header(r)}
	for _, st := range r.Blocks(nil, "api_stages") {
		ps := &UsagePlanStage{Loc: c.loc(r, terraform.HeaderSpan(st))}
		if id, ok, _ := r.Str(st.Body, "api_id"); ok {
			if addr, attr, ok := terraform.ParseRef(id); ok && attr == "id" {
				ps.API = c.apis[addr]
			}
		}
		if s, ok, at := r.Str(st.Body, "stage"); at != nil {
			ps.Loc = c.attrLoc(r, at)
			switch {
			case ok && !strings.Contains(s, "${"):
				ps.Stage = Known(s, ps.Loc)
			case ok && c.stageOf(s) != "":
				ps.Stage = Known(c.stageOf(s), ps.Loc)
			default:
				ps.Stage = Value{S: s, Loc: ps.Loc}
			}
		}
		p.Stages = append(p.Stages, ps)
	}
	for _, b := range r.Blocks(nil, "dynamic") {
		if len(b.Labels) == 1 && b.Labels[0] == "api_stages" {
			// Stages generated from a collection: which APIs is not read.
			p.Stages = append(p.Stages, &UsagePlanStage{Loc: c.loc(r, terraform.HeaderSpan(b))})
		}
	}
	c.plans[terraform.Ref(r.Addr, "id")] = p
	c.b.m.UsagePlans = append(c.b.m.UsagePlans, p)
}

func (c *tfctx) webACL(r *terraform.Resource) {
	w := &WebACL{LogicalID: r.Addr, Loc: c.header(r)}
	for _, da := range r.Blocks(nil, "default_action") {
		w.DefaultLoc = c.loc(r, terraform.HeaderSpan(da))
		for _, b := range da.Body.Blocks {
			if b.Type == "allow" || b.Type == "block" {
				w.DefaultAction = strings.ToUpper(b.Type[:1]) + b.Type[1:]
				w.DefaultLoc = c.loc(r, terraform.HeaderSpan(b))
			}
		}
	}
	for _, b := range r.Blocks(nil, "dynamic") {
		if len(b.Labels) == 1 && b.Labels[0] == "rule" {
			w.HasAllowRule = true // rules that cannot be read statically
		}
	}
	for _, rule := range r.Blocks(nil, "rule") {
		for _, act := range rule.Body.Blocks {
			if act.Type != "action" {
				continue
			}
			for _, b := range act.Body.Blocks {
				if b.Type == "allow" {
					w.HasAllowRule = true
				}
			}
		}
		for _, b := range rule.Body.Blocks {
			if b.Type == "override_action" {
				w.HasAllowRule = true // a rule group's own actions are unknown
			}
		}
	}
	c.webACLs[terraform.Ref(r.Addr, "arn")] = w
	c.b.m.WebACLs = append(c.b.m.WebACLs, w)
}

func (c *tfctx) webACLAssociation(r *terraform.Resource) {
	arn, _, _ := r.Str(nil, "web_acl_arn")
	w := c.webACLs[arn]
	if w == nil {
		return
	}
	as := &WebACLAssociation{LogicalID: r.Addr, Loc: c.header(r)}
	res, _, _ := r.Str(nil, "resource_arn")
	if addr, _, ok := terraform.ParseRef(res); ok {
		if sr := c.cfg.Resource(addr); sr != nil && sr.Type == "aws_api_gateway_stage" {
			as.API = c.api(sr, "rest_api_id")
			as.Stage, _, _ = sr.Str(nil, "stage_name")
		}
	}
	w.Associations = append(w.Associations, as)
}
