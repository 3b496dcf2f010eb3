package main

import (
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// Text output reaches a terminal. File names, file content and env values
// are the user's (or an attacker's): a control character in them could
// set the window title (OSC), clear the screen (CSI), ring the bell, or
// fake output lines (CR, LF). Every such value is printed through esc;
// whole outputs whose values cannot all be reached (explain's rendering)
// go through a termWriter as well.

// esc returns s with control characters written as Go escapes: C0 controls
// but tab (\n, \r, \x1b …), DEL, C1 controls (\u009b …), the Unicode line
// and paragraph separators and the bidirectional overrides that reorder
// what a terminal shows (\u202e …). Invalid UTF-8 bytes are shown as \xNN.
func esc(s string) string {
	i := 0
	for i < len(s) {
		c := s[i]
		if c >= 0x20 && c < 0x7f || c == '\t' {
			i++
			continue
		}
		if c < utf8.RuneSelf {
			break
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if unsafeRune(r, size) {
			break
		}
		i += size
	}
	if i == len(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 16)
	b.WriteString(s[:i])
	for i < len(s) {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r < 0x20 && r != '\t' || r == 0x7f:
			fmt.Fprintf(&b, `\x%02x`, r)
		case unsafeRune(r, size):
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}

// unsafeRune reports a non-ASCII rune esc writes as an escape.
func unsafeRune(r rune, size int) bool {
	switch {
	case r == utf8.RuneError && size == 1:
		return true
	case r >= 0x80 && r <= 0x9f: // C1 controls (0x9b is CSI)
		return true
	case r == 0x2028 || r == 0x2029:
		return true
	case r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069, r == 0x200e || r == 0x200f, r == 0x061c:
		return true
	}
	return false
}

// termWriter escapes control characters in a stream of text output, but
// newlines and tabs (the output's own layout) and, when sgr is set, the
// colour sequences ESC [ … m the output itself writes. Unlike esc it
// cannot tell a newline of a value from one of the layout, so values are
// escaped with esc as well wherever they are printed.
type termWriter struct {
	w   io.Writer
	sgr bool
}

func (t termWriter) Write(p []byte) (int, error) {
	clean := true
	for i := 0; i < len(p); i++ {
		c := p[i]
		if c < 0x20 && c != '\n' && c != '\t' || c == 0x7f || c == 0xc2 || c == 0xe2 || c == 0xd8 {
			clean = false
			break
		}
	}
	if clean {
		return t.w.Write(p)
	}
	var b strings.Builder
	b.Grow(len(p) + 16)
	for i := 0; i < len(p); {
		c := p[i]
		switch {
		case c == '\n' || c == '\t':
			b.WriteByte(c)
			i++
			continue
		case c == 0x1b && t.sgr:
			if n := sgrLen(p[i:]); n > 0 {
				b.Write(p[i : i+n])
				i += n
				continue
			}
			b.WriteString(`\x1b`)
			i++
			continue
		case c == '\r':
			b.WriteString(`\r`)
			i++
			continue
		case c < 0x20 || c == 0x7f:
			fmt.Fprintf(&b, `\x%02x`, c)
			i++
			continue
		case c < utf8.RuneSelf:
			b.WriteByte(c)
			i++
			continue
		}
		r, size := utf8.DecodeRune(p[i:])
		if size > 1 && unsafeRune(r, size) {
			fmt.Fprintf(&b, `\u%04x`, r)
		} else {
			b.Write(p[i : i+size]) // a rune, or a byte of one split across writes
		}
		i += size
	}
	if _, err := io.WriteString(t.w, b.String()); err != nil {
		return 0, err
	}
	return len(p), nil
}

// sgrLen returns the length of the colour sequence ESC [ digits;… m at the
// start of p, or 0.
func sgrLen(p []byte) int {
	if len(p) < 3 || p[0] != 0x1b || p[1] != '[' {
		return 0
	}
	for i := 2; i < len(p) && i < 32; i++ {
		switch c := p[i]; {
		case c == 'm':
			return i + 1
		case c >= '0' && c <= '9' || c == ';':
		default:
			return 0
		}
	}
	return 0
}
