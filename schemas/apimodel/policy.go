package apimodel

import (
	"gopkg.in/yaml.v3"

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
