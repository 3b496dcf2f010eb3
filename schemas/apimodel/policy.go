package apimodel

import (
	"regexp"
	"strconv"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/gw403/gw403-lsp/schemas/template"
	"github.com/gw403/gw403-lsp/schemas/yamlpos"
)

// maxStatements bounds how much of a policy is read.
const maxStatements = 1000

// policyReader reads IAM policy documents; loc and value say how nodes map
// to Locs and Values (template evaluation, or plain scalars).
type policyReader struct {
	loc   func(*yaml.Node) Loc
	value func(*yaml.Node) Value
}

func (c *tctx) reader() policyReader {
	return policyReader{loc: c.loc, value: c.value}
}

// policy reads a Policy property: a mapping, or a JSON string.
func (c *tctx) policy(n *yaml.Node) *Policy {
	r := yamlpos.Resolve(n)
	if r != nil && r.Kind == yaml.ScalarNode && r.Tag != "!!null" {
		// A JSON document in a string: statements point at the string.
		s, ok := c.str(n)
		var doc yaml.Node
		if !ok || yaml.Unmarshal([]byte(s), &doc) != nil || len(doc.Content) == 0 {
			return &Policy{Loc: c.loc(n), Known: false}
		}
		at := c.loc(n)
		pr := policyReader{
			loc: func(*yaml.Node) Loc { return at },
			value: func(x *yaml.Node) Value {
				if s, ok := plainScalar(x); ok {
					return Known(s, at)
				}
				return Value{Loc: at}
			},
		}
		p := pr.policy(doc.Content[0])
		p.Loc = at
		return p
	}
	return c.reader().policy(n)
}

// statement reads one statement node with the template's evaluation.
func (c *tctx) statement(n *yaml.Node) *Statement { return c.reader().statement(n) }

func (pr policyReader) policy(n *yaml.Node) *Policy {
	p := &Policy{Loc: pr.loc(n), Known: true}
	r := yamlpos.Resolve(n)
	if r == nil || r.Kind != yaml.MappingNode {
		p.Known = false
		return p
	}
	_, st := yamlpos.Get(r, "Statement")
	if st == nil {
		return p
	}
	items := yamlpos.Items(st)
	if items == nil {
		if yamlpos.IsMap(st) {
			items = []*yaml.Node{st}
		} else {
			p.Known = false // an intrinsic in place of the statements
			return p
		}
	}
	for i, it := range items {
		if i >= maxStatements {
			p.Known = false
			break
		}
		if !yamlpos.IsMap(it) {
			p.Known = false // Fn::If around a statement …
			continue
		}
		p.Statements = append(p.Statements, pr.statement(it))
	}
	return p
}

func (pr policyReader) statement(n *yaml.Node) *Statement {
	s := &Statement{Loc: pr.loc(n)}
	for _, e := range yamlpos.Pairs(n) {
		switch e.Key.Value {
		case "Effect":
			v := pr.value(e.Value)
			if v.Known {
				s.Effect = v.S
			}
			s.EffectLoc = pr.loc(e.Value)
		case "Principal":
			s.Principal, s.PrincipalAWS = pr.principal(e.Value)
		case "Action", "NotAction":
			s.NotAction = e.Key.Value == "NotAction"
			for _, v := range pr.list(e.Value) {
				s.Actions = append(s.Actions, v.S)
			}
		case "Resource", "NotResource":
			s.NotResource = e.Key.Value == "NotResource"
			s.Resources = pr.list(e.Value)
		case "Condition":
			for _, op := range yamlpos.Pairs(e.Value) {
				for _, kv := range yamlpos.Pairs(op.Value) {
					s.Conditions = append(s.Conditions, Condition{
						Operator: op.Key.Value, Key: kv.Key.Value,
						Values: pr.list(kv.Value), Loc: pr.loc(kv.Key),
					})
				}
			}
		}
	}
	return s
}

// principal returns "*" for anyone, "complex" (with the AWS principals)
// otherwise, "" when unreadable.
func (pr policyReader) principal(n *yaml.Node) (string, []string) {
	r := yamlpos.Resolve(n)
	if r == nil {
		return "", nil
	}
	if r.Kind == yaml.ScalarNode {
		if v := pr.value(n); v.Known {
			if v.S == "*" {
				return "*", nil
			}
			return "complex", nil
		}
		return "complex", nil
	}
	var aws []string
	anyone := false
	for _, e := range yamlpos.Pairs(r) {
		for _, v := range pr.list(e.Value) {
			if e.Key.Value == "AWS" {
				aws = append(aws, v.S)
				if v.Known && v.S == "*" {
					anyone = true
				}
			}
		}
	}
	if anyone && len(aws) == 1 && len(r.Content) == 2 {
		return "*", nil
	}
	return "complex", aws
}

// list reads a string or a list of strings.
func (pr policyReader) list(n *yaml.Node) []Value {
	if items := yamlpos.Items(n); items != nil {
		out := make([]Value, 0, len(items))
		for i, it := range items {
			if i >= maxStatements {
				break
			}
			out = append(out, pr.value(it))
		}
		return out
	}
	if n == nil {
		return nil
	}
	return []Value{pr.value(n)}
}

// ---- evaluation ----

// IAMMatch reports whether s matches the IAM pattern (`*` any run of
// characters, `?` one character). fold compares case-insensitively.
func IAMMatch(pattern, s string, fold bool) bool {
	if fold {
		pattern, s = strings.ToLower(pattern), strings.ToLower(s)
	}
	// Iterative glob with backtracking to the last star.
	p, i, star, mark := 0, 0, -1, 0
	for i < len(s) {
		switch {
		case p < len(pattern) && (pattern[p] == '?' || pattern[p] == s[i]):
			p++
			i++
		case p < len(pattern) && pattern[p] == '*':
			star, mark = p, i
			p++
		case star >= 0:
			p = star + 1
			mark++
			i = mark
		default:
			return false
		}
	}
	for p < len(pattern) && pattern[p] == '*' {
		p++
	}
	return p == len(pattern)
}

// unknownText reports a model string that was not static (a display form
// with ${…} placeholders, or nothing).
func unknownText(s string) bool { return s == "" || strings.Contains(s, "${") }

// CoversInvoke reports whether the statement's Action list may grant or
// deny execute-api:Invoke (unknown actions count as yes).
func (st *Statement) CoversInvoke() bool {
	if st.NotAction {
		for _, a := range st.Actions {
			if !unknownText(a) && IAMMatch(a, "execute-api:Invoke", true) {
				return false
			}
		}
		return true
	}
	for _, a := range st.Actions {
		if unknownText(a) || IAMMatch(a, "execute-api:Invoke", true) {
			return true
		}
	}
	return false
}

// CoversInvokeSurely is CoversInvoke without the benefit of the doubt.
func (st *Statement) CoversInvokeSurely() bool {
	if st.NotAction {
		return false
	}
	for _, a := range st.Actions {
		if !unknownText(a) && IAMMatch(a, "execute-api:Invoke", true) {
			return true
		}
	}
	return false
}

// APIRes is a resource of a policy statement read as an execute-api ARN.
type APIRes struct {
	Unknown bool // not static
	Other   bool // not an execute-api resource
	All     bool // every stage, method and path
	// Stage, Method and Path are the literal parts after the API id
	// (wildcards kept); method and path are "" when absent.
	Stage, Method, Path string
	HasMethod, HasPath  bool
}

var placeholderRE = regexp.MustCompile(`\$\{[^}]*\}`)

// ParseAPIRes reads "execute-api:/prod/GET/orders",
// "arn:aws:execute-api:region:account:api-id/prod/GET/orders" or "*".
// Placeholders of unknown values (${AWS::Region}, ${MyApi}) are accepted
// where the region, account and API id go.
func ParseAPIRes(v Value) APIRes {
	s := v.S
	if s == "" {
		return APIRes{Unknown: true}
	}
	if !v.Known && !strings.Contains(s, "${") {
		return APIRes{Unknown: true}
	}
	s = placeholderRE.ReplaceAllString(s, "\x00")
	if s == "*" {
		return APIRes{All: true}
	}
	var rest string
	switch {
	case strings.HasPrefix(s, "execute-api:"):
		rest = s[len("execute-api:"):]
		if !strings.HasPrefix(rest, "/") {
			return APIRes{Unknown: true}
		}
		rest = rest[1:]
	case strings.HasPrefix(s, "arn:"):
		parts := strings.SplitN(s, ":", 6)
		if len(parts) < 6 || strings.Contains(parts[2], "\x00") {
			return APIRes{Unknown: true}
		}
		if !IAMMatch(parts[2], "execute-api", true) {
			return APIRes{Other: true}
		}
		res := parts[5]
		i := strings.IndexByte(res, '/')
		if i < 0 {
			if strings.Contains(res, "*") {
				return APIRes{All: true}
			}
			return APIRes{Unknown: true}
		}
		rest = res[i+1:]
	default:
		return APIRes{Other: true}
	}
	if rest == "" || strings.Contains(rest, "\x00") {
		return APIRes{Unknown: true}
	}
	if strings.Trim(rest, "*/") == "" {
		return APIRes{All: true}
	}
	segs := strings.SplitN(rest, "/", 3)
	r := APIRes{Stage: segs[0]}
	if len(segs) > 1 {
		r.Method, r.HasMethod = segs[1], true
	}
	if len(segs) > 2 {
		r.Path, r.HasPath = "/"+segs[2], true
	}
	return r
}

// Wild reports whether an ARN part holds a wildcard.
func Wild(s string) bool { return strings.ContainsAny(s, "*?") }

// PolicyDecides returns the routes of a whose requests its resource
// policy alone decides: routes without IAM, Lambda or Cognito
// authorization. For the others, an authorizer or an IAM identity policy in
// the same account can allow what the resource policy leaves out (API
// Gateway's policy evaluation table A), so a policy without an Allow is no
// 403 there.
func (a *API) PolicyDecides() []*Route {
	var out []*Route
	for _, r := range a.Routes {
		if r.Auth.Type == AuthNone {
			out = append(out, r)
		}
	}
	return out
}

// timeLayouts are the date formats IAM accepts for date conditions.
var timeLayouts = []string{
	time.RFC3339, "2006-01-02T15:04:05Z0700", "2006-01-02T15:04:05", "2006-01-02T15:04Z07:00",
	"2006-01-02T15:04", "2006-01-02",
}

// conditionTime reads a date condition value: ISO 8601 or epoch seconds.
func conditionTime(s string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	for _, l := range timeLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return t, true
		}
	}
	if n, err := strconv.ParseInt(s, 10, 64); err == nil && n > 0 {
		return time.Unix(n, 0), true
	}
	return time.Time{}, false
}

// timeCondition classifies a condition on the request time: before is true
// for "before one of Values" tests (DateLessThan…), after for "after"
// tests; ok is false for other conditions or values that are not static.
func timeCondition(c Condition) (limits []time.Time, before, ok bool) {
	key := strings.ToLower(c.Key)
	if key != "aws:currenttime" && key != "aws:epochtime" {
		return nil, false, false
	}
	op := strings.TrimSuffix(c.Operator, "IfExists")
	switch op {
	case "DateLessThan", "DateLessThanEquals", "NumericLessThan", "NumericLessThanEquals":
		before = true
	case "DateGreaterThan", "DateGreaterThanEquals", "NumericGreaterThan", "NumericGreaterThanEquals":
	default:
		return nil, false, false
	}
	if len(c.Values) == 0 {
		return nil, false, false
	}
	for _, v := range c.Values {
		if !v.Known {
			return nil, false, false
		}
		t, ok := conditionTime(v.S)
		if !ok {
			return nil, false, false
		}
		limits = append(limits, t)
	}
	return limits, before, true
}

// WindowEnded returns the condition of st that limits it to a time that
// has passed at a time (an `aws:CurrentTime` DateLessThan whose dates are
// all past), or nil.
func (st *Statement) WindowEnded(at time.Time) *Condition {
	for i, c := range st.Conditions {
		limits, before, ok := timeCondition(c)
		if !ok || !before {
			continue
		}
		past := true
		for _, t := range limits {
			if !t.Before(at) {
				past = false
			}
		}
		if past {
			return &st.Conditions[i]
		}
	}
	return nil
}

// AlwaysTrue reports whether every condition of st holds at a time (none,
// or only "after a date that has passed" tests).
func (st *Statement) AlwaysTrue(at time.Time) bool {
	for _, c := range st.Conditions {
		limits, before, ok := timeCondition(c)
		if !ok || before {
			return false
		}
		hit := false
		for _, t := range limits {
			if t.Before(at) {
				hit = true
			}
		}
		if !hit {
			return false
		}
	}
	return true
}

// MayAllow reports whether st may allow execute-api:Invoke at a time:
// statements without an Allow effect or a principal grant nothing, and
// neither do those whose time window has ended. Anything not static counts
// as a possible allow. notPrincipal says that a statement without a
// Principal is written with a NotPrincipal, which the model does not keep.
func (st *Statement) MayAllow(at time.Time, notPrincipal bool) bool {
	switch {
	case strings.EqualFold(st.Effect, "Allow"):
	case st.Effect == "" && !st.EffectLoc.IsZero():
		// Effect written but not static.
	default:
		return false
	}
	if st.Principal == "" && !notPrincipal {
		return false
	}
	if len(st.Actions) > 0 && !st.CoversInvoke() {
		return false
	}
	if len(st.Resources) > 0 && !st.NotResource {
		found := false
		for _, r := range st.Resources {
			if !ParseAPIRes(r).Other {
				found = true
			}
		}
		if !found {
			return false
		}
	}
	return st.WindowEnded(at) == nil
}

// MayAllowNode is MayAllow for a statement node of t that the model could
// not read (one chosen by an Fn::If).
func MayAllowNode(t *template.Template, n *yaml.Node) bool {
	if !yamlpos.IsMap(n) {
		return true
	}
	ek, ev := yamlpos.Get(n, "Effect")
	if ek == nil {
		return false
	}
	if e, ok := t.EvalString(ev); ok && !strings.EqualFold(e, "Allow") {
		return false
	}
	pk, _ := yamlpos.Get(n, "Principal")
	npk, _ := yamlpos.Get(n, "NotPrincipal")
	if pk == nil && npk == nil {
		return false
	}
	if ak, av := yamlpos.Get(n, "Action"); ak != nil {
		acts, ok := t.Eval(av).Strings()
		if ok {
			for _, a := range acts {
				if IAMMatch(a, "execute-api:Invoke", true) {
					return true
				}
			}
			return false
		}
	}
	return true
}
