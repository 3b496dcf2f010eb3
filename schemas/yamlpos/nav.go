package yamlpos

import (
	"gopkg.in/yaml.v3"

	"github.com/gw403/gw403-lsp/schemas/source"
)

// MaxAliasHops bounds how many aliases Resolve follows in a chain.
const MaxAliasHops = 16

// Resolve follows an alias to the node it names (a bounded chain), and
// returns any other node unchanged. It never copies or expands anything.
func Resolve(n *yaml.Node) *yaml.Node {
	for i := 0; n != nil && n.Kind == yaml.AliasNode && i < MaxAliasHops; i++ {
		n = n.Alias
	}
	if n != nil && n.Kind == yaml.AliasNode {
		return nil
	}
	return n
}

// Get returns the key and value nodes of the entry named key in mapping m
// (after resolving aliases of m); nil, nil when m is no mapping or has no
// such key. The value is returned as written (an alias stays an alias).
func Get(m *yaml.Node, key string) (k, v *yaml.Node) {
	m = Resolve(m)
	if m == nil || m.Kind != yaml.MappingNode {
		return nil, nil
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if kn := m.Content[i]; kn.Kind == yaml.ScalarNode && kn.Value == key {
			return kn, m.Content[i+1]
		}
	}
	return nil, nil
}

// Value returns the value of key in mapping m with aliases resolved, or nil.
func Value(m *yaml.Node, key string) *yaml.Node {
	_, v := Get(m, key)
	return Resolve(v)
}

// Str returns the scalar value of key in m and whether it is a scalar.
func Str(m *yaml.Node, key string) (string, bool) {
	v := Value(m, key)
	if v == nil || v.Kind != yaml.ScalarNode {
		return "", false
	}
	return v.Value, true
}

// IsMap reports whether n (resolved) is a mapping.
func IsMap(n *yaml.Node) bool {
	n = Resolve(n)
	return n != nil && n.Kind == yaml.MappingNode
}

// IsSeq reports whether n (resolved) is a sequence.
func IsSeq(n *yaml.Node) bool {
	n = Resolve(n)
	return n != nil && n.Kind == yaml.SequenceNode
}

// IsScalar reports whether n (resolved) is a scalar.
func IsScalar(n *yaml.Node) bool {
	n = Resolve(n)
	return n != nil && n.Kind == yaml.ScalarNode
}

// IsNull reports whether n is absent or an explicit or implicit null.
func IsNull(n *yaml.Node) bool {
	n = Resolve(n)
	return n == nil || n.Kind == yaml.ScalarNode && n.Tag == "!!null"
}

// Pair is one mapping entry.
type Pair struct {
	Key, Value *yaml.Node
}

// Pairs returns the entries of mapping m in order (nil if m is no mapping).
func Pairs(m *yaml.Node) []Pair {
	m = Resolve(m)
	if m == nil || m.Kind != yaml.MappingNode {
		return nil
	}
	out := make([]Pair, 0, len(m.Content)/2)
	for i := 0; i+1 < len(m.Content); i += 2 {
		out = append(out, Pair{m.Content[i], m.Content[i+1]})
	}
	return out
}

// Items returns the items of sequence n (resolved); nil otherwise.
func Items(n *yaml.Node) []*yaml.Node {
	n = Resolve(n)
	if n == nil || n.Kind != yaml.SequenceNode {
		return nil
	}
	return n.Content
}

// Walk visits n and its descendants depth first, in document order, without
// recursion. Aliases are visited as alias nodes and not followed. It stops
// after budget nodes (budget <= 0 means no limit) or when fn returns false
// for a node (whose children are then skipped; the walk goes on).
// It reports whether the whole tree was visited within the budget.
func Walk(n *yaml.Node, budget int, fn func(n *yaml.Node, depth int) bool) bool {
	if n == nil {
		return true
	}
	type frame struct {
		n     *yaml.Node
		depth int
	}
	stack := []frame{{n, 0}}
	seen := 0
	for len(stack) > 0 {
		f := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		seen++
		if budget > 0 && seen > budget {
			return false
		}
		if !fn(f.n, f.depth) {
			continue
		}
		for i := len(f.n.Content) - 1; i >= 0; i-- {
			stack = append(stack, frame{f.n.Content[i], f.depth + 1})
		}
	}
	return true
}

// FindNode returns the node whose Span is exactly sp (the innermost one
// when several share it, e.g. a document and its root), or nil. Rules that
// hold only a span (an apimodel.Loc) use it to get back the node to edit.
func (d *Doc) FindNode(sp source.Span) *yaml.Node {
	var found *yaml.Node
	// The end of every node is computed once per document: a node's end
	// costs its depth, and rules look for many nodes.
	d.endsMu.Lock()
	defer d.endsMu.Unlock()
	if d.ends == nil {
		d.ends = map[*yaml.Node]int{}
	}
	Walk(d.Root, 0, func(n *yaml.Node, _ int) bool {
		s := source.Span{Start: d.Start(n), End: d.end(n, d.ends)}
		if s.End < sp.Start || s.Start > sp.End {
			return false // disjoint: skip the subtree
		}
		if s == sp {
			found = n
		}
		return true
	})
	return found
}
