// Package template reads AWS SAM and CloudFormation templates (YAML with
// short-form tags such as !Ref and !Sub, the long form {"Fn::Sub": …}, and
// JSON) into a model that keeps the yaml.v3 nodes and byte spans of every
// section, resource and property, and evaluates intrinsic functions as far
// as they are static.
//
// The package knows the template format, nothing about API Gateway 403s.
package template

import (
	"fmt"
	"strconv"
	"strings"
	"sync"

	"gopkg.in/yaml.v3"

	"github.com/gw403/gw403-lsp/schemas/source"
	"github.com/gw403/gw403-lsp/schemas/yamlpos"
)

// Format is the syntax a template is written in.
type Format int

const (
	YAML Format = iota
	JSON
)

func (f Format) String() string {
	if f == JSON {
		return "JSON"
	}
	return "YAML"
}

// SAMTransform is the transform that makes a template a SAM template.
const SAMTransform = "AWS::Serverless-2016-10-31"

// Options configure loading and evaluation.
type Options struct {
	// Region is the value of the AWS::Region pseudo parameter; "" leaves it
	// unknown (the default: a template is deployed to any region).
	Region string
	// Generated are resources a framework adds to the template it
	// deploys, by logical id → type (the Serverless Framework's
	// ApiGatewayRestApi): Ref and Fn::GetAtt of them resolve to them.
	Generated map[string]string
	// Vars resolves the variables of the language the template is
	// embedded in (the Serverless Framework's ${self:…}, ${opt:stage, 'dev'})
	// in a plain string that holds "${": ok false leaves the string
	// unknown; params names what a deployment may override.
	Vars func(s string) (value string, params []string, ok bool)
}

// Problem is something that keeps (part of) a file from being read: a
// YAML/JSON syntax error, text that is not UTF-8, a section of the wrong
// shape. Span points at the cause.
type Problem struct {
	Span    source.Span
	Message string
}

func (p Problem) String() string { return fmt.Sprintf("%v: %s", p.Span, p.Message) }

// Template is one SAM or CloudFormation template.
type Template struct {
	File   *source.File
	Doc    *yamlpos.Doc // positions and edits; Doc.Root is the template mapping
	Format Format
	// NotTemplate reports that the file is valid YAML/JSON but not a
	// template (no Resources with Types, no AWSTemplateFormatVersion, no
	// Transform): an OpenAPI document, a config file … Not an error.
	NotTemplate bool
	// IsSAM reports a SAM template: Transform names AWS::Serverless-2016-10-31,
	// or the template uses AWS::Serverless::* resources or Globals.
	IsSAM bool
	// MissingTransform reports a SAM-shaped template without the SAM
	// Transform (CloudFormation would reject it as written).
	MissingTransform bool
	Transforms       []string
	TransformSpan    source.Span // the Transform value; zero when absent

	Parameters []*Parameter
	Conditions []*Condition
	Mappings   *yaml.Node // the Mappings mapping; nil when absent
	// Globals is the SAM Globals mapping; nil when absent.
	Globals     *yaml.Node
	GlobalsSpan source.Span // the Globals key
	Resources   []*Resource // in document order
	Outputs     []*Output

	Options Options

	params map[string]*Parameter
	conds  map[string]*Condition
	res    map[string]*Resource

	// limitMu guards bigOut, the large texts the evaluations of the
	// template have built, each value counted once (bigNodes: by the
	// line and column of its node, since the node of a short-form
	// intrinsic is a new copy at each evaluation; see
	// MaxTemplateEvalOutput), and limitProblem, the first evaluation that
	// went past a limit.
	limitMu      sync.Mutex
	bigOut       int
	bigNodes     map[[2]int]bool
	limitProblem *Problem
}

// EvalProblems returns the evaluation that went past a limit of output
// (MaxEvalOutput, MaxTemplateEvalOutput), if any so far: its value was
// left undecided.
func (t *Template) EvalProblems() []Problem {
	t.limitMu.Lock()
	defer t.limitMu.Unlock()
	if t.limitProblem == nil {
		return nil
	}
	return []Problem{*t.limitProblem}
}

// Parameter is one entry of the Parameters section.
type Parameter struct {
	Name    string
	KeySpan source.Span
	Type    string
	// Default is the Default value node; nil when the parameter has none.
	Default *yaml.Node
	Node    *yaml.Node // the parameter's mapping
}

// Condition is one entry of the Conditions section.
type Condition struct {
	Name    string
	KeySpan source.Span
	Node    *yaml.Node // the condition expression
}

// Resource is one entry of the Resources section.
type Resource struct {
	LogicalID string
	Key       *yaml.Node
	KeySpan   source.Span // the logical id key
	Node      *yaml.Node  // the resource mapping (Type, Properties, …)
	Span      source.Span // logical id key through the end of the resource
	Type      string      // "" when missing or not a string
	TypeSpan  source.Span // the Type value
	// Properties is the Properties mapping; nil when absent. PropertiesSpan
	// is the span of its key (zero when absent).
	Properties     *yaml.Node
	PropertiesSpan source.Span
	Props          []*Property // the entries of Properties, in order
	// DependsOn lists the logical ids named by DependsOn (a string or a
	// list); DependsOnNode is its value node, nil when absent.
	DependsOn     []string
	DependsOnNode *yaml.Node
	Condition     string // the Condition attribute, "" when absent
}

// Property is one entry of a resource's Properties.
type Property struct {
	Name      string
	Key       *yaml.Node
	Value     *yaml.Node
	KeySpan   source.Span
	ValueSpan source.Span
}

// Prop returns the value node of property name (aliases resolved), or nil.
func (r *Resource) Prop(name string) *yaml.Node {
	if r == nil {
		return nil
	}
	return yamlpos.Value(r.Properties, name)
}

// Property returns property name, or nil.
func (r *Resource) Property(name string) *Property {
	if r == nil {
		return nil
	}
	for _, p := range r.Props {
		if p.Name == name {
			return p
		}
	}
	return nil
}

// Output is one entry of the Outputs section.
type Output struct {
	Name    string
	KeySpan source.Span
	Value   *yaml.Node // the Value node; nil when absent
	Node    *yaml.Node
}

// Resource returns the resource with that logical id, or nil.
func (t *Template) Resource(id string) *Resource { return t.res[id] }

// Created reports whether resource r exists: its Condition is not known
// to be false.
func (t *Template) Created(r *Resource) bool {
	if r.Condition == "" {
		return true
	}
	v, known := t.ConditionValue(r.Condition)
	return v || !known
}

// Conditional reports whether r may not exist: it has a Condition that is
// not known to be true.
func (t *Template) Conditional(r *Resource) bool {
	if r.Condition == "" {
		return false
	}
	v, known := t.ConditionValue(r.Condition)
	return !(known && v)
}

// ResourceAround returns the resource whose span holds sp, or nil.
func (t *Template) ResourceAround(sp source.Span) *Resource {
	for _, r := range t.Resources {
		if r.Span.Start <= sp.Start && sp.End <= r.Span.End {
			return r
		}
	}
	return nil
}

// UniqueID returns base, or base followed by a number, that no resource
// uses and taken does not hold, and adds it to taken.
func (t *Template) UniqueID(base string, taken map[string]bool) string {
	id := base
	for i := 2; t.Resource(id) != nil || taken[id]; i++ {
		id = base + strconv.Itoa(i)
	}
	taken[id] = true
	return id
}

// Parameter returns the parameter with that name, or nil.
func (t *Template) Parameter(name string) *Parameter { return t.params[name] }

// Condition returns the condition with that name, or nil.
func (t *Template) Condition(name string) *Condition { return t.conds[name] }

// Span returns the byte span of a node of this template.
func (t *Template) Span(n *yaml.Node) source.Span { return t.Doc.Span(n) }

// Path returns the template file's path.
func (t *Template) Path() string { return t.File.Path }

// Load reads src as a template with default options.
func Load(src *source.File) (*Template, []Problem) { return LoadWith(src, Options{}) }

// LoadWith reads src as a template. It always returns a Template (with
// NotTemplate set when the text is not one, and no resources when it could
// not be parsed), and the problems found.
func LoadWith(src *source.File, opts Options) (*Template, []Problem) {
	t := &Template{
		File:    src,
		Options: opts,
		params:  map[string]*Parameter{},
		conds:   map[string]*Condition{},
		res:     map[string]*Resource{},
	}
	doc, err := yamlpos.ParseDefinition(src)
	t.Doc = doc
	if doc.JSON {
		t.Format = JSON
	}
	if err != nil {
		var sp source.Span
		msg := err.Error()
		if se, ok := err.(*yamlpos.SyntaxError); ok {
			sp = se.Span
		}
		return t, []Problem{{Span: sp, Message: msg}}
	}
	return t, t.read(doc.Root)
}

// LoadSection reads a mapping of an already parsed document as a template:
// the `resources:` section of a serverless.yml, which is CloudFormation
// inside another format. Spans refer to the whole file.
func LoadSection(doc *yamlpos.Doc, root *yaml.Node, opts Options) (*Template, []Problem) {
	t := &Template{
		File:    doc.File,
		Doc:     doc,
		Options: opts,
		params:  map[string]*Parameter{},
		conds:   map[string]*Condition{},
		res:     map[string]*Resource{},
	}
	if doc.JSON {
		t.Format = JSON
	}
	return t, t.read(yamlpos.Resolve(root))
}

// read reads the template mapping root.
func (t *Template) read(root *yaml.Node) []Problem {
	doc := t.Doc
	if root == nil || root.Kind != yaml.MappingNode {
		t.NotTemplate = true
		return nil
	}
	var probs []Problem
	for _, p := range yamlpos.Pairs(root) {
		switch p.Key.Value {
		case "Transform":
			t.TransformSpan = doc.Span(p.Value)
			v := yamlpos.Resolve(p.Value)
			if v != nil && v.Kind == yaml.ScalarNode {
				t.Transforms = append(t.Transforms, v.Value)
			}
			for _, it := range yamlpos.Items(v) {
				if it = yamlpos.Resolve(it); it != nil && it.Kind == yaml.ScalarNode {
					t.Transforms = append(t.Transforms, it.Value)
				} else if name, ok := yamlpos.Str(it, "Name"); ok {
					t.Transforms = append(t.Transforms, name)
				}
			}
		case "Parameters":
			for _, e := range yamlpos.Pairs(p.Value) {
				par := &Parameter{Name: e.Key.Value, KeySpan: doc.Span(e.Key), Node: yamlpos.Resolve(e.Value)}
				par.Type, _ = yamlpos.Str(e.Value, "Type")
				if _, dv := yamlpos.Get(e.Value, "Default"); dv != nil {
					par.Default = dv
				}
				t.Parameters = append(t.Parameters, par)
				t.params[par.Name] = par
			}
		case "Conditions":
			for _, e := range yamlpos.Pairs(p.Value) {
				c := &Condition{Name: e.Key.Value, KeySpan: doc.Span(e.Key), Node: e.Value}
				t.Conditions = append(t.Conditions, c)
				t.conds[c.Name] = c
			}
		case "Mappings":
			t.Mappings = yamlpos.Resolve(p.Value)
		case "Globals":
			t.Globals = yamlpos.Resolve(p.Value)
			t.GlobalsSpan = doc.Span(p.Key)
		case "Resources":
			v := yamlpos.Resolve(p.Value)
			if v == nil || v.Kind != yaml.MappingNode {
				if !yamlpos.IsNull(v) {
					probs = append(probs, Problem{Span: doc.Span(p.Value), Message: "Resources must be a mapping of logical ids to resources"})
				}
				continue
			}
			for _, e := range yamlpos.Pairs(v) {
				t.addResource(e.Key, e.Value)
			}
		case "Outputs":
			for _, e := range yamlpos.Pairs(p.Value) {
				o := &Output{Name: e.Key.Value, KeySpan: doc.Span(e.Key), Node: yamlpos.Resolve(e.Value)}
				_, o.Value = yamlpos.Get(e.Value, "Value")
				t.Outputs = append(t.Outputs, o)
			}
		}
	}
	t.classify(root)
	if t.NotTemplate {
		// An appspec.yml's Resources list is not a template's mistake.
		return nil
	}
	return probs
}

func (t *Template) addResource(key, val *yaml.Node) {
	doc := t.Doc
	r := &Resource{
		LogicalID: key.Value,
		Key:       key,
		KeySpan:   doc.Span(key),
		Node:      yamlpos.Resolve(val),
		Span:      doc.PairSpan(key, val),
	}
	if k, v := yamlpos.Get(val, "Type"); k != nil {
		if v = yamlpos.Resolve(v); v != nil && v.Kind == yaml.ScalarNode {
			r.Type = v.Value
		}
		r.TypeSpan = doc.Span(v)
	}
	if k, v := yamlpos.Get(val, "Properties"); k != nil {
		r.PropertiesSpan = doc.Span(k)
		if v = yamlpos.Resolve(v); v != nil && v.Kind == yaml.MappingNode {
			r.Properties = v
			for _, e := range yamlpos.Pairs(v) {
				r.Props = append(r.Props, &Property{
					Name: e.Key.Value, Key: e.Key, Value: e.Value,
					KeySpan: doc.Span(e.Key), ValueSpan: doc.Span(e.Value),
				})
			}
		}
	}
	if _, v := yamlpos.Get(val, "DependsOn"); v != nil {
		r.DependsOnNode = v
		rv := yamlpos.Resolve(v)
		if rv != nil && rv.Kind == yaml.ScalarNode && rv.Value != "" {
			r.DependsOn = []string{rv.Value}
		}
		for _, it := range yamlpos.Items(rv) {
			if it = yamlpos.Resolve(it); it != nil && it.Kind == yaml.ScalarNode {
				r.DependsOn = append(r.DependsOn, it.Value)
			}
		}
	}
	r.Condition, _ = yamlpos.Str(val, "Condition")
	t.Resources = append(t.Resources, r)
	if _, dup := t.res[r.LogicalID]; !dup {
		t.res[r.LogicalID] = r
	}
}

// classify decides NotTemplate and IsSAM.
func (t *Template) classify(root *yaml.Node) {
	hasVersion := false
	if k, _ := yamlpos.Get(root, "AWSTemplateFormatVersion"); k != nil {
		hasVersion = true
	}
	typed := false
	samShaped := t.Globals != nil
	for _, r := range t.Resources {
		if strings.Contains(r.Type, "::") { // AWS::…, Custom::…, registry types
			typed = true
		}
		if strings.HasPrefix(r.Type, "AWS::Serverless::") {
			samShaped = true
		}
	}
	hasSAMTransform := false
	for _, tr := range t.Transforms {
		if tr == SAMTransform {
			hasSAMTransform = true
		}
	}
	t.NotTemplate = !hasVersion && !typed && len(t.Transforms) == 0
	if t.NotTemplate {
		return
	}
	t.IsSAM = hasSAMTransform || samShaped
	t.MissingTransform = samShaped && !hasSAMTransform
}
