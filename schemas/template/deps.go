package template

import (
	"regexp"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/gw403/gw403-lsp/schemas/yamlpos"
)

// RefTo returns the logical id a Ref or GetAtt node names, or "".
func (t *Template) RefTo(n *yaml.Node) string {
	if n == nil {
		return ""
	}
	if v := t.Eval(n); v.Kind == ResourceRef {
		return v.LogicalID
	}
	return ""
}

// RefValue renders a reference to a resource for a value inserted into d:
// `!Ref X` in YAML, {"Ref": "X"} in JSON (kept on one line).
func RefValue(d *yamlpos.Doc, id string) yamlpos.Raw {
	if d.JSON {
		return yamlpos.Raw(`{"Ref": ` + strconv.Quote(id) + `}`)
	}
	return yamlpos.Raw("!Ref " + id)
}

// DepGraph is the dependency graph of a template: for each resource, the
// resources it names in an explicit DependsOn and the implicit
// dependencies of Ref, GetAtt and Sub.
type DepGraph map[string][]string

// Dependencies builds the dependency graph of t.
func (t *Template) Dependencies() DepGraph {
	g := DepGraph{}
	for _, r := range t.Resources {
		seen := map[string]bool{}
		add := func(id string) {
			if id != "" && !seen[id] && t.Resource(id) != nil {
				seen[id] = true
				g[r.LogicalID] = append(g[r.LogicalID], id)
			}
		}
		for _, d := range r.DependsOn {
			add(d)
		}
		CollectRefs(r.Properties, add)
	}
	return g
}

// Reaches returns every resource id reachable from id.
func (g DepGraph) Reaches(id string) map[string]bool {
	out := map[string]bool{}
	stack := []string{id}
	for len(stack) > 0 {
		cur := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		for _, d := range g[cur] {
			if !out[d] {
				out[d] = true
				stack = append(stack, d)
			}
		}
	}
	return out
}

var subVarRE = regexp.MustCompile(`\$\{([^!}][^}]*)\}`)

// CollectRefs calls add with the logical id (or parameter name) of every
// Ref, GetAtt and Sub variable under n.
func CollectRefs(n *yaml.Node, add func(id string)) {
	yamlpos.Walk(n, 0, func(n *yaml.Node, _ int) bool {
		name, arg, ok := Intrinsic(n)
		if !ok {
			return true
		}
		switch name {
		case "Ref":
			if a := yamlpos.Resolve(arg); a != nil && a.Kind == yaml.ScalarNode {
				add(strings.SplitN(a.Value, ".", 2)[0])
			}
		case "Fn::GetAtt":
			a := yamlpos.Resolve(arg)
			switch {
			case a != nil && a.Kind == yaml.ScalarNode:
				add(strings.SplitN(a.Value, ".", 2)[0])
			case a != nil && a.Kind == yaml.SequenceNode && len(a.Content) > 0 && a.Content[0].Kind == yaml.ScalarNode:
				add(a.Content[0].Value)
			}
		case "Fn::Sub":
			a := yamlpos.Resolve(arg)
			if a != nil && a.Kind == yaml.SequenceNode && len(a.Content) > 0 {
				a = yamlpos.Resolve(a.Content[0])
			}
			if a != nil && a.Kind == yaml.ScalarNode {
				for _, m := range subVarRE.FindAllStringSubmatch(a.Value, -1) {
					add(strings.SplitN(m[1], ".", 2)[0])
				}
			}
		}
		return true
	})
}
