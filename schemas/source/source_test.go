package source

import (
	"strings"
	"testing"
)

func TestLineStarts(t *testing.T) {
	tests := []struct {
		text string
		want []int
	}{
		{"", []int{0}},
		{"a", []int{0}},
		{"a\n", []int{0, 2}},
		{"a\r\nb", []int{0, 3}},
		{"a\rb\nc", []int{0, 2, 4}},
		{"\r\n\r\n", []int{0, 2, 4}},
		{"\n\r", []int{0, 1, 2}},
	}
	for _, tt := range tests {
		got := LineStarts(tt.text)
		if len(got) != len(tt.want) {
			t.Errorf("LineStarts(%q) = %v, want %v", tt.text, got, tt.want)
			continue
		}
		for i := range got {
			if got[i] != tt.want[i] {
				t.Errorf("LineStarts(%q) = %v, want %v", tt.text, got, tt.want)
				break
			}
		}
	}
}

func TestPositionRoundTrip(t *testing.T) {
	// Japanese (3 bytes, 1 UTF-16 unit), emoji (4 bytes, 2 units), é (2 bytes), CRLF.
	text := "### 東京 🗼\r\nGET https://api.example.com/é?q=日本語🎉\r\n\r\n終"
	f := NewFile("t.http", text)
	tests := []struct {
		sub              string // offset = first index of sub
		line             int
		utf16, u8, runes int
	}{
		{"###", 0, 0, 0, 0},
		{"東京", 0, 4, 4, 4},
		{"🗼", 0, 7, 11, 7},
		{"GET", 1, 0, 0, 0},
		{"é", 1, 28, 28, 28},
		{"?q", 1, 29, 30, 29},
		{"🎉", 1, 35, 42, 35},
		{"終", 3, 0, 0, 0},
	}
	for _, tt := range tests {
		off := strings.Index(text, tt.sub)
		for _, c := range []struct {
			enc  Encoding
			want int
		}{{UTF16, tt.utf16}, {UTF8, tt.u8}, {Runes, tt.runes}} {
			p := f.Position(off, c.enc)
			if p.Line != tt.line || p.Col != c.want {
				t.Errorf("Position(%q, enc %d) = %d:%d, want %d:%d", tt.sub, c.enc, p.Line, p.Col, tt.line, c.want)
			}
			back, err := f.Offset(p, c.enc)
			if err != nil || back != off {
				t.Errorf("Offset(%v, enc %d) = %d, %v, want %d", p, c.enc, back, err, off)
			}
		}
	}
}

func TestOffsetClamps(t *testing.T) {
	f := NewFile("t", "ab🎉\r\ncd")
	tests := []struct {
		p    Position
		enc  Encoding
		want int
	}{
		{Position{0, 99}, UTF16, 6},   // past the end of line 0: before CRLF
		{Position{0, 3}, UTF16, 2},    // inside the surrogate pair: start of 🎉
		{Position{0, 4}, UTF16, 6},    // after 🎉
		{Position{0, 3}, UTF8, 2},     // inside the UTF-8 sequence
		{Position{1, 1}, UTF16, 9},    // "d"
		{Position{2, 0}, UTF16, 10},   // just after the last line
		{Position{0, 3}, Runes, 6},    // after 🎉
		{Position{1, 100}, Runes, 10}, // end of file
	}
	for _, tt := range tests {
		got, err := f.Offset(tt.p, tt.enc)
		if err != nil || got != tt.want {
			t.Errorf("Offset(%v, %d) = %d, %v, want %d", tt.p, tt.enc, got, err, tt.want)
		}
	}
	if _, err := f.Offset(Position{5, 0}, UTF16); err == nil {
		t.Errorf("Offset(line 5) = nil error, want out of range")
	}
	if _, err := f.Offset(Position{-1, 0}, UTF16); err == nil {
		t.Errorf("Offset(line -1) = nil error, want error")
	}
}

func TestPositionInsideTerminator(t *testing.T) {
	f := NewFile("t", "ab\r\ncd")
	// Offset 3 is the "\n" of CRLF: it belongs to line 0 and maps to its end.
	if p := f.Position(3, UTF16); p != (Position{0, 2}) {
		t.Errorf("Position(3) = %v, want 0:2", p)
	}
	if got := f.LineEnd(0); got != 2 {
		t.Errorf("LineEnd(0) = %d, want 2", got)
	}
	if got := f.LineSpan(1); got != (Span{4, 6}) {
		t.Errorf("LineSpan(1) = %v, want [4,6)", got)
	}
}

func TestInvalidUTF8(t *testing.T) {
	f := NewFile("t", "a\xff\xfeb")
	if p := f.Position(3, UTF16); p.Col != 3 {
		t.Errorf("Position after 2 invalid bytes = %v, want col 3", p)
	}
	if p := f.Position(3, Runes); p.Col != 3 {
		t.Errorf("Position(Runes) = %v, want col 3", p)
	}
}

func FuzzPositionRoundTrip(f *testing.F) {
	f.Add("GET /x\r\nHost: 東京\n🎉\r", 5)
	f.Fuzz(func(t *testing.T, text string, off int) {
		file := NewFile("f", text)
		if off < 0 {
			off = -off
		}
		if len(text) > 0 {
			off %= len(text) + 1
		} else {
			off = 0
		}
		for _, enc := range []Encoding{UTF16, UTF8, Runes} {
			p := file.Position(off, enc)
			back, err := file.Offset(p, enc)
			if err != nil {
				t.Fatalf("Offset(Position(%d)) error: %v", off, err)
			}
			if back > off {
				t.Fatalf("Offset(Position(%d)) = %d, beyond the original", off, back)
			}
		}
	})
}

// TestLineCol: the 1-based positions every output shows, with CRLF line
// ends and Japanese text, in characters and in UTF-16 units; a nil file is
// 1:1.
func TestLineCol(t *testing.T) {
	f := NewFile("a.http", "# 注文\r\nGET https://例え.jp/𝑥 HTTP/1.1\r\n")
	off := strings.Index(f.Text, "𝑥")
	for _, tt := range []struct {
		enc       Encoding
		line, col int
	}{
		{Runes, 2, 19},
		{UTF16, 2, 19},
		{UTF8, 2, off - strings.Index(f.Text, "GET") + 1},
	} {
		if l, c := f.LineCol(off, tt.enc); l != tt.line || c != tt.col {
			t.Errorf("LineCol(%d, %v) = %d:%d, want %d:%d", off, tt.enc, l, c, tt.line, tt.col)
		}
	}
	if l, c := f.LineCol(off+len("𝑥"), UTF16); l != 2 || c != 21 {
		t.Errorf("after a surrogate pair: %d:%d, want 2:21", l, c)
	}
	if l, c := f.LineCol(strings.Index(f.Text, "\r\nGET")+1, Runes); l != 1 || c != 5 {
		t.Errorf("inside CRLF: %d:%d, want 1:5", l, c)
	}
	var nilFile *File
	if l, c := nilFile.LineCol(10, Runes); l != 1 || c != 1 {
		t.Errorf("nil file: %d:%d, want 1:1", l, c)
	}
}
