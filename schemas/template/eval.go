package template

import (
	"encoding/base64"

	"github.com/gw403/gw403-lsp/schemas/source"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/gw403/gw403-lsp/schemas/yamlpos"
)

// Kind says what an evaluated Value is.
type Kind int

const (
	// Unknown: not statically known (Reason says why). A Sub or Join that
	// is partly known keeps its pieces in Parts.
	Unknown Kind = iota
	// String: a known scalar (numbers and booleans are strings, as in
	// CloudFormation).
	String
	// List: a sequence; its items are in List.
	List
	// Map: a mapping that is not an intrinsic function; see Node.
	Map
	// ResourceRef: a Ref or GetAtt of a resource of the template (or of
	// the SAM implicit APIs ServerlessRestApi / ServerlessHttpApi). The
	// string value (a physical id, an ARN) is unknown at authoring time,
	// but the resource is known: LogicalID, ResourceType and Attr.
	ResourceRef
	// OneOf: an Fn::If on a condition that is not static; the value is one
	// of Alternatives.
	OneOf
	// NoValue: Ref AWS::NoValue (the property is removed).
	NoValue
)

func (k Kind) String() string {
	return [...]string{"unknown", "string", "list", "map", "resource-ref", "one-of", "no-value"}[k]
}

// Value is the static value of a template node.
type Value struct {
	Kind Kind
	S    string  // String
	List []Value // List
	// LogicalID, ResourceType and Attr describe a ResourceRef ("" Attr for Ref).
	LogicalID    string
	ResourceType string
	Attr         string
	Alternatives []Value // OneOf
	// Parts are the pieces of a partly known Sub or Join, in order: String
	// literals and the unknown or ResourceRef values in between.
	Parts []Value
	// Reason says what made an Unknown value unknown ("AWS::AccountId",
	// "parameter Env has no Default", "Fn::ImportValue" …).
	Reason string
	Node   *yaml.Node // the node the value was read from
	// Params names the parameters whose Default the value was computed
	// from: a deployment may override them.
	Params []string
}

// Known reports whether v is a known string.
func (v Value) Known() bool { return v.Kind == String }

// Str returns the string and whether it is known.
func (v Value) Str() (string, bool) { return v.S, v.Kind == String }

// Strings returns the known strings of a List (or of a single String), and
// whether all of them were known.
func (v Value) Strings() ([]string, bool) {
	switch v.Kind {
	case String:
		return []string{v.S}, true
	case List:
		out := make([]string, 0, len(v.List))
		all := true
		for _, it := range v.List {
			if it.Kind == String {
				out = append(out, it.S)
			} else {
				all = false
			}
		}
		return out, all
	}
	return nil, false
}

// Display renders v for people: known text as is, unknown parts as ${…}.
func (v Value) Display() string {
	switch v.Kind {
	case String:
		return v.S
	case ResourceRef:
		if v.Attr != "" {
			return "${" + v.LogicalID + "." + v.Attr + "}"
		}
		return "${" + v.LogicalID + "}"
	case List:
		parts := make([]string, len(v.List))
		for i, it := range v.List {
			parts[i] = it.Display()
		}
		return "[" + strings.Join(parts, ", ") + "]"
	case OneOf:
		parts := make([]string, len(v.Alternatives))
		for i, it := range v.Alternatives {
			parts[i] = it.Display()
		}
		return strings.Join(parts, " | ")
	case NoValue:
		return "${AWS::NoValue}"
	}
	if len(v.Parts) > 0 {
		var b strings.Builder
		for _, p := range v.Parts {
			b.WriteString(p.Display())
		}
		return b.String()
	}
	if v.Reason != "" {
		return "${" + v.Reason + "}"
	}
	return "${?}"
}

func unknown(n *yaml.Node, reason string) Value { return Value{Kind: Unknown, Reason: reason, Node: n} }
func str(n *yaml.Node, s string) Value          { return Value{Kind: String, S: s, Node: n} }

// Limits of one evaluation: intrinsics nest a few levels in real templates;
// the limits only stop hostile input (deep nesting, alias bombs).
const (
	maxEvalDepth = 64
	maxEvalSteps = 20000
)

// Limits of the text evaluation builds: steps do not bound it (`!Sub` of a
// 1 MB parameter 3,000 times is one step per reference). Past a limit the
// value is Unknown and Template.EvalProblems says where.
const (
	// MaxEvalOutput bounds the text one evaluation builds.
	MaxEvalOutput = 4 << 20
	// MaxTemplateEvalOutput bounds the large texts (of bigLen bytes or
	// more) the values of one template build together, each value counted
	// once however often it is evaluated: values the model keeps, one per
	// resource, could otherwise add up to gigabytes.
	MaxTemplateEvalOutput = 64 << 20
	bigLen                = 64 << 10
	// valueCost is what one list item counts for, in bytes.
	valueCost = 64
)

// evalLimitReason is the Reason of a value left undecided at a limit.
const evalLimitReason = "evaluation output limit"

type evaluator struct {
	t     *Template
	steps int
	conds map[string]bool // conditions being evaluated (cycle guard)
	out   int             // bytes of text built by this evaluation
}

// spend counts n bytes of text about to be built for node n0; false when
// that goes past a limit (the first time, the template records where).
func (e *evaluator) spend(n int, n0 *yaml.Node) bool {
	e.out += n
	msg := ""
	if e.out > MaxEvalOutput {
		msg = "this value builds more than 4 MiB of text (the limit of one template evaluation): it is left undecided"
	}
	if msg == "" && n < bigLen {
		return true
	}
	t := e.t
	t.limitMu.Lock()
	defer t.limitMu.Unlock()
	if msg == "" {
		var at [2]int
		if n0 != nil {
			at = [2]int{n0.Line, n0.Column}
		}
		switch {
		case n0 != nil && t.bigNodes[at]:
			return true
		case t.bigOut+n <= MaxTemplateEvalOutput:
			if t.bigNodes == nil {
				t.bigNodes = map[[2]int]bool{}
			}
			t.bigNodes[at] = true
			t.bigOut += n
			return true
		}
		msg = "the values of this template build more than 64 MiB of large texts (the limit per template): this value and the next are left undecided"
	}
	e.out = MaxEvalOutput + 1 // the rest of this evaluation stays undecided
	if e.t.limitProblem == nil {
		var sp source.Span // the value's first line
		if e.t.Doc != nil && n0 != nil {
			text := e.t.Doc.File.Text
			start := min(e.t.Doc.Start(n0), len(text))
			end := len(text)
			if i := strings.IndexAny(text[start:], "\r\n"); i >= 0 {
				end = start + i
			}
			sp = source.Span{Start: start, End: end}
		}
		e.t.limitProblem = &Problem{Span: sp, Message: msg}
	}
	return false
}

// Eval evaluates node n of t statically. Unknown parts stay explicit:
// nothing is guessed.
func (t *Template) Eval(n *yaml.Node) Value {
	e := &evaluator{t: t}
	return e.eval(n, 0)
}

// EvalString evaluates n and returns its string when known.
func (t *Template) EvalString(n *yaml.Node) (string, bool) { return t.Eval(n).Str() }

// ConditionValue evaluates the named condition; known is false when it
// depends on something not static.
func (t *Template) ConditionValue(name string) (value, known bool) {
	e := &evaluator{t: t}
	return e.condition(name, 0)
}

// ResolveIf follows Fn::If nodes whose condition is static to the branch
// they choose; it returns n itself when it is no intrinsic, and nil when
// the choice is not static or another intrinsic is in the way.
func (t *Template) ResolveIf(n *yaml.Node) *yaml.Node {
	for i := 0; i < 8; i++ {
		name, arg, ok := Intrinsic(n)
		if !ok {
			return n
		}
		items := yamlpos.Items(arg)
		if name != "Fn::If" || len(items) != 3 || !yamlpos.IsScalar(items[0]) {
			return nil
		}
		v, known := t.ConditionValue(yamlpos.Resolve(items[0]).Value)
		if !known {
			return nil
		}
		if v {
			n = items[1]
		} else {
			n = items[2]
		}
	}
	return nil
}

// shortTags maps short-form tags to intrinsic function names.
var shortTags = map[string]string{
	"!Ref": "Ref", "!Condition": "Condition",
	"!Sub": "Fn::Sub", "!GetAtt": "Fn::GetAtt", "!If": "Fn::If", "!Join": "Fn::Join",
	"!Select": "Fn::Select", "!Split": "Fn::Split", "!FindInMap": "Fn::FindInMap",
	"!ImportValue": "Fn::ImportValue", "!Base64": "Fn::Base64", "!Cidr": "Fn::Cidr",
	"!GetAZs": "Fn::GetAZs", "!Equals": "Fn::Equals", "!Not": "Fn::Not", "!And": "Fn::And",
	"!Or": "Fn::Or", "!Transform": "Fn::Transform", "!Length": "Fn::Length",
	"!ToJsonString": "Fn::ToJsonString",
}

// Intrinsic reports whether n is an intrinsic function call, in short form
// (`!Sub "…"`) or long form (`{"Fn::Sub": "…"}`), and returns the function
// name ("Ref", "Condition", "Fn::Sub" …) and its argument. For the short
// form the argument is a copy of n without its tag (same position).
func Intrinsic(n *yaml.Node) (name string, arg *yaml.Node, ok bool) {
	n = yamlpos.Resolve(n)
	if n == nil {
		return "", nil, false
	}
	if fn, ok := shortTags[n.Tag]; ok {
		c := *n
		c.Tag = ""
		c.Style &^= yaml.TaggedStyle
		return fn, &c, true
	}
	if n.Kind == yaml.MappingNode && len(n.Content) == 2 {
		k := n.Content[0].Value
		if k == "Ref" || k == "Condition" || strings.HasPrefix(k, "Fn::") {
			return k, n.Content[1], true
		}
	}
	return "", nil, false
}

func (e *evaluator) eval(n *yaml.Node, depth int) Value {
	e.steps++
	if depth > maxEvalDepth || e.steps > maxEvalSteps {
		return unknown(n, "too deep to evaluate")
	}
	orig := n
	n = yamlpos.Resolve(n)
	if n == nil {
		return unknown(orig, "missing value")
	}
	if fn, arg, ok := Intrinsic(n); ok {
		v := e.call(fn, arg, depth+1)
		if v.Node == nil {
			v.Node = orig
		}
		return v
	}
	switch n.Kind {
	case yaml.ScalarNode:
		if n.Tag == "!!null" {
			return unknown(orig, "null")
		}
		if strings.HasPrefix(n.Tag, "!") && !strings.HasPrefix(n.Tag, "!!") {
			return unknown(orig, "unknown tag "+n.Tag)
		}
		if vars := e.t.Options.Vars; vars != nil && strings.Contains(n.Value, "${") {
			s, params, ok := vars(n.Value)
			if !ok {
				v := unknown(orig, "variable")
				v.Parts = []Value{str(orig, n.Value)} // shown as written
				return v
			}
			v := str(orig, s)
			v.Params = params
			return v
		}
		return str(orig, n.Value)
	case yaml.SequenceNode:
		items := make([]Value, 0, len(n.Content))
		for _, c := range n.Content {
			v := e.eval(c, depth+1)
			if v.Kind == NoValue {
				continue
			}
			items = append(items, v)
		}
		return Value{Kind: List, List: items, Node: orig}
	case yaml.MappingNode:
		return Value{Kind: Map, Node: orig}
	}
	return unknown(orig, "unsupported node")
}

func (e *evaluator) call(fn string, arg *yaml.Node, depth int) Value {
	switch fn {
	case "Ref":
		a := e.eval(arg, depth)
		name, ok := a.Str()
		if !ok {
			return unknown(arg, "Ref of a computed name")
		}
		return e.ref(name, arg, depth)
	case "Fn::GetAtt":
		return e.getAtt(arg, depth)
	case "Fn::Sub":
		return e.sub(arg, depth)
	case "Fn::Join":
		return e.join(arg, depth)
	case "Fn::Select":
		items := yamlpos.Items(arg)
		if len(items) != 2 {
			return unknown(arg, "Fn::Select needs [index, list]")
		}
		idx, ok := e.eval(items[0], depth).Str()
		if !ok {
			return unknown(arg, "Fn::Select index")
		}
		i, err := strconv.Atoi(idx)
		list := e.eval(items[1], depth)
		if err != nil || list.Kind != List {
			return unknown(arg, "Fn::Select list")
		}
		if i < 0 || i >= len(list.List) {
			return unknown(arg, "Fn::Select index out of range")
		}
		return list.List[i]
	case "Fn::Split":
		items := yamlpos.Items(arg)
		if len(items) != 2 {
			return unknown(arg, "Fn::Split needs [delimiter, string]")
		}
		d, ok1 := e.eval(items[0], depth).Str()
		s, ok2 := e.eval(items[1], depth).Str()
		if !ok1 || !ok2 || d == "" {
			return unknown(arg, "Fn::Split of an unknown string")
		}
		if !e.spend(valueCost*(strings.Count(s, d)+1), arg) {
			return unknown(arg, evalLimitReason)
		}
		parts := strings.Split(s, d)
		out := make([]Value, len(parts))
		for i, p := range parts {
			out[i] = str(arg, p)
		}
		return Value{Kind: List, List: out, Node: arg}
	case "Fn::If":
		items := yamlpos.Items(arg)
		if len(items) != 3 {
			return unknown(arg, "Fn::If needs [condition, then, else]")
		}
		cname, ok := e.eval(items[0], depth).Str()
		if !ok {
			return unknown(arg, "Fn::If condition")
		}
		val, known := e.condition(cname, depth)
		if known {
			if val {
				return e.eval(items[1], depth)
			}
			return e.eval(items[2], depth)
		}
		a, b := e.eval(items[1], depth), e.eval(items[2], depth)
		return Value{Kind: OneOf, Alternatives: []Value{a, b}, Reason: "condition " + cname, Node: arg}
	case "Fn::FindInMap":
		items := yamlpos.Items(arg)
		if len(items) < 3 {
			return unknown(arg, "Fn::FindInMap needs [map, key, key]")
		}
		var keys [3]string
		var params []string
		for i := 0; i < 3; i++ {
			kv := e.eval(items[i], depth)
			k, ok := kv.Str()
			if !ok {
				return unknown(arg, "Fn::FindInMap key")
			}
			keys[i] = k
			params = addParams(params, kv.Params...)
		}
		v := yamlpos.Value(yamlpos.Value(yamlpos.Value(e.t.Mappings, keys[0]), keys[1]), keys[2])
		if v == nil {
			return unknown(arg, "Fn::FindInMap: no "+strings.Join(keys[:], "/"))
		}
		out := e.eval(v, depth)
		out.Params = addParams(out.Params, params...)
		return out
	case "Fn::Base64":
		s, ok := e.eval(arg, depth).Str()
		if !ok {
			return unknown(arg, "Fn::Base64 of an unknown string")
		}
		if !e.spend(base64.StdEncoding.EncodedLen(len(s)), arg) {
			return unknown(arg, evalLimitReason)
		}
		return str(arg, base64.StdEncoding.EncodeToString([]byte(s)))
	case "Fn::Equals":
		items := yamlpos.Items(arg)
		if len(items) != 2 {
			return unknown(arg, "Fn::Equals needs two values")
		}
		a, ok1 := e.eval(items[0], depth).Str()
		b, ok2 := e.eval(items[1], depth).Str()
		if !ok1 || !ok2 {
			return unknown(arg, "Fn::Equals of unknown values")
		}
		return str(arg, strconv.FormatBool(a == b))
	case "Fn::Not", "Fn::And", "Fn::Or", "Condition":
		b, known := e.boolean(fn, arg, depth)
		if !known {
			return unknown(arg, fn)
		}
		return str(arg, strconv.FormatBool(b))
	}
	// Fn::ImportValue, Fn::GetAZs, Fn::Cidr, Fn::Transform …: run time only.
	return unknown(arg, fn)
}

// boolean evaluates a condition function.
func (e *evaluator) boolean(fn string, arg *yaml.Node, depth int) (value, known bool) {
	e.steps++
	if depth > maxEvalDepth || e.steps > maxEvalSteps {
		return false, false
	}
	switch fn {
	case "Condition":
		name, ok := e.eval(arg, depth).Str()
		if !ok {
			return false, false
		}
		return e.condition(name, depth)
	case "Fn::Not":
		items := yamlpos.Items(arg)
		if len(items) != 1 {
			return false, false
		}
		v, k := e.condExpr(items[0], depth)
		return !v, k
	case "Fn::And", "Fn::Or":
		isAnd := fn == "Fn::And"
		allKnown := true
		for _, it := range yamlpos.Items(arg) {
			v, k := e.condExpr(it, depth)
			if k && v != isAnd {
				return !isAnd, true // a false in And, a true in Or decides
			}
			if !k {
				allKnown = false
			}
		}
		return isAnd, allKnown
	}
	return false, false
}

// condExpr evaluates a condition expression node to a boolean.
func (e *evaluator) condExpr(n *yaml.Node, depth int) (value, known bool) {
	if depth > maxEvalDepth {
		return false, false
	}
	if fn, arg, ok := Intrinsic(n); ok {
		switch fn {
		case "Condition", "Fn::Not", "Fn::And", "Fn::Or":
			return e.boolean(fn, arg, depth+1)
		}
	}
	s, ok := e.eval(n, depth+1).Str()
	if !ok {
		return false, false
	}
	switch s {
	case "true":
		return true, true
	case "false":
		return false, true
	}
	return false, false
}

// condition evaluates the named condition of the template.
func (e *evaluator) condition(name string, depth int) (value, known bool) {
	c := e.t.conds[name]
	if c == nil {
		return false, false
	}
	if e.conds == nil {
		e.conds = map[string]bool{}
	}
	if e.conds[name] {
		return false, false // a cycle
	}
	e.conds[name] = true
	defer delete(e.conds, name)
	return e.condExpr(c.Node, depth+1)
}

// pseudo returns the value of a pseudo parameter.
func (e *evaluator) pseudo(name string, n *yaml.Node) (Value, bool) {
	region := e.t.Options.Region
	switch name {
	case "AWS::Region":
		if region != "" {
			return str(n, region), true
		}
		return unknown(n, name), true
	case "AWS::URLSuffix":
		if strings.HasPrefix(region, "cn-") {
			return str(n, "amazonaws.com.cn"), true
		}
		return str(n, "amazonaws.com"), true
	case "AWS::Partition":
		switch {
		case region == "":
			return unknown(n, name), true
		case strings.HasPrefix(region, "cn-"):
			return str(n, "aws-cn"), true
		case strings.HasPrefix(region, "us-gov-"):
			return str(n, "aws-us-gov"), true
		}
		return str(n, "aws"), true
	case "AWS::NoValue":
		return Value{Kind: NoValue, Node: n}, true
	case "AWS::AccountId", "AWS::StackName", "AWS::StackId", "AWS::NotificationARNs":
		return unknown(n, name), true
	}
	if strings.HasPrefix(name, "AWS::") {
		return unknown(n, name), true
	}
	return Value{}, false
}

// Implicit SAM API logical ids.
const (
	ImplicitRestAPI = "ServerlessRestApi"
	ImplicitHTTPAPI = "ServerlessHttpApi"
)

// ref resolves `Ref name`.
func (e *evaluator) ref(name string, n *yaml.Node, depth int) Value {
	if v, ok := e.pseudo(name, n); ok {
		return v
	}
	if p := e.t.params[name]; p != nil {
		if p.Default == nil {
			return unknown(n, "parameter "+name+" has no Default")
		}
		v := e.eval(p.Default, depth+1)
		if s, ok := v.Str(); ok && (p.Type == "CommaDelimitedList" || strings.HasPrefix(p.Type, "List<")) {
			if !e.spend(valueCost*(strings.Count(s, ",")+1), p.Default) {
				return unknown(n, evalLimitReason)
			}
			parts := strings.Split(s, ",")
			out := make([]Value, len(parts))
			for i, x := range parts {
				out[i] = str(p.Default, strings.TrimSpace(x))
				out[i].Params = []string{name}
			}
			return Value{Kind: List, List: out, Node: p.Default, Params: []string{name}}
		}
		v.Params = addParams(v.Params, name)
		return v
	}
	if r := e.t.res[name]; r != nil {
		// Ref of a stage is its name: the one static string API Gateway
		// resources give back.
		if r.Type == "AWS::ApiGateway::Stage" || r.Type == "AWS::ApiGatewayV2::Stage" {
			if sn := r.Prop("StageName"); sn != nil {
				v := e.eval(sn, depth+1)
				if v.Kind == String {
					return v
				}
			}
			return unknown(n, "stage name of "+name)
		}
		return Value{Kind: ResourceRef, LogicalID: name, ResourceType: r.Type, Node: n}
	}
	if typ, ok := e.t.Options.Generated[name]; ok {
		return Value{Kind: ResourceRef, LogicalID: name, ResourceType: typ, Node: n}
	}
	// SAM's referenceable generated resources: MyApi.Stage, MyApi.Deployment.
	if i := strings.LastIndexByte(name, '.'); i > 0 && e.t.IsSAM {
		base, prop := name[:i], name[i+1:]
		if r := e.t.res[base]; r != nil && prop == "Stage" && (r.Type == "AWS::Serverless::Api" || r.Type == "AWS::Serverless::HttpApi") {
			if sn := r.Prop("StageName"); sn != nil {
				return e.eval(sn, depth+1)
			}
			if r.Type == "AWS::Serverless::HttpApi" {
				return str(n, "$default")
			}
			return unknown(n, "stage name of "+base)
		}
	}
	if v, ok := e.generatedStage(name, n, depth); ok {
		return v
	}
	if e.t.IsSAM && (name == ImplicitRestAPI || name == ImplicitHTTPAPI) {
		typ := "AWS::Serverless::Api"
		if name == ImplicitHTTPAPI {
			typ = "AWS::Serverless::HttpApi"
		}
		return Value{Kind: ResourceRef, LogicalID: name, ResourceType: typ, Node: n}
	}
	return unknown(n, "Ref "+name)
}

// generatedStage resolves a Ref to a stage SAM generates: <Api><StageName>Stage
// (ServerlessRestApiProdStage for the implicit API) and, for HTTP APIs,
// <Api>ApiGatewayDefaultStage.
func (e *evaluator) generatedStage(name string, n *yaml.Node, depth int) (Value, bool) {
	if !e.t.IsSAM || !strings.HasSuffix(name, "Stage") {
		return Value{}, false
	}
	if name == ImplicitRestAPI+"ProdStage" {
		return str(n, "Prod"), true
	}
	if name == ImplicitHTTPAPI+"ApiGatewayDefaultStage" {
		return str(n, "$default"), true
	}
	for _, r := range e.t.Resources {
		if r.Type != "AWS::Serverless::Api" && r.Type != "AWS::Serverless::HttpApi" || !strings.HasPrefix(name, r.LogicalID) {
			continue
		}
		mid := strings.TrimSuffix(name[len(r.LogicalID):], "Stage")
		sn := r.Prop("StageName")
		if r.Type == "AWS::Serverless::HttpApi" && (sn == nil && mid == "ApiGatewayDefault") {
			return str(n, "$default"), true
		}
		if sn == nil {
			continue
		}
		if s, ok := e.eval(sn, depth+1).Str(); ok && s == mid {
			return str(n, s), true
		}
	}
	return Value{}, false
}

// getAtt resolves `Fn::GetAtt [Res, Attr]` or `!GetAtt Res.Attr`.
func (e *evaluator) getAtt(arg *yaml.Node, depth int) Value {
	var res, attr string
	a := yamlpos.Resolve(arg)
	switch {
	case a != nil && a.Kind == yaml.ScalarNode:
		i := strings.IndexByte(a.Value, '.')
		if i <= 0 {
			return unknown(arg, "Fn::GetAtt needs Resource.Attribute")
		}
		res, attr = a.Value[:i], a.Value[i+1:]
	case a != nil && a.Kind == yaml.SequenceNode && len(a.Content) == 2:
		var ok bool
		res, ok = e.eval(a.Content[0], depth).Str()
		if !ok {
			return unknown(arg, "Fn::GetAtt resource")
		}
		attr, ok = e.eval(a.Content[1], depth).Str()
		if !ok {
			return unknown(arg, "Fn::GetAtt attribute")
		}
	default:
		return unknown(arg, "Fn::GetAtt needs [Resource, Attribute]")
	}
	typ := ""
	if r := e.t.res[res]; r != nil {
		typ = r.Type
	} else if e.t.IsSAM && res == ImplicitRestAPI {
		typ = "AWS::Serverless::Api"
	} else if e.t.IsSAM && res == ImplicitHTTPAPI {
		typ = "AWS::Serverless::HttpApi"
	} else if gt, ok := e.t.Options.Generated[res]; ok {
		typ = gt
	} else {
		return unknown(arg, "Fn::GetAtt of unknown resource "+res)
	}
	return Value{Kind: ResourceRef, LogicalID: res, ResourceType: typ, Attr: attr, Node: arg}
}

// concat joins values into a String when all are known, else an Unknown
// with Parts (adjacent literals merged). The text it builds counts
// against the evaluation's limits: past them the value is Unknown.
func (e *evaluator) concat(n *yaml.Node, parts []Value, reason string) Value {
	known := true
	size := 0
	var params []string
	for _, p := range parts {
		params = addParams(params, p.Params...)
		if p.Kind == String {
			size += len(p.S)
		} else {
			known = false
		}
	}
	if known && len(parts) == 1 { // nothing to build
		v := parts[0]
		v.Node = n
		v.Params = params
		return v
	}
	if !e.spend(size+valueCost*len(parts), n) {
		return Value{Kind: Unknown, Reason: evalLimitReason, Node: n, Params: params}
	}
	if known {
		var b strings.Builder
		b.Grow(size)
		for _, p := range parts {
			b.WriteString(p.S)
		}
		v := str(n, b.String())
		v.Params = params
		return v
	}
	// Merge adjacent literals.
	var merged []Value
	for i := 0; i < len(parts); {
		if parts[i].Kind != String {
			merged = append(merged, parts[i])
			i++
			continue
		}
		j := i + 1
		for j < len(parts) && parts[j].Kind == String {
			j++
		}
		if j == i+1 {
			merged = append(merged, parts[i])
		} else {
			var b strings.Builder
			for _, p := range parts[i:j] {
				b.WriteString(p.S)
			}
			v := parts[i]
			v.S = b.String()
			merged = append(merged, v)
		}
		i = j
	}
	return Value{Kind: Unknown, Parts: merged, Reason: reason, Node: n, Params: params}
}

// addParams adds names to a set kept as a slice.
func addParams(set []string, names ...string) []string {
	for _, n := range names {
		dup := false
		for _, s := range set {
			dup = dup || s == n
		}
		if !dup {
			set = append(set, n)
		}
	}
	return set
}

// sub resolves Fn::Sub: "text ${Var} ${Res.Attr} ${!Literal}" or the
// two-argument form [text, {Var: value}].
func (e *evaluator) sub(arg *yaml.Node, depth int) Value {
	a := yamlpos.Resolve(arg)
	var tmpl string
	var vars *yaml.Node
	switch {
	case a != nil && a.Kind == yaml.ScalarNode:
		tmpl = a.Value
	case a != nil && a.Kind == yaml.SequenceNode && len(a.Content) == 2:
		s, ok := e.eval(a.Content[0], depth).Str()
		if !ok {
			return unknown(arg, "Fn::Sub template")
		}
		tmpl, vars = s, a.Content[1]
	default:
		return unknown(arg, "Fn::Sub needs a string or [string, variables]")
	}
	var parts []Value
	for {
		i := strings.Index(tmpl, "${")
		if i < 0 {
			parts = append(parts, str(arg, tmpl))
			break
		}
		j := strings.IndexByte(tmpl[i:], '}')
		if j < 0 {
			parts = append(parts, str(arg, tmpl))
			break
		}
		j += i
		if i > 0 {
			parts = append(parts, str(arg, tmpl[:i]))
		}
		name := tmpl[i+2 : j]
		if strings.HasPrefix(name, "!") {
			parts = append(parts, str(arg, "${"+name[1:]+"}"))
		} else {
			parts = append(parts, e.subVar(strings.TrimSpace(name), vars, arg, depth))
		}
		tmpl = tmpl[j+1:]
		if e.steps > maxEvalSteps {
			return unknown(arg, "too deep to evaluate")
		}
	}
	return e.concat(arg, parts, "Fn::Sub")
}

func (e *evaluator) subVar(name string, vars, n *yaml.Node, depth int) Value {
	e.steps++
	if v := yamlpos.Value(vars, name); v != nil {
		return e.eval(v, depth+1)
	}
	if _, ok := e.pseudo(name, n); ok || e.t.params[name] != nil || e.t.res[name] != nil {
		return e.ref(name, n, depth)
	}
	if i := strings.IndexByte(name, '.'); i > 0 {
		res, attr := name[:i], name[i+1:]
		if r := e.t.res[res]; r != nil {
			return Value{Kind: ResourceRef, LogicalID: res, ResourceType: r.Type, Attr: attr, Node: n}
		}
		if e.t.IsSAM {
			return e.ref(name, n, depth) // MyApi.Stage and friends
		}
	}
	return e.ref(name, n, depth)
}

// join resolves Fn::Join [delimiter, [values…]].
func (e *evaluator) join(arg *yaml.Node, depth int) Value {
	items := yamlpos.Items(arg)
	if len(items) != 2 {
		return unknown(arg, "Fn::Join needs [delimiter, list]")
	}
	d, ok := e.eval(items[0], depth).Str()
	if !ok {
		return unknown(arg, "Fn::Join delimiter")
	}
	list := e.eval(items[1], depth)
	if list.Kind != List {
		return unknown(arg, "Fn::Join of an unknown list")
	}
	var parts []Value
	for i, it := range list.List {
		if i > 0 && d != "" {
			parts = append(parts, str(arg, d))
		}
		parts = append(parts, it)
	}
	if len(parts) == 0 {
		return str(arg, "")
	}
	return e.concat(arg, parts, "Fn::Join")
}
