// Package source holds a file's text and the one mapper between byte offsets
// and line/column positions.
//
// Everything inside gw403-lsp addresses text by half-open byte-offset spans.
// Conversion to a line and a column happens only here: LSP positions count
// UTF-16 code units (or UTF-8 bytes when negotiated), CLI columns count
// characters. Line terminators are "\n", "\r\n" and a lone "\r", as in LSP.
package source

import (
	"fmt"
	"sort"
	"strings"
	"sync"
	"unicode/utf8"
)

// Span is a half-open range [Start, End) of byte offsets into a File's Text.
type Span struct {
	Start, End int
}

// Len returns the number of bytes the span covers.
func (s Span) Len() int { return s.End - s.Start }

// IsEmpty reports whether the span covers no bytes.
func (s Span) IsEmpty() bool { return s.End <= s.Start }

// Contains reports whether off lies inside the span; an empty span contains
// its own start offset so that insertion points can be hit-tested.
func (s Span) Contains(off int) bool {
	if s.IsEmpty() {
		return off == s.Start
	}
	return off >= s.Start && off < s.End
}

// Overlaps reports whether two spans share at least one byte.
func (s Span) Overlaps(o Span) bool { return s.Start < o.End && o.Start < s.End }

// Shift returns the span moved by delta bytes.
func (s Span) Shift(delta int) Span { return Span{s.Start + delta, s.End + delta} }

func (s Span) String() string { return fmt.Sprintf("[%d,%d)", s.Start, s.End) }

// Encoding names the unit a column counts.
type Encoding int

const (
	// UTF16 counts UTF-16 code units (the LSP default).
	UTF16 Encoding = iota
	// UTF8 counts bytes.
	UTF8
	// Runes counts Unicode code points (the CLI's "characters").
	Runes
)

// Position is a 0-based line and a 0-based column counted in some Encoding.
type Position struct {
	Line, Col int
}

// File is a named text with a lazily built line index. A File is immutable
// once created and safe for concurrent use.
type File struct {
	// Path is the file's path as the workspace names it (slash-separated,
	// relative to the workspace root where possible).
	Path string
	// Text is the whole content, byte for byte (BOM and CRLF kept).
	Text string

	once  sync.Once
	lines []int // byte offset where each line starts; lines[0] == 0
}

// NewFile returns a File for text.
func NewFile(path, text string) *File { return &File{Path: path, Text: text} }

func (f *File) index() []int {
	f.once.Do(func() { f.lines = LineStarts(f.Text) })
	return f.lines
}

// LineStarts returns the byte offset at which each line of text starts.
// The result always has at least one element (0).
func LineStarts(text string) []int {
	if strings.IndexByte(text, '\r') < 0 { // only \n: search for it
		starts := make([]int, 1, strings.Count(text, "\n")+1)
		for i := 0; ; {
			j := strings.IndexByte(text[i:], '\n')
			if j < 0 {
				return starts
			}
			i += j + 1
			starts = append(starts, i)
		}
	}
	starts := make([]int, 1, strings.Count(text, "\n")+strings.Count(text, "\r")+1)
	for i := 0; i < len(text); i++ {
		switch text[i] {
		case '\n':
			starts = append(starts, i+1)
		case '\r':
			if i+1 < len(text) && text[i+1] == '\n' {
				i++
			}
			starts = append(starts, i+1)
		}
	}
	return starts
}

// LineCount returns the number of lines; a text ending in a line terminator
// has an empty last line.
func (f *File) LineCount() int { return len(f.index()) }

// LineOf returns the 0-based line that contains byte offset off (clamped).
func (f *File) LineOf(off int) int {
	lines := f.index()
	off = clamp(off, 0, len(f.Text))
	return sort.Search(len(lines), func(i int) bool { return lines[i] > off }) - 1
}

// LineStart returns the offset of the first byte of line (clamped).
func (f *File) LineStart(line int) int {
	lines := f.index()
	if line < 0 {
		return 0
	}
	if line >= len(lines) {
		return len(f.Text)
	}
	return lines[line]
}

// LineEnd returns the offset just past the last content byte of line, that
// is before its terminator.
func (f *File) LineEnd(line int) int {
	lines := f.index()
	if line < 0 {
		line = 0
	}
	if line >= len(lines) {
		return len(f.Text)
	}
	end := len(f.Text)
	if line+1 < len(lines) {
		end = lines[line+1]
	}
	if end > lines[line] && f.Text[end-1] == '\n' {
		end--
	}
	if end > lines[line] && f.Text[end-1] == '\r' {
		end--
	}
	return end
}

// LineSpan returns the span of line's content, without its terminator.
func (f *File) LineSpan(line int) Span { return Span{f.LineStart(line), f.LineEnd(line)} }

// Slice returns the text a span covers (clamped to the file).
func (f *File) Slice(s Span) string {
	a, b := clamp(s.Start, 0, len(f.Text)), clamp(s.End, 0, len(f.Text))
	if b < a {
		return ""
	}
	return f.Text[a:b]
}

// Position converts a byte offset to a line and a column counted in enc.
// An offset inside a multi-byte character maps to that character's start.
func (f *File) Position(off int, enc Encoding) Position {
	off = clamp(off, 0, len(f.Text))
	line := f.LineOf(off)
	start := f.index()[line]
	end := f.LineEnd(line)
	if off > end { // inside a CRLF terminator
		off = end
	}
	return Position{Line: line, Col: ColumnOf(f.Text[start:off], enc)}
}

// LineCol returns the 1-based line and 1-based column (counted in enc) of a
// byte offset: a position as people, compilers and SARIF count it. Every
// output that shows a position goes through it; a nil file gives 1:1.
func (f *File) LineCol(off int, enc Encoding) (line, col int) {
	if f == nil {
		return 1, 1
	}
	p := f.Position(off, enc)
	return p.Line + 1, p.Col + 1
}

// ColumnOf returns the width of s counted in enc. A trailing incomplete
// UTF-8 sequence counts as nothing: the column is that of its start.
func ColumnOf(s string, enc Encoding) int {
	switch enc {
	case UTF8:
		return len(s)
	case Runes:
		n := 0
		for i := 0; i < len(s); {
			r, size := utf8.DecodeRuneInString(s[i:])
			if r == utf8.RuneError && size == 1 && !utf8.FullRuneInString(s[i:]) {
				break
			}
			i += size
			n++
		}
		return n
	default:
		n := 0
		for i := 0; i < len(s); {
			r, size := utf8.DecodeRuneInString(s[i:])
			if r == utf8.RuneError && size == 1 && !utf8.FullRuneInString(s[i:]) {
				break
			}
			i += size
			if r >= 0x10000 {
				n += 2
			} else {
				n++
			}
		}
		return n
	}
}

// Offset converts a line and column counted in enc to a byte offset. A column
// past the end of the line clamps to the line end (as LSP requires); a column
// inside a surrogate pair maps to the start of that character. A line past
// the end is an error, except the position just after the last line.
func (f *File) Offset(p Position, enc Encoding) (int, error) {
	lines := f.index()
	if p.Line < 0 || p.Col < 0 {
		return 0, fmt.Errorf("negative position %d:%d", p.Line, p.Col)
	}
	if p.Line >= len(lines) {
		if p.Line == len(lines) && p.Col == 0 {
			return len(f.Text), nil
		}
		return 0, fmt.Errorf("line %d out of range (file has %d lines)", p.Line, len(lines))
	}
	start, end := lines[p.Line], f.LineEnd(p.Line)
	return start + OffsetInLine(f.Text[start:end], p.Col, enc), nil
}

// OffsetInLine returns the byte offset within line of column col counted in
// enc, clamped to len(line).
func OffsetInLine(line string, col int, enc Encoding) int {
	if enc == UTF8 {
		if col > len(line) {
			return len(line)
		}
		// Never split a character.
		for col > 0 && col < len(line) && !utf8.RuneStart(line[col]) {
			col--
		}
		return col
	}
	n := 0
	for i := 0; i < len(line); {
		if n >= col {
			return i
		}
		r, size := utf8.DecodeRuneInString(line[i:])
		w := 1
		if enc == UTF16 && r >= 0x10000 {
			w = 2
		}
		if n+w > col { // col points inside a surrogate pair
			return i
		}
		n += w
		i += size
	}
	return len(line)
}

func clamp(v, lo, hi int) int {
	if v < lo {
		return lo
	}
	if v > hi {
		return hi
	}
	return v
}
