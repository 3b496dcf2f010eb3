package main

import (
	"strings"
	"testing"
)

func TestEsc(t *testing.T) {
	tests := []struct{ in, want string }{
		{"plain ascii / 東京 😀\ttab", "plain ascii / 東京 😀\ttab"},
		{"a\x1b]0;title\x07b", `a\x1b]0;title\x07b`},
		{"clear\x1b[2J", `clear\x1b[2J`},
		{"line\r\nFAKE", `line\r\nFAKE`},
		{"c1 \u009b2J del \x7f", `c1 \u009b2J del \x7f`},
		{"bidi \u202eevil\u2066 ls\u2028", `bidi \u202eevil\u2066 ls\u2028`},
		{"bad \xff utf8", `bad \xff utf8`},
		{"", ""},
	}
	for _, tt := range tests {
		if got := esc(tt.in); got != tt.want {
			t.Errorf("esc(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestTermWriter(t *testing.T) {
	var b strings.Builder
	w := termWriter{&b, true}
	w.Write([]byte("\x1b[1mbold\x1b[0m \x1b]0;t\x07 \x1b[2J\r\n"))
	// A Japanese character split across two writes is kept whole.
	jp := []byte("東京")
	w.Write(jp[:2])
	w.Write(jp[2:])
	want := "\x1b[1mbold\x1b[0m \\x1b]0;t\\x07 \\x1b[2J\\r\n東京"
	if b.String() != want {
		t.Errorf("colour on: %q, want %q", b.String(), want)
	}
	b.Reset()
	termWriter{&b, false}.Write([]byte("\x1b[1mbold\x1b[0m\t\u009b\n"))
	if want := "\\x1b[1mbold\\x1b[0m\t\\u009b\n"; b.String() != want {
		t.Errorf("colour off: %q, want %q", b.String(), want)
	}
}
