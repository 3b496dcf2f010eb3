package terraform

import (
	"path"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"gopkg.in/yaml.v3"

	"github.com/gw403/gw403-lsp/schemas/source"
	"github.com/gw403/gw403-lsp/schemas/yamlpos"
)

// UnknownTag tags the yaml nodes of values that are not static.
const UnknownTag = "!Unknown"

// Document is a JSON/YAML document an attribute gives (a rest_api body,
// a policy).
type Document struct {
	// Root is the document, as yaml nodes whose positions are in Src's
	// file: the .tf file for jsonencode() of an HCL object and for a
	// literal heredoc; nil when the document is in another file (FilePath)
	// or not static.
	Root *yaml.Node
	Src  *yamlpos.Doc
	// FilePath is the file that file() / templatefile() read (cleaned,
	// relative to the module directory as Terraform resolves path.module).
	FilePath string
	// Template reports templatefile(): placeholders are substituted when
	// Terraform runs.
	Template bool
	// Known is false when the document cannot be read statically (a data
	// source, a variable, a function of unknown values).
	Known bool
}

// YAMLDoc returns the position index of the file for yaml nodes built from
// it.
func (f *File) YAMLDoc() *yamlpos.Doc {
	f.ydocOnce.Do(func() { f.ydoc = yamlpos.NewDoc(f.Src, nil) })
	return f.ydoc
}

// Document reads attribute a of the resource as a document.
func (r *Resource) Document(a *hclsyntax.Attribute) Document {
	if a == nil {
		return Document{}
	}
	e := unwrap(a.Expr)
	switch x := e.(type) {
	case *hclsyntax.FunctionCallExpr:
		switch x.Name {
		case "jsonencode", "yamlencode":
			if len(x.Args) != 1 {
				return Document{}
			}
			c := converter{r: r, src: r.File.YAMLDoc()}
			n := c.node(x.Args[0])
			return Document{Root: n, Src: c.src, Known: true}
		case "file", "templatefile":
			if len(x.Args) == 0 {
				return Document{}
			}
			s, ok := String(r.Eval(x.Args[0]))
			if !ok {
				return Document{}
			}
			if !path.IsAbs(s) && !strings.Contains(exprText(r.File, x.Args[0]), "path.") {
				// Terraform resolves a plain relative path from the
				// directory it runs in: the root module's.
				s = path.Join(r.Module.rootDir(), s)
			}
			return Document{FilePath: path.Clean(s), Template: x.Name == "templatefile", Known: true}
		}
	case *hclsyntax.TemplateExpr:
		// A literal string or heredoc: parse it where it is, so that
		// positions point into the .tf file.
		if !x.IsStringLiteral() {
			break
		}
		sp := Span(x.SrcRange)
		if n := literalDoc(r.File, sp); n != nil {
			return Document{Root: n, Src: r.File.YAMLDoc(), Known: true}
		}
	}
	v := r.Eval(a.Expr)
	if s, ok := String(v); ok {
		// A string computed from static values (interpolations of
		// variables): its nodes all point at the attribute.
		var doc yaml.Node
		if yaml.Unmarshal([]byte(s), &doc) == nil && len(doc.Content) > 0 {
			start := a.Expr.Range().Start
			place(r.File, doc.Content[0], start)
			return Document{Root: doc.Content[0], Src: r.File.YAMLDoc(), Known: true}
		}
	}
	return Document{}
}

// place moves every node of a tree to one position.
func place(f *File, n *yaml.Node, p hcl.Pos) {
	n.Line, n.Column = yamlPos(f, p)
	n.Style &^= yaml.DoubleQuotedStyle | yaml.SingleQuotedStyle | yaml.LiteralStyle | yaml.FoldedStyle
	n.Style |= yaml.FlowStyle
	for _, c := range n.Content {
		place(f, c, p)
	}
}

func unwrap(e hclsyntax.Expression) hclsyntax.Expression {
	for {
		switch x := e.(type) {
		case *hclsyntax.ParenthesesExpr:
			e = x.Expression
		case *hclsyntax.TemplateWrapExpr:
			e = x.Wrapped
		default:
			return e
		}
	}
}

func exprText(f *File, e hclsyntax.Expression) string {
	sp := Span(e.Range())
	if sp.End > len(f.Src.Text) || sp.Start > sp.End {
		return ""
	}
	return f.Src.Text[sp.Start:sp.End]
}

// literalDoc parses the content of a literal string or heredoc as YAML
// (JSON is YAML) with every byte outside it blanked, so that the nodes'
// positions are those of the .tf file.
func literalDoc(f *File, sp source.Span) *yaml.Node {
	t := f.Src.Text
	if sp.End > len(t) {
		return nil
	}
	inner := t[sp.Start:sp.End]
	start := sp.Start
	switch {
	case strings.HasPrefix(inner, "<<"):
		nl := strings.IndexByte(inner, '\n')
		if nl < 0 {
			return nil
		}
		start += nl + 1
		end := sp.End
		// Drop the closing marker line.
		if i := strings.LastIndexByte(t[start:end], '\n'); i >= 0 {
			end = start + i
		}
		return blankedDoc(t, start, end)
	case strings.HasPrefix(inner, `"`):
		// A quoted string with escapes does not map byte for byte.
		if strings.Contains(inner, `\`) {
			return nil
		}
		return blankedDoc(t, start+1, sp.End-1)
	}
	return nil
}

func blankedDoc(t string, start, end int) *yaml.Node {
	if start < 0 || end > len(t) || start >= end {
		return nil
	}
	b := []byte(t)
	for i := range b {
		if i >= start && i < end {
			continue
		}
		if b[i] != '\n' && b[i] != '\r' {
			b[i] = ' '
		}
	}
	// Multi-byte characters outside the range would shift yaml columns
	// (counted in characters): blanking every byte keeps the text valid,
	// but a line before the document then has more columns than
	// characters; positions are line based, so it does not matter.
	if !utf8.Valid(b[start:end]) {
		return nil
	}
	var doc yaml.Node
	if yaml.Unmarshal(b, &doc) != nil || len(doc.Content) == 0 {
		return nil
	}
	return doc.Content[0]
}

// converter turns an HCL expression into yaml nodes positioned at the
// expression's tokens.
type converter struct {
	r     *Resource
	src   *yamlpos.Doc
	depth int
}

func (c *converter) pos(n *yaml.Node, p hcl.Pos) *yaml.Node {
	n.Line, n.Column = yamlPos(c.r.File, p)
	return n
}

// yamlPos converts an HCL position to yaml.v3's line and column: HCL
// counts columns in grapheme clusters, yaml.v3 (and yamlpos) in runes, so
// the column is counted again from the byte offset.
func yamlPos(f *File, p hcl.Pos) (line, col int) {
	t := f.Src.Text
	off := p.Byte
	if off > len(t) {
		off = len(t)
	}
	l := f.Src.LineOf(off)
	return l + 1, utf8.RuneCountInString(t[f.Src.LineStart(l):off]) + 1
}

func (c *converter) quoted(p hcl.Pos) bool {
	t := c.r.File.Src.Text
	return p.Byte < len(t) && t[p.Byte] == '"'
}

func (c *converter) node(e hclsyntax.Expression) *yaml.Node {
	c.depth++
	defer func() { c.depth-- }()
	if c.depth > 64 {
		return c.unknown(e.Range().Start, cty.DynamicPseudoType)
	}
	switch x := e.(type) {
	case *hclsyntax.ParenthesesExpr:
		return c.node(x.Expression)
	case *hclsyntax.ObjectConsExpr:
		m := c.pos(&yaml.Node{Kind: yaml.MappingNode, Tag: "!!map", Style: yaml.FlowStyle}, x.OpenRange.Start)
		for _, it := range x.Items {
			kv, diags := it.KeyExpr.Value(c.r.Ctx())
			ks, ok := String(kv)
			if diags.HasErrors() || !ok {
				m.Tag = UnknownTag // a key that is not static: the mapping is not
				continue
			}
			k := c.pos(&yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: ks}, it.KeyExpr.Range().Start)
			if c.quoted(it.KeyExpr.Range().Start) {
				k.Style = yaml.DoubleQuotedStyle
			}
			m.Content = append(m.Content, k, c.node(it.ValueExpr))
		}
		return m
	case *hclsyntax.TupleConsExpr:
		s := c.pos(&yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq", Style: yaml.FlowStyle}, x.OpenRange.Start)
		for _, it := range x.Exprs {
			s.Content = append(s.Content, c.node(it))
		}
		return s
	}
	v := c.r.Eval(e)
	return c.value(v, e.Range().Start, c.quoted(e.Range().Start), 0)
}

func (c *converter) unknown(p hcl.Pos, t cty.Type) *yaml.Node {
	if t.IsObjectType() || t.IsMapType() || t == cty.DynamicPseudoType {
		return c.pos(&yaml.Node{Kind: yaml.MappingNode, Tag: UnknownTag, Style: yaml.FlowStyle}, p)
	}
	return c.pos(&yaml.Node{Kind: yaml.ScalarNode, Tag: UnknownTag, Value: "${…}"}, p)
}

// value converts a cty value; every node sits at p.
func (c *converter) value(v cty.Value, p hcl.Pos, quoted bool, depth int) *yaml.Node {
	if depth > 32 || !v.IsKnown() {
		return c.unknown(p, v.Type())
	}
	if v.IsNull() {
		return c.pos(&yaml.Node{Kind: yaml.ScalarNode, Tag: "!!null", Value: "null"}, p)
	}
	t := v.Type()
	switch {
	case t == cty.String:
		s := v.AsString()
		n := c.pos(&yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: s}, p)
		if strings.Contains(s, "${") {
			n.Tag = UnknownTag // a reference marker: a computed value
		}
		if quoted {
			n.Style = yaml.DoubleQuotedStyle
		}
		return n
	case t == cty.Bool:
		s := "false"
		if v.True() {
			s = "true"
		}
		return c.pos(&yaml.Node{Kind: yaml.ScalarNode, Tag: "!!bool", Value: s}, p)
	case t == cty.Number:
		return c.pos(&yaml.Node{Kind: yaml.ScalarNode, Tag: "!!int", Value: v.AsBigFloat().Text('f', -1)}, p)
	case t.IsObjectType() || t.IsMapType():
		m := c.pos(&yaml.Node{Kind: yaml.MappingNode, Tag: "!!map", Style: yaml.FlowStyle}, p)
		var keys []string
		vals := map[string]cty.Value{}
		for it := v.ElementIterator(); it.Next(); {
			k, e := it.Element()
			keys = append(keys, k.AsString())
			vals[k.AsString()] = e
		}
		sort.Strings(keys)
		for _, k := range keys {
			m.Content = append(m.Content, c.pos(&yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: k}, p), c.value(vals[k], p, false, depth+1))
		}
		return m
	case t.IsListType() || t.IsTupleType() || t.IsSetType():
		s := c.pos(&yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq", Style: yaml.FlowStyle}, p)
		for it := v.ElementIterator(); it.Next(); {
			_, e := it.Element()
			s.Content = append(s.Content, c.value(e, p, false, depth+1))
		}
		return s
	}
	return c.unknown(p, t)
}
