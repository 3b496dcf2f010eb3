package lsp

import (
	"go.lsp.dev/protocol"

	"github.com/gw403/gw403-lsp/schemas/source"
)

// mapper converts between byte offsets into one file's text and LSP
// positions counted in the negotiated encoding (UTF-16 code units, or UTF-8
// bytes). It only adapts types: the conversion itself is source.File's.
type mapper struct {
	f   *source.File
	enc source.Encoding
}

// position returns the LSP position of byte offset off (clamped to the text).
func (m mapper) position(off int) protocol.Position {
	p := m.f.Position(off, m.enc)
	return protocol.Position{Line: uint32(p.Line), Character: uint32(p.Col)}
}

// rng returns the LSP range of a byte span; an inverted span is empty at its
// start.
func (m mapper) rng(sp source.Span) protocol.Range {
	if sp.End < sp.Start {
		sp.End = sp.Start
	}
	return protocol.Range{Start: m.position(sp.Start), End: m.position(sp.End)}
}

// offset returns the byte offset of an LSP position. A character past the
// end of its line means the end of the line (as LSP says); a line past the
// end of the text means the end of the text, with clamped set so the caller
// can report the client's mistake.
func (m mapper) offset(p protocol.Position) (off int, clamped bool) {
	off, err := m.f.Offset(source.Position{Line: int(p.Line), Col: int(p.Character)}, m.enc)
	if err != nil {
		return len(m.f.Text), true
	}
	return off, false
}

// span returns the byte span of an LSP range, ordered.
func (m mapper) span(r protocol.Range) (sp source.Span, clamped bool) {
	a, c1 := m.offset(r.Start)
	b, c2 := m.offset(r.End)
	if b < a {
		a, b = b, a
	}
	return source.Span{Start: a, End: b}, c1 || c2
}
