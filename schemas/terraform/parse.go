// Package terraform reads Terraform configurations (`*.tf`, `*.tfvars`)
// with hclsyntax, which keeps the byte range of every token, and evaluates
// what is static in them: variables with defaults and tfvars values,
// locals, references between resources, simple count / for_each, and
// local modules. What cannot be known without running Terraform (data
// sources, remote modules, computed attributes, variables without a value)
// stays unknown; computed ids of resources become reference markers
// ("${aws_api_gateway_rest_api.orders.id}") so that a reader can tell which
// resource an attribute names.
//
// The package knows HCL and Terraform, nothing about API Gateway rules.
package terraform

import (
	"path/filepath"
	"strings"
	"sync"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"

	"github.com/gw403/gw403-lsp/schemas/source"
	"github.com/gw403/gw403-lsp/schemas/yamlpos"
)

// Problem is a syntax error of a file.
type Problem struct {
	Span    source.Span
	Message string
}

// File is one parsed .tf or .tfvars file.
type File struct {
	Src  *source.File
	Body *hclsyntax.Body // nil when the file could not be parsed at all
	// Vars reports a variable definitions file (*.tfvars, *.auto.tfvars).
	Vars bool
	// Broken reports a syntax error: Body is what HCL recovered, and may
	// lack blocks the file declares.
	Broken bool

	ydocOnce sync.Once
	ydoc     *yamlpos.Doc
}

// Path returns the file's path.
func (f *File) Path() string { return f.Src.Path }

// IsTerraformName reports whether a file name is read by this package:
// `*.tf` and `*.tfvars` (the JSON syntax variants are not read).
func IsTerraformName(name string) bool {
	l := strings.ToLower(filepath.Base(name))
	return strings.HasSuffix(l, ".tf") || strings.HasSuffix(l, ".tfvars")
}

// Parse parses a .tf or .tfvars file. A syntax error yields the first
// error as a Problem; the body is kept when HCL could recover one.
func Parse(src *source.File) (*File, []Problem) {
	f := &File{Src: src, Vars: strings.HasSuffix(strings.ToLower(src.Path), ".tfvars")}
	hf, diags := hclsyntax.ParseConfig([]byte(src.Text), src.Path, hcl.InitialPos)
	if hf != nil {
		if b, ok := hf.Body.(*hclsyntax.Body); ok {
			f.Body = b
		}
	}
	for _, d := range diags {
		if d.Severity != hcl.DiagError {
			continue
		}
		msg := strings.TrimSuffix(d.Summary, ".")
		if d.Detail != "" {
			msg += ": " + strings.TrimSuffix(strings.TrimSpace(d.Detail), ".")
		}
		var sp source.Span
		if d.Subject != nil {
			sp = Span(*d.Subject)
		}
		if sp.End > len(src.Text) {
			sp.End = len(src.Text)
		}
		if sp.Start > sp.End {
			sp.Start = sp.End
		}
		f.Broken = true
		return f, []Problem{{Span: sp, Message: "HCL: " + msg}}
	}
	return f, nil
}

// Span converts an HCL range to a byte span.
func Span(r hcl.Range) source.Span { return source.Span{Start: r.Start.Byte, End: r.End.Byte} }

// HeaderSpan returns the span of a block's `resource "TYPE" "NAME"` header.
func HeaderSpan(b *hclsyntax.Block) source.Span {
	sp := Span(b.TypeRange)
	if n := len(b.LabelRanges); n > 0 {
		sp.End = b.LabelRanges[n-1].End.Byte
	}
	return sp
}

// LiteralAt reports whether the attribute or expression of the file that
// starts at sp.Start is written as a literal (a string, number, bool, or a
// list or object of them), not computed from variables, locals or other
// resources; found is false when nothing starts there.
func (f *File) LiteralAt(sp source.Span) (literal, found bool) {
	if f == nil || f.Body == nil {
		return false, false
	}
	return literalIn(f.Body, sp.Start)
}

func literalIn(b *hclsyntax.Body, off int) (literal, found bool) {
	for _, a := range b.Attributes {
		r := a.SrcRange
		if off < r.Start.Byte || off >= r.End.Byte {
			continue
		}
		if r.Start.Byte == off {
			return IsLiteral(a.Expr), true
		}
		return literalExpr(a.Expr, off)
	}
	for _, c := range b.Blocks {
		if off >= c.Range().Start.Byte && off < c.Range().End.Byte {
			return literalIn(c.Body, off)
		}
	}
	return false, false
}

func literalExpr(e hclsyntax.Expression, off int) (literal, found bool) {
	if e.Range().Start.Byte == off {
		return IsLiteral(e), true
	}
	var subs []hclsyntax.Expression
	switch x := e.(type) {
	case *hclsyntax.ObjectConsExpr:
		for _, it := range x.Items {
			subs = append(subs, it.KeyExpr, it.ValueExpr)
		}
	case *hclsyntax.TupleConsExpr:
		subs = x.Exprs
	case *hclsyntax.FunctionCallExpr:
		subs = x.Args
	case *hclsyntax.ParenthesesExpr:
		subs = []hclsyntax.Expression{x.Expression}
	}
	for _, s := range subs {
		if r := s.Range(); off >= r.Start.Byte && off < r.End.Byte {
			return literalExpr(s, off)
		}
	}
	return false, false
}

// IsLiteral reports an expression written as a literal value.
func IsLiteral(e hclsyntax.Expression) bool {
	switch x := e.(type) {
	case *hclsyntax.LiteralValueExpr:
		return true
	case *hclsyntax.TemplateExpr:
		return x.IsStringLiteral()
	case *hclsyntax.ObjectConsKeyExpr:
		return x.ForceNonLiteral == false && (hcl.ExprAsKeyword(x.Wrapped) != "" || IsLiteral(x.Wrapped))
	case *hclsyntax.TupleConsExpr:
		for _, s := range x.Exprs {
			if !IsLiteral(s) {
				return false
			}
		}
		return true
	case *hclsyntax.ObjectConsExpr:
		for _, it := range x.Items {
			if !IsLiteral(it.KeyExpr) || !IsLiteral(it.ValueExpr) {
				return false
			}
		}
		return true
	case *hclsyntax.ParenthesesExpr:
		return IsLiteral(x.Expression)
	}
	return false
}

// AttributeAt returns the attribute of the file (at any block depth) whose
// `name = value` starts at off, or nil.
func (f *File) AttributeAt(off int) *hclsyntax.Attribute {
	if f == nil || f.Body == nil {
		return nil
	}
	return attributeIn(f.Body, off)
}

func attributeIn(b *hclsyntax.Body, off int) *hclsyntax.Attribute {
	for _, a := range b.Attributes {
		if a.SrcRange.Start.Byte == off {
			return a
		}
	}
	for _, c := range b.Blocks {
		if r := c.Range(); off >= r.Start.Byte && off < r.End.Byte {
			return attributeIn(c.Body, off)
		}
	}
	return nil
}

// Quote renders s as an HCL string literal.
func Quote(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '"' || c == '\\':
			b.WriteByte('\\')
			b.WriteByte(c)
		case c == '\n':
			b.WriteString(`\n`)
		case c == '\r':
			b.WriteString(`\r`)
		case c == '\t':
			b.WriteString(`\t`)
		case (c == '$' || c == '%') && i+1 < len(s) && s[i+1] == '{':
			b.WriteByte(c)
			b.WriteByte(c) // $${ and %%{ are literal
		default:
			b.WriteByte(c)
		}
	}
	b.WriteByte('"')
	return b.String()
}
