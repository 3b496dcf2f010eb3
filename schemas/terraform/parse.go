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

	ydoc *yamlpos.Doc
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
		msg := d.Summary
		if d.Detail != "" {
			msg += ": " + d.Detail
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
