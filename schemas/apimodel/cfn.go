package apimodel

import (
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/gw403/gw403-lsp/schemas/template"
	"github.com/gw403/gw403-lsp/schemas/yamlpos"
)

// buildCFN reads the raw AWS::ApiGateway*, AWS::ApiGatewayV2* and WAFv2
// resources of the template.
func (c *tctx) buildCFN() {
	var res []*template.Resource
	for _, r := range c.t.Resources {
		if c.t.Created(r) {
			res = append(res, r)
		}
	}
	byType := func(types ...string) []*template.Resource {
		var out []*template.Resource
		for _, r := range res {
			for _, t := range types {
				if r.Type == t {
					out = append(out, r)
				}
			}
		}
		return out
	}
	for _, r := range byType("AWS::ApiGateway::RestApi") {
		c.restAPI(r)
	}
	for _, r := range byType("AWS::ApiGatewayV2::Api") {
		c.httpAPI(r)
	}
	for _, r := range byType("AWS::ApiGateway::Authorizer", "AWS::ApiGatewayV2::Authorizer") {
		c.authorizer(r)
	}
	unresolved := map[Kind]bool{}
	for _, r := range byType("AWS::ApiGateway::Method") {
		if !c.method(r) {
			unresolved[REST] = true
		}
	}
	for _, r := range byType("AWS::ApiGatewayV2::Route") {
		if !c.route(r) {
			unresolved[HTTP] = true
		}
	}
	unresolvedStage := map[Kind]bool{}
	for _, r := range byType("AWS::ApiGateway::Deployment") {
		if !c.deployment(r) {
			unresolvedStage[REST] = true
		}
	}
	for _, r := range byType("AWS::ApiGateway::Stage", "AWS::ApiGatewayV2::Stage") {
		if !c.stage(r) {
			k := REST
			if r.Type == "AWS::ApiGatewayV2::Stage" {
				k = HTTP
			}
			unresolvedStage[k] = true
		}
	}
	for _, a := range c.orderedAPIs() {
		if unresolved[a.Kind] && a.Origin == CFN {
			a.RoutesKnown = false
		}
		if unresolvedStage[a.Kind] {
			a.StagesKnown = false
		}
	}
	for _, r := range byType("AWS::ApiGateway::DomainName", "AWS::ApiGateway::DomainNameV2", "AWS::ApiGatewayV2::DomainName") {
		c.domainName(r)
	}
	for _, r := range byType("AWS::ApiGateway::BasePathMapping", "AWS::ApiGateway::BasePathMappingV2", "AWS::ApiGatewayV2::ApiMapping") {
		c.mapping(r)
	}
	for _, r := range byType("AWS::ApiGatewayV2::RoutingRule") {
		c.routingRule(r)
	}
	for _, r := range byType("AWS::ApiGateway::UsagePlan") {
		c.usagePlan(r)
	}
	for _, r := range byType("AWS::ApiGateway::ApiKey") {
		k := &APIKey{LogicalID: r.LogicalID, Loc: c.locSpan(r.KeySpan)}
		c.keys[r.LogicalID] = k
		c.b.m.APIKeys = append(c.b.m.APIKeys, k)
	}
	for _, r := range byType("AWS::ApiGateway::UsagePlanKey") {
		key, plan := c.keys[c.t.RefTo(r.Prop("KeyId"))], c.plans[c.t.RefTo(r.Prop("UsagePlanId"))]
		if key != nil && plan != nil {
			key.Plans = append(key.Plans, plan)
			plan.Keys = append(plan.Keys, key)
		}
	}
	for _, r := range byType("AWS::WAFv2::WebACL") {
		c.webACL(r)
	}
	for _, r := range byType("AWS::WAFv2::WebACLAssociation") {
		c.webACLAssociation(r)
	}
}

// restAPI reads an AWS::ApiGateway::RestApi.
func (c *tctx) restAPI(r *template.Resource) {
	if a := c.apis[r.LogicalID]; a != nil && a.Origin == Serverless {
		return // the serverless.yml's `resources:` overriding the generated API
	}
	a := c.newAPI(r.LogicalID, REST, CFN, c.locSpan(r.KeySpan))
	a.Name = cdkName(r)
	if ec := r.Prop("EndpointConfiguration"); ec != nil {
		_, types := yamlpos.Get(ec, "Types")
		if ts := c.strs(types); len(ts) > 0 && ts[0].Known {
			a.EndpointType = EndpointType(strings.ToUpper(ts[0].S))
			a.EndpointLoc = ts[0].Loc
		} else if types != nil {
			a.EndpointLoc = c.loc(types)
		}
		if _, ids := yamlpos.Get(ec, "VpcEndpointIds"); ids != nil {
			a.VpcEndpointIDs = c.strs(ids)
		}
	}
	if v := r.Prop("DisableExecuteApiEndpoint"); v != nil {
		a.DisableExecute, _ = c.boolean(v)
		a.DisableLoc = c.loc(v)
	}
	if v := r.Prop("ApiKeySourceType"); v != nil {
		a.APIKeySource, _ = c.str(v)
		a.APIKeySourceLoc = c.loc(v)
	}
	if v := r.Prop("Policy"); v != nil {
		a.Policy = c.policy(v)
	}
	switch {
	case r.Prop("Body") != nil:
		body := r.Prop("Body")
		a.DefinitionLoc = c.loc(body)
		c.definitionBody(a, body, nil)
	case r.Prop("BodyS3Location") != nil || r.Prop("CloneFrom") != nil:
		a.RoutesKnown = false
		if v := r.Prop("BodyS3Location"); v != nil {
			a.DefinitionLoc = c.loc(v)
		}
	}
}

// httpAPI reads an AWS::ApiGatewayV2::Api of protocol HTTP (WebSocket APIs
// are not modelled).
func (c *tctx) httpAPI(r *template.Resource) {
	if a := c.apis[r.LogicalID]; a != nil && a.Origin == Serverless {
		return
	}
	proto, ok := c.str(r.Prop("ProtocolType"))
	if ok && !strings.EqualFold(proto, "HTTP") {
		return
	}
	if !ok && r.Prop("Body") == nil && r.Prop("BodyS3Location") == nil {
		return
	}
	a := c.newAPI(r.LogicalID, HTTP, CFN, c.locSpan(r.KeySpan))
	a.Name = cdkName(r)
	if v := r.Prop("DisableExecuteApiEndpoint"); v != nil {
		a.DisableExecute, _ = c.boolean(v)
		a.DisableLoc = c.loc(v)
	}
	switch {
	case r.Prop("Body") != nil:
		body := r.Prop("Body")
		a.DefinitionLoc = c.loc(body)
		c.definitionBody(a, body, nil)
	case r.Prop("BodyS3Location") != nil:
		a.RoutesKnown = false
	}
	if t := r.Prop("Target"); t != nil {
		// Quick create: a default route and an auto-deployed $default stage.
		key := "$default"
		loc := c.loc(t)
		if rk := r.Prop("RouteKey"); rk != nil {
			if s, ok := c.str(rk); ok {
				key, loc = s, c.loc(rk)
			} else {
				a.RoutesKnown = false
			}
		}
		if m, p, ok := splitRouteKey(key); ok {
			a.Routes = append(a.Routes, &Route{Method: m, Path: p, Loc: loc, Auth: Auth{Type: AuthNone}})
		}
		addStage(a, &Stage{Name: "$default", Loc: loc, Implicit: true, Deployed: true})
	}
}

// cdkName names a resource the AWS CDK synthesized by its construct path
// (aws:cdk:path "Stack/OrdersApi/Resource" → "Stack/OrdersApi"): people
// know the construct, not the generated logical id. Other resources are
// named by their logical id.
func cdkName(r *template.Resource) string {
	md := yamlpos.Resolve(yamlpos.Value(r.Node, "Metadata"))
	v := yamlpos.Resolve(yamlpos.Value(md, "aws:cdk:path"))
	if v == nil || v.Kind != yaml.ScalarNode || v.Value == "" {
		return r.LogicalID
	}
	return strings.TrimSuffix(v.Value, "/Resource")
}

// splitRouteKey splits "GET /pets/{id}" (or "$default") into method and path.
func splitRouteKey(k string) (method, p string, ok bool) {
	k = strings.TrimSpace(k)
	if k == "$default" {
		return "ANY", "$default", true
	}
	i := strings.IndexByte(k, ' ')
	if i <= 0 {
		return "", "", false
	}
	return normMethod(k[:i]), normPath(strings.TrimSpace(k[i+1:])), true
}

// authorizer reads an AWS::ApiGateway::Authorizer or ApiGatewayV2::Authorizer.
func (c *tctx) authorizer(r *template.Resource) {
	au := &Authorizer{Name: r.LogicalID, Loc: c.locSpan(r.KeySpan)}
	if n, ok := c.str(r.Prop("Name")); ok {
		au.Name = n
	}
	typNode := r.Prop("Type")
	if r.Type == "AWS::ApiGatewayV2::Authorizer" {
		typNode = r.Prop("AuthorizerType")
	}
	typ, _ := c.str(typNode)
	au.Type = authorizerType(typ)
	if is := r.Prop("IdentitySource"); is != nil {
		for _, v := range c.strs(is) {
			if v.Known {
				au.Identity = append(au.Identity, ParseIdentitySource(v.S)...)
			}
		}
		au.IdentityLoc = c.loc(is)
	} else if au.Type == AuthToken || au.Type == AuthCognito {
		au.Identity = []IdentitySource{{In: "header", Name: "Authorization"}}
	}
	c.authz[r.LogicalID] = au
	idKey := "RestApiId"
	if r.Type == "AWS::ApiGatewayV2::Authorizer" {
		idKey = "ApiId"
	}
	if a := c.apis[c.t.RefTo(r.Prop(idKey))]; a != nil {
		a.Authorizers = append(a.Authorizers, au)
	}
}

// resourcePath returns the path of an AWS::ApiGateway::Resource (or of the
// root for `!GetAtt Api.RootResourceId`); ok is false when not static.
func (c *tctx) resourcePath(n *yaml.Node, depth int) (string, bool) {
	if depth > 64 {
		return "", false
	}
	v := c.t.Eval(n)
	if v.Kind != template.ResourceRef {
		return "", false
	}
	if v.Attr == "RootResourceId" {
		return "/", true
	}
	if v.Attr != "" {
		return "", false
	}
	if p, ok := c.cfnPaths[v.LogicalID]; ok {
		return p, p != ""
	}
	r := c.t.Resource(v.LogicalID)
	if r == nil || r.Type != "AWS::ApiGateway::Resource" {
		return "", false
	}
	c.cfnPaths[v.LogicalID] = "" // cycle guard
	parent, ok := c.resourcePath(r.Prop("ParentId"), depth+1)
	part, ok2 := c.str(r.Prop("PathPart"))
	if !ok || !ok2 {
		return "", false
	}
	p := strings.TrimSuffix(parent, "/") + "/" + part
	c.cfnPaths[v.LogicalID] = p
	return p, true
}

// method reads an AWS::ApiGateway::Method; false when its API is unknown.
func (c *tctx) method(r *template.Resource) bool {
	a := c.apis[c.t.RefTo(r.Prop("RestApiId"))]
	if a == nil || a.Kind != REST {
		return false
	}
	p, ok := c.resourcePath(r.Prop("ResourceId"), 0)
	m, ok2 := c.str(r.Prop("HttpMethod"))
	if !ok || !ok2 {
		a.RoutesKnown = false
		return true
	}
	rt := &Route{Method: normMethod(m), Path: p, Loc: c.locSpan(r.KeySpan)}
	rt.Auth = c.cfnAuth(r.Prop("AuthorizationType"), r.Prop("AuthorizerId"))
	if v := r.Prop("ApiKeyRequired"); v != nil {
		rt.Auth.APIKeyRequired, _ = c.boolean(v)
		rt.Auth.APIKeyLoc = c.loc(v)
	}
	if integ := r.Prop("Integration"); integ != nil {
		if uri := yamlpos.Value(integ, "Uri"); uri != nil {
			rt.Function = functionOfURI(c.t.Eval(uri))
		}
		if t, ok := c.str(yamlpos.Value(integ, "Type")); ok && strings.EqualFold(t, "MOCK") {
			rt.Mock = true
		}
	}
	a.Routes = append(a.Routes, rt)
	return true
}

// cfnAuth maps AuthorizationType and AuthorizerId to an Auth.
func (c *tctx) cfnAuth(typNode, idNode *yaml.Node) Auth {
	if typNode == nil {
		return Auth{Type: AuthNone}
	}
	typ, ok := c.str(typNode)
	loc := c.loc(typNode)
	if !ok {
		return Auth{Type: AuthUnknown, Loc: loc}
	}
	return methodAuth(typ, loc, c.authz[c.t.RefTo(idNode)])
}

// authorizerType maps the type of an authorizer as CloudFormation (Type,
// AuthorizerType) and Terraform (type, authorizer_type) write it.
func authorizerType(typ string) AuthType {
	switch strings.ToUpper(typ) {
	case "TOKEN":
		return AuthToken
	case "REQUEST":
		return AuthRequest
	case "COGNITO_USER_POOLS":
		return AuthCognito
	case "JWT":
		return AuthJWT
	}
	return AuthUnknown
}

// methodAuth maps the authorization type of a method or route, as
// CloudFormation (AuthorizationType) and Terraform (authorization,
// authorization_type) write it, with the authorizer it names (nil when
// none or unknown) and where the type is written.
func methodAuth(typ string, loc Loc, au *Authorizer) Auth {
	switch strings.ToUpper(typ) {
	case "NONE":
		return Auth{Type: AuthNone, Loc: loc}
	case "AWS_IAM":
		return Auth{Type: AuthIAM, Loc: loc}
	case "COGNITO_USER_POOLS":
		return Auth{Type: AuthCognito, Loc: loc, Authorizer: au}
	case "JWT":
		return Auth{Type: AuthJWT, Loc: loc, Authorizer: au}
	case "CUSTOM":
		if au != nil {
			return Auth{Type: au.Type, Loc: loc, Authorizer: au}
		}
	}
	return Auth{Type: AuthUnknown, Loc: loc, Authorizer: au}
}

// route reads an AWS::ApiGatewayV2::Route; false when its API is unknown.
func (c *tctx) route(r *template.Resource) bool {
	a := c.apis[c.t.RefTo(r.Prop("ApiId"))]
	if a == nil {
		return false
	}
	if a.Kind != HTTP {
		return true
	}
	k, ok := c.str(r.Prop("RouteKey"))
	m, p, ok2 := splitRouteKey(k)
	if !ok || !ok2 {
		a.RoutesKnown = false
		return true
	}
	rt := &Route{Method: m, Path: p, Loc: c.loc(r.Prop("RouteKey"))}
	rt.Auth = c.cfnAuth(r.Prop("AuthorizationType"), r.Prop("AuthorizerId"))
	a.Routes = append(a.Routes, rt)
	return true
}

// deployment reads an AWS::ApiGateway::Deployment (its StageName creates a
// stage); false when its API is unknown.
func (c *tctx) deployment(r *template.Resource) bool {
	a := c.apis[c.t.RefTo(r.Prop("RestApiId"))]
	if a == nil {
		return false
	}
	d := &Deployment{LogicalID: r.LogicalID, Loc: c.locSpan(r.KeySpan), DependsOn: r.DependsOn}
	if r.DependsOnNode != nil {
		d.DependsOnLoc = c.loc(r.DependsOnNode)
	}
	if v := r.Prop("StageName"); v != nil {
		if sv, params := c.stageValue(v); sv.Known {
			d.StageName = sv.S
			addStage(a, &Stage{Name: sv.S, Loc: sv.Loc, Deployed: true, Params: params})
		} else {
			a.StagesKnown = false
		}
	}
	a.Deployments = append(a.Deployments, d)
	return true
}

// stage reads an AWS::ApiGateway::Stage or ApiGatewayV2::Stage.
func (c *tctx) stage(r *template.Resource) bool {
	idKey := "RestApiId"
	if r.Type == "AWS::ApiGatewayV2::Stage" {
		idKey = "ApiId"
	}
	a := c.apis[c.t.RefTo(r.Prop(idKey))]
	if a == nil {
		return false
	}
	sv, params := c.stageValue(r.Prop("StageName"))
	if !sv.Known {
		a.StagesKnown = false
		return true
	}
	addStage(a, &Stage{Name: sv.S, Loc: sv.Loc, Deployed: true, Params: params})
	return true
}

// domainName reads an AWS::ApiGateway::DomainName or ApiGatewayV2::DomainName.
func (c *tctx) domainName(r *template.Resource) {
	kind := REST
	if r.Type == "AWS::ApiGatewayV2::DomainName" {
		kind = HTTP
	}
	nameNode := r.Prop("DomainName")
	d := c.b.domain(kind, c.value(nameNode), c.t.File.Path)
	d.External = false
	d.LogicalID, d.File = r.LogicalID, c.t.File.Path
	d.Loc = c.locSpan(r.KeySpan)
	if nameNode != nil {
		d.Loc = c.loc(nameNode)
	}
	if r.Type == "AWS::ApiGateway::DomainNameV2" {
		d.EndpointType = Private // private custom domain names
	}
	if kind == REST {
		if ec := r.Prop("EndpointConfiguration"); ec != nil {
			if ts := c.strs(yamlpos.Value(ec, "Types")); len(ts) > 0 && ts[0].Known {
				d.EndpointType = EndpointType(strings.ToUpper(ts[0].S))
			}
		}
	} else {
		for _, cfg := range yamlpos.Items(r.Prop("DomainNameConfigurations")) {
			if t, ok := c.str(yamlpos.Value(cfg, "EndpointType")); ok {
				d.EndpointType = EndpointType(strings.ToUpper(t))
			}
		}
	}
	if k := r.Property("MutualTlsAuthentication"); k != nil {
		if yamlpos.Value(k.Value, "TruststoreUri") != nil {
			d.MTLS, d.MTLSLoc = true, c.locSpan(k.KeySpan)
		}
	}
	c.domainID[r.LogicalID] = d
}

// mapping reads a BasePathMapping or an ApiMapping.
func (c *tctx) mapping(r *template.Resource) {
	kind, apiKey, baseKey := REST, "RestApiId", "BasePath"
	if r.Type == "AWS::ApiGatewayV2::ApiMapping" {
		kind, apiKey, baseKey = HTTP, "ApiId", "ApiMappingKey"
	}
	if r.Type == "AWS::ApiGateway::BasePathMappingV2" {
		apiKey = "RestApiId"
	}
	dn := r.Prop("DomainName")
	if r.Type == "AWS::ApiGateway::BasePathMappingV2" {
		dn = r.Prop("DomainNameArn")
	}
	d := c.domainID[c.t.RefTo(dn)]
	if d == nil {
		name := c.value(dn)
		switch {
		case name.Known:
			d = c.b.domain(kind, name, c.t.File.Path)
			if d.File == "" {
				d.External = true
			}
		case name.S != "" && c.b.domains[string(kind)+" "+c.t.File.Path+"\x00"+name.S] != nil:
			// The same unresolved name (one parameter) as a domain
			// declared in this file.
			d = c.b.domain(kind, name, c.t.File.Path)
		default:
			return // a domain we cannot identify
		}
	}
	m := &Mapping{Known: true, Loc: c.locSpan(r.KeySpan)}
	if v := r.Prop(baseKey); v != nil {
		s, ok := c.str(v)
		m.Known = ok
		m.Loc = c.loc(v)
		if ok && s != "(none)" {
			m.BasePath = strings.Trim(s, "/")
		}
	}
	m.API = c.apis[c.t.RefTo(r.Prop(apiKey))]
	if v := r.Prop("Stage"); v != nil {
		if st, ok := c.str(v); ok {
			m.Stage = st
		} else {
			m.StageUnknown = true
		}
	}
	d.Mappings = append(d.Mappings, m)
}

// usagePlan reads an AWS::ApiGateway::UsagePlan.
func (c *tctx) usagePlan(r *template.Resource) {
	p := &UsagePlan{LogicalID: r.LogicalID, Loc: c.locSpan(r.KeySpan)}
	for _, s := range yamlpos.Items(r.Prop("ApiStages")) {
		ps := &UsagePlanStage{API: c.apis[c.t.RefTo(yamlpos.Value(s, "ApiId"))], Loc: c.loc(s)}
		if _, st := yamlpos.Get(s, "Stage"); st != nil {
			ps.Stage = c.value(st)
			ps.Loc = c.loc(st)
		}
		p.Stages = append(p.Stages, ps)
	}
	c.plans[r.LogicalID] = p
	c.b.m.UsagePlans = append(c.b.m.UsagePlans, p)
}

// webACL reads an AWS::WAFv2::WebACL.
func (c *tctx) webACL(r *template.Resource) {
	w := &WebACL{LogicalID: r.LogicalID, Loc: c.locSpan(r.KeySpan)}
	if da := r.Property("DefaultAction"); da != nil {
		w.DefaultLoc = c.locSpan(da.ValueSpan)
		for _, p := range yamlpos.Pairs(da.Value) {
			if p.Key.Value == "Allow" || p.Key.Value == "Block" {
				w.DefaultAction = p.Key.Value
				w.DefaultLoc = c.loc(p.Key)
			}
		}
	}
	for _, rule := range yamlpos.Items(r.Prop("Rules")) {
		if yamlpos.Value(yamlpos.Value(rule, "Action"), "Allow") != nil {
			w.HasAllowRule = true
		}
	}
	c.webACLs[r.LogicalID] = w
	c.b.m.WebACLs = append(c.b.m.WebACLs, w)
}

// webACLAssociation ties a WebACL to the stage its ResourceArn names
// (arn:aws:apigateway:<region>::/restapis/<api>/stages/<stage>).
func (c *tctx) webACLAssociation(r *template.Resource) {
	w := c.webACLs[c.t.RefTo(r.Prop("WebACLArn"))]
	if w == nil {
		return
	}
	as := &WebACLAssociation{LogicalID: r.LogicalID, Loc: c.locSpan(r.KeySpan)}
	v := c.t.Eval(r.Prop("ResourceArn"))
	parts := v.Parts
	if v.Kind == template.String {
		parts = []template.Value{v}
	}
	afterStages := false
	for _, p := range parts {
		switch p.Kind {
		case template.ResourceRef:
			if a := c.apis[p.LogicalID]; a != nil && p.Attr == "" {
				as.API = a
			}
			if afterStages && as.Stage == "" {
				as.Stage = c.generatedStageName(p.LogicalID)
			}
		case template.String:
			s := p.S
			if i := strings.Index(s, "/stages/"); i >= 0 {
				afterStages = true
				rest := s[i+len("/stages/"):]
				if j := strings.IndexByte(rest, '/'); j >= 0 {
					rest = rest[:j]
				}
				as.Stage = rest
			}
		case template.Unknown:
			if afterStages && as.Stage == "" && strings.HasPrefix(p.Reason, "Ref ") {
				as.Stage = c.generatedStageName(strings.TrimPrefix(p.Reason, "Ref "))
			}
		}
	}
	w.Associations = append(w.Associations, as)
}

// generatedStageName reads the stage name out of a SAM-generated stage
// logical id (<Api><StageName>Stage), if it is one of this template's.
func (c *tctx) generatedStageName(id string) string {
	for aid, a := range c.apis {
		if c.sam[a] == nil || !strings.HasPrefix(id, aid) || !strings.HasSuffix(id, "Stage") {
			continue
		}
		name := strings.TrimSuffix(strings.TrimPrefix(id, aid), "Stage")
		for _, s := range a.Stages {
			if s.Name == name {
				return name
			}
		}
	}
	return ""
}

// routingRule reads an AWS::ApiGatewayV2::RoutingRule: the domain gets
// RoutingRules and a mapping per base path the rule matches.
func (c *tctx) routingRule(r *template.Resource) {
	v := c.t.Eval(r.Prop("DomainNameArn"))
	var d *Domain
	for _, p := range append([]template.Value{v}, v.Parts...) {
		if p.Kind == template.ResourceRef && c.domainID[p.LogicalID] != nil {
			d = c.domainID[p.LogicalID]
		}
	}
	if d == nil {
		return
	}
	d.RoutingRules = true
	var api *API
	stage, stageUnknown := "", false
	for _, act := range yamlpos.Items(r.Prop("Actions")) {
		inv := yamlpos.Value(act, "InvokeApi")
		if inv == nil {
			continue
		}
		api = c.apis[c.t.RefTo(yamlpos.Value(inv, "ApiId"))]
		if st := yamlpos.Value(inv, "Stage"); st != nil {
			stage, stageUnknown = "", true
			if s, ok := c.str(st); ok {
				stage, stageUnknown = s, false
			}
		}
	}
	for _, cond := range yamlpos.Items(r.Prop("Conditions")) {
		for _, bp := range c.strs(yamlpos.Value(yamlpos.Value(cond, "MatchBasePaths"), "AnyOf")) {
			m := &Mapping{API: api, Stage: stage, StageUnknown: stageUnknown, Loc: bp.Loc, Known: bp.Known, FromRule: true}
			if bp.Known {
				m.BasePath = strings.Trim(bp.S, "/")
			}
			d.Mappings = append(d.Mappings, m)
		}
	}
}
