package lsp

import (
	"slices"
	"unsafe"

	"go.lsp.dev/protocol"

	"github.com/gw403/gw403-lsp/schemas/source"
)

// editBuffer applies the content changes of one didChange in place. Its
// line index is updated around each edit instead of being rebuilt, so a
// change costs the bytes it moves and the lines after it, not a copy of the
// whole text and a new index: thousands of changes in one notification
// stay cheap.
type editBuffer struct {
	b      []byte
	starts []int // byte offset at which each line starts, as source.LineStarts
}

func newEditBuffer(text string) *editBuffer {
	return &editBuffer{b: []byte(text), starts: source.LineStarts(text)}
}

func (e *editBuffer) String() string { return string(e.b) }

// lineEnd returns the offset just past the last content byte of line
// (before its terminator), as source.File.LineEnd.
func (e *editBuffer) lineEnd(line int) int {
	end := len(e.b)
	if line+1 < len(e.starts) {
		end = e.starts[line+1]
	}
	start := e.starts[line]
	if end > start && e.b[end-1] == '\n' {
		end--
	}
	if end > start && e.b[end-1] == '\r' {
		end--
	}
	return end
}

// offset returns the byte offset of an LSP position with the semantics of
// mapper.offset: a character past the end of its line is the line end; a
// line past the end of the text is the end of the text, clamped set.
func (e *editBuffer) offset(p protocol.Position, enc source.Encoding) (off int, clamped bool) {
	line, col := int(p.Line), int(p.Character)
	if line >= len(e.starts) {
		return len(e.b), !(line == len(e.starts) && col == 0)
	}
	start, end := e.starts[line], e.lineEnd(line)
	// A column counts at most 4 bytes: only that much of a long line is
	// looked at.
	if lim := start + 4*(col+1); lim < end && lim > start {
		end = lim
	}
	if end == start {
		return start, false
	}
	// The bytes are not changed while the string is in use: no copy.
	return start + source.OffsetInLine(unsafe.String(&e.b[start], end-start), col, enc), false
}

// span returns the byte span of an LSP range, ordered (as mapper.span).
func (e *editBuffer) span(r protocol.Range, enc source.Encoding) (source.Span, bool) {
	s, c1 := e.offset(r.Start, enc)
	t, c2 := e.offset(r.End, enc)
	if t < s {
		s, t = t, s
	}
	return source.Span{Start: s, End: t}, c1 || c2
}

// replace replaces the bytes of sp with text and updates the line index.
func (e *editBuffer) replace(sp source.Span, text string) {
	s, end := sp.Start, sp.End
	delta := len(text) - (end - s)
	e.b = slices.Replace(e.b, s, end, []byte(text)...)
	// Line starts before s keep their place (their line terminator lies
	// before s and is unchanged, so is the byte after it); those after end
	// (old offsets > end) move by delta. Those in between are found again
	// in the new bytes [s, end+delta].
	lo, _ := slices.BinarySearch(e.starts, s)     // first start >= s
	hi, _ := slices.BinarySearch(e.starts, end+1) // first start >= end+1
	var mid []int
	for q := s; q <= end+delta; q++ {
		if e.isLineStart(q) {
			mid = append(mid, q)
		}
	}
	for i := hi; i < len(e.starts); i++ {
		e.starts[i] += delta
	}
	e.starts = slices.Replace(e.starts, lo, hi, mid...)
}

// isLineStart reports whether a line starts at offset q of the buffer.
func (e *editBuffer) isLineStart(q int) bool {
	if q == 0 {
		return true
	}
	switch e.b[q-1] {
	case '\n':
		return true
	case '\r':
		return q >= len(e.b) || e.b[q] != '\n'
	}
	return false
}
