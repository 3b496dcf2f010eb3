package apimodel

import (
	"path"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/gw403/gw403-lsp/schemas/openapi"
	"github.com/gw403/gw403-lsp/schemas/template"
	"github.com/gw403/gw403-lsp/schemas/yamlpos"
)

// samAPI is the SAM view of an AWS::Serverless::Api / HttpApi (or of an
// implicit API): its own properties and the Globals section they fall back to.
type samAPI struct {
	api     *API
	props   *yaml.Node // Properties; nil for an implicit API
	globals *yaml.Node // Globals.Api or Globals.HttpApi
	auth    *yaml.Node // Properties.Auth
	gauth   *yaml.Node // Globals.<Api|HttpApi>.Auth

	defaultAuth    string
	defaultAuthLoc Loc
	defaultAuthSet bool
	defaultUnknown bool // DefaultAuthorizer is not static
	apiKeyRequired bool
	apiKeyLoc      Loc
	authorizers    map[string]*Authorizer
	stage          Value // the stage SAM deploys (StageName)
	// preflight is the auth of the OPTIONS methods SAM adds for Cors;
	// preflightUnknown reports a deciding setting that is not static.
	preflight        Auth
	preflightUnknown bool
	eventRoutes      []*Route
}

// prop returns property name of the API, else of its Globals section.
func (s *samAPI) prop(name string) (k, v *yaml.Node) {
	if k, v := yamlpos.Get(s.props, name); k != nil {
		return k, v
	}
	return yamlpos.Get(s.globals, name)
}

// authProp returns Auth.name of the API, else of Globals (SAM merges the
// two Auth mappings key by key).
func (s *samAPI) authProp(name string) (k, v *yaml.Node) {
	if k, v := yamlpos.Get(s.auth, name); k != nil {
		return k, v
	}
	return yamlpos.Get(s.gauth, name)
}

func (c *tctx) buildSAM() {
	if !c.t.IsSAM {
		return
	}
	gAPI := yamlpos.Value(c.t.Globals, "Api")
	gHTTP := yamlpos.Value(c.t.Globals, "HttpApi")
	for _, r := range c.t.Resources {
		if !c.t.Created(r) {
			continue
		}
		switch r.Type {
		case "AWS::Serverless::Api":
			a := c.newAPI(r.LogicalID, REST, SAMApi, c.locSpan(r.KeySpan))
			c.samSetup(&samAPI{api: a, props: r.Properties, globals: gAPI}, r)
		case "AWS::Serverless::HttpApi":
			a := c.newAPI(r.LogicalID, HTTP, SAMApi, c.locSpan(r.KeySpan))
			c.samSetup(&samAPI{api: a, props: r.Properties, globals: gHTTP}, r)
		}
	}
	unresolvedRest, unresolvedHTTP := false, false
	for _, r := range c.t.Resources {
		if !c.t.Created(r) || (r.Type != "AWS::Serverless::Function" && r.Type != "AWS::Serverless::StateMachine") {
			continue
		}
		for _, ev := range yamlpos.Pairs(r.Prop("Events")) {
			typ, _ := c.str(yamlpos.Value(ev.Value, "Type"))
			props := yamlpos.Value(ev.Value, "Properties")
			switch typ {
			case "Api":
				s := c.eventAPI(props, "RestApiId", template.ImplicitRestAPI, REST, gAPI, ev.Key)
				if s == nil {
					unresolvedRest = true
					continue
				}
				c.samEvent(s, r, ev.Key, props)
			case "HttpApi":
				s := c.eventAPI(props, "ApiId", template.ImplicitHTTPAPI, HTTP, gHTTP, ev.Key)
				if s == nil {
					unresolvedHTTP = true
					continue
				}
				c.samEvent(s, r, ev.Key, props)
			}
		}
	}
	for a := range c.sam {
		if unresolvedRest && a.Kind == REST || unresolvedHTTP && a.Kind == HTTP {
			a.RoutesKnown = false
		}
	}
	for _, a := range c.orderedAPIs() {
		s := c.sam[a]
		if s == nil {
			continue
		}
		c.samCors(s)
		c.samResourcePolicy(s)
		c.samUsagePlan(s)
		c.samDomain(s)
	}
}

// eventAPI returns the API an event attaches to: the one its RestApiId /
// ApiId names, else the implicit API (created on first use). nil when the
// id names nothing of this template.
func (c *tctx) eventAPI(props *yaml.Node, idKey, implicit string, kind Kind, globals *yaml.Node, evKey *yaml.Node) *samAPI {
	if _, idNode := yamlpos.Get(props, idKey); idNode != nil {
		id := c.t.RefTo(idNode)
		if a := c.apis[id]; a != nil && c.sam[a] != nil && a.Kind == kind {
			return c.sam[a]
		}
		return nil
	}
	if a := c.apis[implicit]; a != nil {
		return c.sam[a]
	}
	a := c.newAPI(implicit, kind, SAMImplicit, c.loc(evKey))
	s := &samAPI{api: a, globals: globals}
	c.samSetup(s, nil)
	return s
}

// samSetup reads what an API declares before its routes: stages,
// endpoint, auth and authorizers, definition.
func (c *tctx) samSetup(s *samAPI, r *template.Resource) {
	a := s.api
	c.sam[a] = s
	s.auth = yamlpos.Value(s.props, "Auth")
	s.gauth = yamlpos.Value(s.globals, "Auth")
	s.authorizers = map[string]*Authorizer{}

	// Stages.
	var params []string
	if a.Kind == REST {
		if r == nil {
			s.stage = Known("Prod", a.Loc)
		} else if _, v := s.prop("StageName"); v != nil {
			s.stage, params = c.stageValue(v)
		} else {
			s.stage = Value{Loc: a.Loc}
		}
		if s.stage.Known {
			addStage(a, &Stage{Name: s.stage.S, Loc: s.stage.Loc, Implicit: r == nil, Deployed: true, Params: params})
		} else {
			a.StagesKnown = false
		}
		// SAM also deploys a stage named "Stage" unless OpenApiVersion is
		// set (on the API or in Globals.Api).
		if k, _ := s.prop("OpenApiVersion"); k == nil {
			addStage(a, &Stage{Name: "Stage", Loc: a.Loc, Implicit: true, Deployed: true})
		}
	} else {
		if _, v := s.prop("StageName"); v != nil && r != nil {
			s.stage, params = c.stageValue(v)
		} else {
			s.stage = Known("$default", a.Loc)
		}
		if s.stage.Known {
			addStage(a, &Stage{Name: s.stage.S, Loc: s.stage.Loc, Implicit: r == nil || s.stage.S == "$default", Deployed: true, Params: params})
		} else {
			a.StagesKnown = false
		}
	}

	// Endpoint.
	if _, v := s.prop("EndpointConfiguration"); v != nil && a.Kind == REST {
		tn := v
		if yamlpos.IsMap(v) {
			_, tn = yamlpos.Get(v, "Type")
			for _, key := range []string{"VPCEndpointIds", "VpcEndpointIds"} {
				if _, ids := yamlpos.Get(v, key); ids != nil {
					a.VpcEndpointIDs = c.strs(ids)
					break
				}
			}
		}
		if t, ok := c.str(tn); ok {
			a.EndpointType = EndpointType(strings.ToUpper(t))
		}
		a.EndpointLoc = c.loc(tn)
	}
	if _, v := s.prop("DisableExecuteApiEndpoint"); v != nil {
		a.DisableExecute, _ = c.boolean(v)
		a.DisableLoc = c.loc(v)
	}
	if _, v := s.prop("ApiKeySourceType"); v != nil && a.Kind == REST {
		a.APIKeySource, _ = c.str(v)
		a.APIKeySourceLoc = c.loc(v)
	}

	// Auth.
	sa := &SAMAuth{}
	if s.props != nil {
		sa.PropsLoc = c.loc(s.props)
	} else if s.globals != nil {
		sa.PropsLoc = c.loc(s.globals)
	}
	if s.auth != nil {
		sa.AuthLoc = c.loc(s.auth)
	} else if s.gauth != nil {
		sa.AuthLoc = c.loc(s.gauth)
	}
	if k, v := s.authProp("ApiKeyRequired"); k != nil && a.Kind == REST {
		s.apiKeyRequired, _ = c.boolean(v)
		s.apiKeyLoc = c.loc(v)
		sa.ApiKeyRequired, sa.ApiKeyRequiredLoc = s.apiKeyRequired, s.apiKeyLoc
	}
	if k, v := s.authProp("UsagePlan"); k != nil && a.Kind == REST {
		sa.UsagePlanLoc = c.loc(v)
		if _, cv := yamlpos.Get(v, "CreateUsagePlan"); cv != nil {
			sa.CreateUsagePlan, _ = c.str(cv)
			sa.CreateUsagePlanLoc = c.loc(cv)
		}
	}
	if k, v := s.authProp("DefaultAuthorizer"); k != nil {
		s.defaultAuthSet = true
		s.defaultAuthLoc = c.loc(v)
		var ok bool
		s.defaultAuth, ok = c.str(v)
		s.defaultUnknown = !ok
		sa.DefaultAuthorizer, sa.DefaultAuthLoc = s.defaultAuth, s.defaultAuthLoc
	}
	a.SAM = sa
	_, authzNode := s.authProp("Authorizers")
	for _, p := range yamlpos.Pairs(authzNode) {
		au := c.samAuthorizer(a.Kind, p.Key, p.Value)
		s.authorizers[au.Name] = au
		a.Authorizers = append(a.Authorizers, au)
	}

	c.samPreflight(s)

	if _, pol := s.prop("Policy"); pol != nil && a.Kind == REST {
		a.Policy = c.policy(pol)
	}

	// Definition.
	if _, body := s.prop("DefinitionBody"); body != nil && r != nil {
		a.DefinitionLoc = c.loc(body)
		c.definitionBody(a, body, s)
	} else if _, uri := s.prop("DefinitionUri"); uri != nil {
		a.DefinitionLoc = c.loc(uri)
		c.samDefinitionURI(s, uri)
	}
}

// samDefinitionURI loads a local DefinitionUri; an S3 location leaves the
// routes unknown.
func (c *tctx) samDefinitionURI(s *samAPI, uri *yaml.Node) {
	a := s.api
	p, ok := c.str(uri)
	if !ok {
		a.RoutesKnown = false
		return
	}
	c.localDefinition(a, p, s)
}

// localDefinition adds the workspace document at p (relative to the
// template's directory); an S3 or other remote location, or a file that is
// not among the documents, leaves the routes unknown.
func (c *tctx) localDefinition(a *API, p string, s *samAPI) {
	if strings.Contains(p, "://") {
		a.RoutesKnown = false
		return
	}
	full := path.Clean(path.Join(path.Dir(c.t.File.Path), p))
	doc := c.b.docs[full]
	if doc == nil {
		a.RoutesKnown = false
		return
	}
	c.b.used[doc] = true
	a.DefinitionFile = doc.File.Path
	c.addDoc(a, doc, s)
}

// definitionBody adds an inline DefinitionBody / Body, or the local file an
// AWS::Include transform in its place names.
func (c *tctx) definitionBody(a *API, body *yaml.Node, s *samAPI) {
	if name, arg, ok := template.Intrinsic(body); ok {
		if name == "Fn::Transform" {
			if tn, _ := c.str(yamlpos.Value(arg, "Name")); tn == "AWS::Include" {
				if loc, ok := c.str(yamlpos.Value(yamlpos.Value(arg, "Parameters"), "Location")); ok {
					c.localDefinition(a, loc, s)
					return
				}
			}
		}
		a.RoutesKnown = false
		return
	}
	a.DefinitionFile = c.t.File.Path
	doc := openapi.FromNode(c.t.Doc, body)
	if s != nil && !doc.PathsKnown && yamlpos.IsMap(body) && yamlpos.Value(body, "paths") == nil {
		// SAM adds the event paths to a body that has none yet.
		doc.PathsKnown = true
	}
	c.addDoc(a, doc, s)
}

// samAuthorizer reads one entry of Auth.Authorizers.
func (c *tctx) samAuthorizer(kind Kind, key, v *yaml.Node) *Authorizer {
	au := &Authorizer{Name: key.Value, Loc: c.loc(key)}
	identity := yamlpos.Value(v, "Identity")
	if identity != nil {
		au.IdentityLoc = c.loc(identity)
	}
	header := func(def string) {
		if _, h := yamlpos.Get(identity, "Header"); h != nil {
			if name, ok := c.str(h); ok {
				au.Identity = []IdentitySource{{In: "header", Name: name}}
				au.IdentityLoc = c.loc(h)
			}
			return
		}
		if def != "" {
			au.Identity = []IdentitySource{{In: "header", Name: def}}
		}
	}
	lists := func() {
		for _, f := range []struct{ key, in string }{{"Headers", "header"}, {"QueryStrings", "query"}, {"Context", "context"}, {"StageVariables", "stageVariables"}} {
			for _, it := range c.strs(yamlpos.Value(identity, f.key)) {
				if it.Known {
					au.Identity = append(au.Identity, IdentitySource{In: f.in, Name: it.S})
				}
			}
		}
	}
	switch {
	case kind == HTTP && (yamlpos.Value(v, "JwtConfiguration") != nil || yamlpos.Value(v, "IdentitySource") != nil && yamlpos.Value(v, "FunctionArn") == nil):
		au.Type = AuthJWT
		if _, is := yamlpos.Get(v, "IdentitySource"); is != nil {
			for _, s := range c.strs(is) {
				if s.Known {
					au.Identity = append(au.Identity, ParseIdentitySource(s.S)...)
				}
			}
			au.IdentityLoc = c.loc(is)
		} else {
			au.Identity = []IdentitySource{{In: "header", Name: "Authorization"}}
		}
	case yamlpos.Value(v, "UserPoolArn") != nil:
		au.Type = AuthCognito
		header("Authorization")
	case yamlpos.Value(v, "FunctionArn") != nil:
		pt, _ := c.str(yamlpos.Value(v, "FunctionPayloadType"))
		if kind == HTTP || strings.EqualFold(pt, "REQUEST") {
			au.Type = AuthRequest
			lists()
		} else {
			au.Type = AuthToken
			header("Authorization")
		}
	default:
		au.Type = AuthUnknown
	}
	return au
}

// samEvent adds the route of an Api / HttpApi event.
func (c *tctx) samEvent(s *samAPI, fn *template.Resource, evKey, props *yaml.Node) {
	a := s.api
	pk, pv := yamlpos.Get(props, "Path")
	mk, mv := yamlpos.Get(props, "Method")
	rt := &Route{Function: fn.LogicalID}
	switch {
	case pk == nil && mk == nil && a.Kind == HTTP:
		rt.Method, rt.Path = "ANY", "$default"
		rt.Loc = c.loc(evKey)
	default:
		p, ok1 := c.str(pv)
		m, ok2 := "ANY", true
		if mk != nil {
			m, ok2 = c.str(mv)
		} else if a.Kind == REST {
			ok2 = false
		}
		if !ok1 || !ok2 {
			a.RoutesKnown = false
			return
		}
		rt.Method, rt.Path, rt.Loc = normMethod(m), normPath(p), c.loc(pv)
	}
	rt.Auth = c.samRouteAuth(s, yamlpos.Value(props, "Auth"))
	a.Routes = append(a.Routes, rt)
	s.eventRoutes = append(s.eventRoutes, rt)
}

// samRouteAuth decides an event route's auth: the event's Auth, else the
// API's defaults.
func (c *tctx) samRouteAuth(s *samAPI, evAuth *yaml.Node) Auth {
	name, loc, unknown := s.defaultAuth, s.defaultAuthLoc, s.defaultUnknown
	if k, v := yamlpos.Get(evAuth, "Authorizer"); k != nil {
		var ok bool
		name, ok = c.str(v)
		loc, unknown = c.loc(v), !ok
	}
	au := c.samAuthNamed(s, name, loc, unknown)
	if s.api.Kind == REST {
		au.APIKeyRequired, au.APIKeyLoc = s.apiKeyRequired, s.apiKeyLoc
		if k, v := yamlpos.Get(evAuth, "ApiKeyRequired"); k != nil {
			au.APIKeyRequired, _ = c.boolean(v)
			au.APIKeyLoc = c.loc(v)
		}
	}
	return au
}

func (c *tctx) samAuthNamed(s *samAPI, name string, loc Loc, unknown bool) Auth {
	switch {
	case unknown:
		return Auth{Type: AuthUnknown, Loc: loc}
	case name == "" || strings.EqualFold(name, "NONE"):
		return Auth{Type: AuthNone, Loc: loc}
	case name == "AWS_IAM":
		return Auth{Type: AuthIAM, Loc: loc}
	}
	if au := s.authorizers[name]; au != nil {
		return Auth{Type: au.Type, Loc: loc, Authorizer: au}
	}
	return Auth{Type: AuthUnknown, Loc: loc}
}

// samResourcePolicy turns Auth.ResourcePolicy into statements the way SAM
// does: one Allow/Deny pair per shorthand, on every event route's ARN.
func (c *tctx) samResourcePolicy(s *samAPI) {
	a := s.api
	_, rp := s.authProp("ResourcePolicy")
	if rp == nil || a.Kind != REST {
		return
	}
	pol := a.Policy
	if pol == nil {
		pol = &Policy{Loc: c.loc(rp), Known: true}
		a.Policy = pol
	}
	var resources []Value
	for _, r := range s.eventRoutes {
		m := r.Method
		if m == "ANY" {
			m = "*"
		}
		p := pathParamStar(r.Path)
		if s.stage.Known {
			resources = append(resources, Known("execute-api:/"+s.stage.S+"/"+m+p, r.Loc))
		} else {
			resources = append(resources, Value{S: "execute-api:/${Stage}/" + m + p, Loc: r.Loc})
		}
	}
	allowDeny := func(n *yaml.Node, op string, keys map[string][]Value) {
		loc := c.loc(n)
		pol.Statements = append(pol.Statements,
			&Statement{Loc: loc, Effect: "Allow", EffectLoc: loc, Principal: "*", Actions: []string{"execute-api:Invoke"}, Resources: resources})
		deny := &Statement{Loc: loc, Effect: "Deny", EffectLoc: loc, Principal: "*", Actions: []string{"execute-api:Invoke"}, Resources: resources}
		for _, k := range sortedKeys(keys) {
			deny.Conditions = append(deny.Conditions, Condition{Operator: op, Key: k, Values: keys[k], Loc: loc})
		}
		pol.Statements = append(pol.Statements, deny)
	}
	vpcKeys := func(vals []Value) map[string][]Value {
		keys := map[string][]Value{}
		for _, v := range vals {
			switch {
			case strings.HasPrefix(v.S, "vpce-"):
				keys["aws:SourceVpce"] = append(keys["aws:SourceVpce"], v)
			case strings.HasPrefix(v.S, "vpc-"):
				keys["aws:SourceVpc"] = append(keys["aws:SourceVpc"], v)
			}
		}
		return keys
	}
	for _, p := range yamlpos.Pairs(rp) {
		vals := c.strs(p.Value)
		loc := c.loc(p.Value)
		switch p.Key.Value {
		case "AwsAccountWhitelist", "AwsAccountBlacklist":
			eff := "Allow"
			if p.Key.Value == "AwsAccountBlacklist" {
				eff = "Deny"
			}
			st := &Statement{Loc: loc, Effect: eff, EffectLoc: loc, Principal: "complex", Actions: []string{"execute-api:Invoke"}, Resources: resources}
			for _, v := range vals {
				st.PrincipalAWS = append(st.PrincipalAWS, v.S)
			}
			pol.Statements = append(pol.Statements, st)
		case "IpRangeWhitelist":
			allowDeny(p.Value, "NotIpAddress", map[string][]Value{"aws:SourceIp": vals})
		case "IpRangeBlacklist":
			allowDeny(p.Value, "IpAddress", map[string][]Value{"aws:SourceIp": vals})
		case "SourceVpcWhitelist":
			allowDeny(p.Value, "StringNotEquals", vpcKeys(vals))
		case "SourceVpcBlacklist":
			allowDeny(p.Value, "StringEquals", vpcKeys(vals))
		case "IntrinsicVpcWhitelist":
			allowDeny(p.Value, "StringNotEquals", map[string][]Value{"aws:SourceVpc": vals})
		case "IntrinsicVpcBlacklist":
			allowDeny(p.Value, "StringEquals", map[string][]Value{"aws:SourceVpc": vals})
		case "IntrinsicVpceWhitelist":
			allowDeny(p.Value, "StringNotEquals", map[string][]Value{"aws:SourceVpce": vals})
		case "IntrinsicVpceBlacklist":
			allowDeny(p.Value, "StringEquals", map[string][]Value{"aws:SourceVpce": vals})
		case "CustomStatements":
			st := yamlpos.Items(p.Value)
			if st == nil && yamlpos.IsMap(p.Value) {
				st = []*yaml.Node{p.Value}
			}
			for _, n := range st {
				pol.Statements = append(pol.Statements, c.statement(n))
			}
		}
	}
}

// pathParamStar replaces {param} and {proxy+} segments by "*", as SAM does
// in the resource ARNs of generated policies.
func pathParamStar(p string) string {
	var b strings.Builder
	for {
		i := strings.IndexByte(p, '{')
		if i < 0 {
			b.WriteString(p)
			return b.String()
		}
		j := strings.IndexByte(p[i:], '}')
		if j < 0 {
			b.WriteString(p)
			return b.String()
		}
		b.WriteString(p[:i] + "*")
		p = p[i+j+1:]
	}
}

// samUsagePlan models the plan (and key) SAM creates for
// Auth.UsagePlan.CreateUsagePlan PER_API or SHARED.
func (c *tctx) samUsagePlan(s *samAPI) {
	a := s.api
	if a.SAM == nil || a.Kind != REST {
		return
	}
	mode := strings.ToUpper(a.SAM.CreateUsagePlan)
	if mode != "PER_API" && mode != "SHARED" {
		return
	}
	planID, keyID := a.LogicalID+"UsagePlan", a.LogicalID+"ApiKey"
	if mode == "SHARED" {
		planID, keyID = "ServerlessUsagePlan", "ServerlessApiKey"
	}
	plan := c.plans[planID]
	if plan == nil {
		plan = &UsagePlan{LogicalID: planID, Loc: a.SAM.CreateUsagePlanLoc, Generated: true}
		c.plans[planID] = plan
		c.b.m.UsagePlans = append(c.b.m.UsagePlans, plan)
		key := &APIKey{LogicalID: keyID, Loc: a.SAM.CreateUsagePlanLoc, Generated: true, Plans: []*UsagePlan{plan}}
		plan.Keys = append(plan.Keys, key)
		c.keys[keyID] = key
		c.b.m.APIKeys = append(c.b.m.APIKeys, key)
	}
	plan.Stages = append(plan.Stages, &UsagePlanStage{API: a, Stage: s.stage, Loc: a.SAM.CreateUsagePlanLoc})
}

// samDomain models the custom domain and base path mappings SAM creates for
// the Domain property.
func (c *tctx) samDomain(s *samAPI) {
	a := s.api
	_, dn := s.prop("Domain")
	if dn == nil || !yamlpos.IsMap(dn) {
		return
	}
	_, nameNode := yamlpos.Get(dn, "DomainName")
	if nameNode == nil {
		return
	}
	d := c.b.domain(a.Kind, c.value(nameNode), c.t.File.Path)
	d.External = false
	d.File = c.t.File.Path
	d.Loc = c.loc(nameNode)
	if _, ep := yamlpos.Get(dn, "EndpointConfiguration"); ep != nil {
		if t, ok := c.str(ep); ok {
			d.EndpointType = EndpointType(strings.ToUpper(t))
		}
	} else if a.Kind == HTTP {
		d.EndpointType = Regional
	}
	if k, m := yamlpos.Get(dn, "MutualTlsAuthentication"); k != nil {
		if _, tu := yamlpos.Get(m, "TruststoreUri"); tu != nil {
			d.MTLS, d.MTLSLoc = true, c.loc(k)
		}
	}
	stage := ""
	if s.stage.Known {
		stage = s.stage.S
	}
	_, bp := yamlpos.Get(dn, "BasePath")
	paths := c.strs(bp)
	if len(paths) == 0 {
		d.Mappings = append(d.Mappings, &Mapping{BasePath: "", Known: true, API: a, Stage: stage, StageUnknown: !s.stage.Known, Loc: d.Loc})
		return
	}
	for _, p := range paths {
		m := &Mapping{API: a, Stage: stage, StageUnknown: !s.stage.Known, Loc: p.Loc, Known: p.Known}
		if p.Known {
			m.BasePath = strings.Trim(p.S, "/")
		}
		d.Mappings = append(d.Mappings, m)
	}
}

// samCors records the API's Cors setting and adds the OPTIONS routes SAM
// creates for it (REST APIs; see samAPI.preflight). An HTTP API with
// CorsConfiguration answers preflight requests on every route's path.
func (c *tctx) samCors(s *samAPI) {
	a := s.api
	key := "Cors"
	if a.Kind == HTTP {
		key = "CorsConfiguration"
	}
	corsKey, cors := s.prop(key)
	if cors == nil || yamlpos.IsNull(cors) {
		return
	}
	if on, known := c.boolean(cors); known && !on {
		return
	}
	at := c.loc(corsKey)
	a.CORS = &CORS{Loc: at, Preflight: Auth{Type: AuthNone, Loc: at}}
	if a.Kind == REST {
		a.CORS.Preflight, a.CORS.Unknown = s.preflight, s.preflightUnknown
	}
	auth := a.CORS.Preflight
	has := map[string]bool{"$default": true}
	for _, r := range a.Routes {
		if r.Method == "OPTIONS" || r.Method == "ANY" {
			has[r.Path] = true
		}
	}
	var paths []string
	for _, r := range a.Routes {
		if !has[r.Path] {
			has[r.Path] = true
			paths = append(paths, r.Path)
		}
	}
	for _, p := range paths {
		a.Routes = append(a.Routes, &Route{Method: "OPTIONS", Path: p, Loc: at, Auth: auth, CORS: true, Mock: true})
	}
}

// samPreflight decides the auth SAM gives the OPTIONS methods it adds for
// Cors (and the options operations of a definition that sets no security):
// the API's default authorizer unless AddDefaultAuthorizerToCorsPreflight
// is false, its ApiKeyRequired unless AddApiKeyRequiredToCorsPreflight is
// false. Both flags default to true.
func (c *tctx) samPreflight(s *samAPI) {
	if s.api.Kind != REST {
		return
	}
	auth := Auth{Type: AuthNone}
	flag := func(name string) bool {
		_, v := s.authProp(name)
		if v == nil {
			return true
		}
		on, known := c.boolean(v)
		if !known {
			s.preflightUnknown = true
		}
		return on || !known
	}
	if flag("AddDefaultAuthorizerToCorsPreflight") {
		auth = s.defaultsAuth()
		auth.APIKeyRequired, auth.APIKeyLoc = false, Loc{}
		if s.defaultUnknown {
			s.preflightUnknown = true
		}
	}
	if flag("AddApiKeyRequiredToCorsPreflight") {
		auth.APIKeyRequired, auth.APIKeyLoc = s.apiKeyRequired, s.apiKeyLoc
	}
	s.preflight = auth
}
