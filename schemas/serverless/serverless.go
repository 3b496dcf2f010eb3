// Package serverless reads Serverless Framework service files
// (serverless.yml / serverless.yaml): the provider, the functions and
// their events, custom, plugins and the CloudFormation `resources:`
// section, keeping the yaml.v3 nodes (and so the byte spans) of every key.
// It resolves the framework's variables (${sls:stage}, ${opt:stage, 'dev'},
// ${self:…}, ${env:X, default}) as far as they are static.
//
// The package knows the format, nothing about API Gateway 403s.
package serverless

import (
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/gw403/gw403-lsp/schemas/source"
	"github.com/gw403/gw403-lsp/schemas/template"
	"github.com/gw403/gw403-lsp/schemas/yamlpos"
)

// DefaultStage is the stage the framework deploys when neither the CLI nor
// provider.stage names one.
const DefaultStage = "dev"

// Generated logical ids of the resources the framework adds to the
// CloudFormation it deploys; the `resources:` section refers to them.
const (
	RestAPIID = "ApiGatewayRestApi"
	HTTPAPIID = "HttpApi"
)

// Problem keeps (part of) a file from being read; Span points at the cause.
type Problem struct {
	Span    source.Span
	Message string
}

// Service is one serverless.yml.
type Service struct {
	File *source.File
	Doc  *yamlpos.Doc
	// NotService reports valid YAML that is not a service (no `service`
	// and no `provider`); not an error.
	NotService bool
	Name       string
	// FrameworkMajor is the major version frameworkVersion allows ("3",
	// "^3.38.0", ">=2.0.0 <3.0.0" → its lowest major); 0 when unknown.
	FrameworkMajor int
	Provider       *yaml.Node // the provider mapping; nil when absent
	// ProviderName is provider.name ("aws" for the APIs we read).
	ProviderName string
	Stage        Stage
	// Region is provider.region when written as a literal; "" otherwise
	// (the CLI's --region or the framework's default decides).
	Region    string
	Functions []*Function
	// FunctionsUnknown reports functions the file does not spell out
	// (`functions: ${file(…)}`, a list item that is a variable).
	FunctionsUnknown bool
	Custom           *yaml.Node // the custom mapping; nil when absent
	Plugins          []string
	// Resources is the `resources:` section read as CloudFormation; nil
	// when absent. Its Generated options name the API resources the
	// framework adds, and its Vars resolve the framework's variables.
	Resources *template.Template
	// ResourcesUnknown is the first part of `resources:` the file does not
	// spell out (`- ${file(resources/api.yml)}`): the service may define
	// more resources than Resources shows. Nil when everything is known.
	ResourcesUnknown *yaml.Node
}

// Stage is the stage the service deploys.
type Stage struct {
	// Name is the stage as far as the file knows it: provider.stage, the
	// fallback of ${opt:stage, 'dev'}, or "dev" when nothing names one.
	Name  string
	Known bool
	// Pinned reports a literal provider.stage: every deployment of the
	// file uses it. Otherwise the CLI's --stage may name another one.
	Pinned bool
	Node   *yaml.Node // provider.stage's value; nil when absent
}

// Params returns what a deployment may override about the stage.
func (s Stage) Params() []string {
	if s.Pinned {
		return nil
	}
	return []string{"stage"}
}

// Function is one entry of `functions`.
type Function struct {
	Name   string
	Key    *yaml.Node
	Node   *yaml.Node // the function mapping
	Events []*Event
	// EventsUnknown reports events the file does not spell out.
	EventsUnknown bool
}

// Event types read from functions.*.events.
const (
	HTTP    = "http"    // API Gateway REST API
	HTTPAPI = "httpApi" // API Gateway HTTP API
)

// Event is one http or httpApi event of a function.
type Event struct {
	Type string     // HTTP or HTTPAPI
	Key  *yaml.Node // the `http` / `httpApi` key
	// Node is the event's value: a mapping, or the short form
	// `GET /users` (a scalar).
	Node *yaml.Node
	// Method and Path as written (Path without normalisation), and the
	// nodes they come from (both the scalar for the short form).
	Method, Path         string
	MethodNode, PathNode *yaml.Node
	// Known is false when the method or path is not static.
	Known bool
}

// Get returns the value node of a key of the event's mapping (nil for the
// short form).
func (e *Event) Get(key string) *yaml.Node {
	if e == nil || !yamlpos.IsMap(e.Node) {
		return nil
	}
	return yamlpos.Value(e.Node, key)
}

// Load reads src as a Serverless service. It always returns a Service
// (NotService when the text is not one) and the problems found.
func Load(src *source.File) (*Service, []Problem) {
	s := &Service{File: src}
	doc, err := yamlpos.Parse(src)
	s.Doc = doc
	if err != nil {
		var sp source.Span
		if se, ok := err.(*yamlpos.SyntaxError); ok {
			sp = se.Span
		}
		s.NotService = true
		return s, []Problem{{Span: sp, Message: err.Error()}}
	}
	root := doc.Root
	if !yamlpos.IsMap(root) {
		s.NotService = true
		return s, nil
	}
	_, svc := yamlpos.Get(root, "service")
	s.Provider = yamlpos.Resolve(yamlpos.Value(root, "provider"))
	if svc == nil && s.Provider == nil {
		s.NotService = true
		return s, nil
	}
	var probs []Problem
	if svc = yamlpos.Resolve(svc); svc != nil {
		if svc.Kind == yaml.ScalarNode {
			s.Name = svc.Value
		} else if name, ok := yamlpos.Str(svc, "name"); ok { // the v1 form
			s.Name = name
		}
	}
	switch {
	case s.Provider == nil:
	case s.Provider.Kind == yaml.ScalarNode:
		s.ProviderName = s.Provider.Value
		s.Provider = nil
	case s.Provider.Kind == yaml.MappingNode:
		s.ProviderName, _ = yamlpos.Str(s.Provider, "name")
	default:
		probs = append(probs, Problem{Span: doc.Span(s.Provider), Message: "provider must be a mapping"})
		s.Provider = nil
	}
	if v, ok := yamlpos.Str(root, "frameworkVersion"); ok {
		s.FrameworkMajor = majorOf(v)
	}
	s.Custom = yamlpos.Resolve(yamlpos.Value(root, "custom"))
	for _, it := range yamlpos.Items(yamlpos.Resolve(yamlpos.Value(root, "plugins"))) {
		if it = yamlpos.Resolve(it); it != nil && it.Kind == yaml.ScalarNode {
			s.Plugins = append(s.Plugins, it.Value)
		}
	}
	if m := yamlpos.Resolve(yamlpos.Value(root, "plugins")); yamlpos.IsMap(m) { // {localPath, modules}
		for _, it := range yamlpos.Items(yamlpos.Resolve(yamlpos.Value(m, "modules"))) {
			if it = yamlpos.Resolve(it); it != nil && it.Kind == yaml.ScalarNode {
				s.Plugins = append(s.Plugins, it.Value)
			}
		}
	}
	s.readStage()
	if s.Provider != nil {
		if r := yamlpos.Resolve(yamlpos.Value(s.Provider, "region")); r != nil && r.Kind == yaml.ScalarNode && !strings.Contains(r.Value, "${") {
			s.Region = r.Value
		}
	}
	probs = append(probs, s.readFunctions(yamlpos.Value(root, "functions"))...)
	if k, v := yamlpos.Get(root, "resources"); k != nil {
		res := yamlpos.Resolve(v)
		if yamlpos.IsSeq(res) {
			// `resources:` may be a list of mappings and ${file(…)}
			// includes, which the framework merges.
			res = s.mergeResources(res)
		} else if res != nil && res.Kind == yaml.ScalarNode && strings.Contains(res.Value, "${") {
			s.ResourcesUnknown = res
		}
		if yamlpos.IsMap(res) {
			s.noteUnknownResources(res)
			t, tp := template.LoadSection(doc, res, template.Options{
				Region:    s.Region,
				Generated: map[string]string{RestAPIID: "AWS::ApiGateway::RestApi", HTTPAPIID: "AWS::ApiGatewayV2::Api"},
				Vars:      s.Resolve,
			})
			t.NotTemplate = false // Resources without Types are still the service's section
			s.Resources = t
			for _, p := range tp {
				if s.ResourcesUnknown != nil && p.Span == doc.Span(s.ResourcesUnknown) {
					continue // an include, not a malformed section
				}
				probs = append(probs, Problem{Span: p.Span, Message: p.Message})
			}
		}
	}
	return s, probs
}

// readStage decides the stage from provider.stage.
func (s *Service) readStage() {
	st := Stage{Name: DefaultStage, Known: true}
	if s.Provider != nil {
		if v := yamlpos.Resolve(yamlpos.Value(s.Provider, "stage")); v != nil && v.Kind == yaml.ScalarNode {
			st.Node = v
			if !strings.Contains(v.Value, "${") {
				st.Name, st.Pinned = v.Value, true
			} else {
				// Resolve with the stage unknown: ${opt:stage, 'dev'}
				// gives its fallback, ${opt:stage} nothing.
				r := &resolver{s: s, stageUnknown: true}
				name, _, ok := r.resolve(v.Value, 0)
				st.Name, st.Known = name, ok && name != ""
			}
		}
	}
	s.Stage = st
}

func (s *Service) readFunctions(fns *yaml.Node) []Problem {
	fns = yamlpos.Resolve(fns)
	var pairs []yamlpos.Pair
	switch {
	case fns == nil || yamlpos.IsNull(fns):
		return nil
	case yamlpos.IsMap(fns):
		pairs = yamlpos.Pairs(fns)
	case yamlpos.IsSeq(fns): // a list of mappings of functions (v1.x, ${file()} lists)
		for _, it := range yamlpos.Items(fns) {
			if it = yamlpos.Resolve(it); yamlpos.IsMap(it) {
				pairs = append(pairs, yamlpos.Pairs(it)...)
			} else {
				s.FunctionsUnknown = true
			}
		}
	default:
		if fns.Kind == yaml.ScalarNode && strings.Contains(fns.Value, "${") {
			s.FunctionsUnknown = true
			return nil
		}
		return []Problem{{Span: s.Doc.Span(fns), Message: "functions must be a mapping of function names to functions"}}
	}
	for _, p := range pairs {
		f := &Function{Name: p.Key.Value, Key: p.Key, Node: yamlpos.Resolve(p.Value)}
		s.Functions = append(s.Functions, f)
		if !yamlpos.IsMap(f.Node) {
			if f.Node != nil && f.Node.Kind == yaml.ScalarNode && strings.Contains(f.Node.Value, "${") {
				f.EventsUnknown = true
			}
			continue
		}
		evs := yamlpos.Resolve(yamlpos.Value(f.Node, "events"))
		if evs != nil && !yamlpos.IsSeq(evs) && !yamlpos.IsNull(evs) {
			f.EventsUnknown = true
			continue
		}
		for _, it := range yamlpos.Items(evs) {
			it = yamlpos.Resolve(it)
			if !yamlpos.IsMap(it) {
				if it != nil && it.Kind == yaml.ScalarNode && strings.Contains(it.Value, "${") {
					f.EventsUnknown = true
				}
				continue
			}
			for _, ep := range yamlpos.Pairs(it) {
				if ep.Key.Value != HTTP && ep.Key.Value != HTTPAPI {
					continue
				}
				f.Events = append(f.Events, s.event(ep.Key, yamlpos.Resolve(ep.Value)))
			}
		}
	}
	return nil
}

// event reads an http / httpApi event.
func (s *Service) event(key, v *yaml.Node) *Event {
	e := &Event{Type: key.Value, Key: key, Node: v, Known: true}
	switch {
	case v != nil && v.Kind == yaml.ScalarNode:
		// `GET users/{id}`, `httpApi: '*'`, `httpApi: 'GET /users'`.
		text, _, ok := s.Resolve(v.Value)
		e.MethodNode, e.PathNode = v, v
		if !ok {
			e.Known = false
			return e
		}
		text = strings.TrimSpace(text)
		if text == "*" {
			e.Method, e.Path = "*", "*"
			return e
		}
		m, p, found := strings.Cut(text, " ")
		if !found {
			e.Known = false
			return e
		}
		e.Method, e.Path = m, strings.TrimSpace(p)
	case yamlpos.IsMap(v):
		e.MethodNode = yamlpos.Resolve(yamlpos.Value(v, "method"))
		e.PathNode = yamlpos.Resolve(yamlpos.Value(v, "path"))
		var okM, okP bool
		e.Method, okM = s.Str(e.MethodNode)
		e.Path, okP = s.Str(e.PathNode)
		if e.Type == HTTPAPI && e.MethodNode == nil {
			e.Method, okM = "*", true // an httpApi event without method is any method
		}
		e.Known = okM && okP
	default:
		e.Known = false
	}
	return e
}

// Str resolves a scalar node to a known string.
func (s *Service) Str(n *yaml.Node) (string, bool) {
	v, _, ok := s.Eval(n)
	return v, ok
}

// Eval resolves a scalar node, and names what a deployment may override
// about the value (a stage the CLI may set, the variables whose fallback
// was used).
func (s *Service) Eval(n *yaml.Node) (string, []string, bool) {
	n = yamlpos.Resolve(n)
	if n == nil || n.Kind != yaml.ScalarNode || n.Tag == "!!null" {
		return "", nil, false
	}
	return s.Resolve(n.Value)
}

// Bool resolves a scalar node to a known boolean.
func (s *Service) Bool(n *yaml.Node) (value, known bool) {
	v, ok := s.Str(n)
	if !ok {
		return false, false
	}
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "true":
		return true, true
	case "false":
		return false, true
	}
	return false, false
}

// Resolve replaces the variables of text. ok is false when one of them has
// no static value and no fallback.
func (s *Service) Resolve(text string) (string, []string, bool) {
	if !strings.Contains(text, "${") {
		return text, nil, true
	}
	r := &resolver{s: s}
	return r.resolve(text, 0)
}

// majorOf returns the lowest major version a semver range allows, or 0.
func majorOf(v string) int {
	v = strings.TrimLeft(strings.TrimSpace(v), "^~>=v ")
	n := 0
	for i := 0; i < len(v) && v[i] >= '0' && v[i] <= '9'; i++ {
		n = n*10 + int(v[i]-'0')
		if n > 1000 {
			return 0
		}
	}
	return n
}

// legacyAPIGatewayKeys are the API Gateway settings Serverless v1 and v2
// also read directly under provider; v3 reads them only under
// provider.apiGateway.
var legacyAPIGatewayKeys = map[string]bool{"apiKeys": true, "usagePlan": true, "resourcePolicy": true}

// APIGatewaySetting returns the key and value of an API Gateway setting
// where the framework reads it: provider.apiGateway.<name>, else, for
// apiKeys, usagePlan and resourcePolicy, provider.<name> unless
// frameworkVersion pins v3 or later (which ignores it).
func (s *Service) APIGatewaySetting(name string) (key, value *yaml.Node) {
	gw := yamlpos.Resolve(yamlpos.Value(s.Provider, "apiGateway"))
	if k, v := yamlpos.Get(gw, name); k != nil {
		return k, v
	}
	if legacyAPIGatewayKeys[name] && (s.FrameworkMajor == 0 || s.FrameworkMajor < 3) {
		return yamlpos.Get(s.Provider, name)
	}
	return nil, nil
}

// IgnoredSetting returns the key of provider.<name> when the pinned
// framework version ignores it (the v2 location of apiKeys, usagePlan,
// resourcePolicy under frameworkVersion 3 or later) and
// provider.apiGateway does not set it; nil otherwise.
func (s *Service) IgnoredSetting(name string) *yaml.Node {
	if !legacyAPIGatewayKeys[name] || s.FrameworkMajor < 3 {
		return nil
	}
	if k, _ := s.APIGatewaySetting(name); k != nil {
		return nil
	}
	k, _ := yamlpos.Get(s.Provider, name)
	return k
}

// mergeResources merges the mappings of a `resources:` list into one
// (their Resources, Outputs and Conditions entries, in order), and notes
// the items it cannot read.
func (s *Service) mergeResources(list *yaml.Node) *yaml.Node {
	sections := map[string]*yaml.Node{}
	root := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map", Line: list.Line, Column: list.Column}
	for _, it := range yamlpos.Items(list) {
		it = yamlpos.Resolve(it)
		if !yamlpos.IsMap(it) {
			if it != nil && s.ResourcesUnknown == nil {
				s.ResourcesUnknown = it
			}
			continue
		}
		for _, p := range yamlpos.Pairs(it) {
			v := yamlpos.Resolve(p.Value)
			if !yamlpos.IsMap(v) {
				if v != nil && v.Kind == yaml.ScalarNode && strings.Contains(v.Value, "${") && s.ResourcesUnknown == nil {
					s.ResourcesUnknown = v
				}
				continue
			}
			sec := sections[p.Key.Value]
			if sec == nil {
				sec = &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map", Line: v.Line, Column: v.Column}
				sections[p.Key.Value] = sec
				root.Content = append(root.Content, p.Key, sec)
			}
			sec.Content = append(sec.Content, v.Content...)
		}
	}
	return root
}

// noteUnknownResources notes a section or a resource of the `resources:`
// mapping given by a variable (`Resources: ${file(…)}`, `Table: ${file(…)}`).
func (s *Service) noteUnknownResources(res *yaml.Node) {
	isVar := func(n *yaml.Node) bool {
		n = yamlpos.Resolve(n)
		return n != nil && n.Kind == yaml.ScalarNode && strings.Contains(n.Value, "${")
	}
	for _, p := range yamlpos.Pairs(res) {
		if s.ResourcesUnknown != nil {
			return
		}
		if isVar(p.Value) {
			s.ResourcesUnknown = yamlpos.Resolve(p.Value)
			continue
		}
		if p.Key.Value == "Resources" {
			for _, r := range yamlpos.Pairs(yamlpos.Resolve(p.Value)) {
				if isVar(r.Value) {
					s.ResourcesUnknown = yamlpos.Resolve(r.Value)
					break
				}
			}
		}
	}
}
