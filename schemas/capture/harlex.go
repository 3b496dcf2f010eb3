package capture

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// harLexer reads JSON tokens from a stream the way json.Decoder.Token does
// (delimiters, strings, numbers, booleans, nil; commas and colons checked
// and dropped), with every cost bounded: a string keeps at most the number
// of bytes its caller asks for (the rest is read and dropped, never held),
// nesting is limited to MaxHARDepth, and at most MaxHARInput bytes are
// read. json.Decoder holds a whole string token however long it is, and a
// stack entry per open bracket.
type harLexer struct {
	r     *bufio.Reader
	in    *limitedInput
	stack []byte // the open containers, '{' or '['
	state lexState
	buf   []byte // scratch for the string being read
}

type lexState int

const (
	lexTopValue lexState = iota
	lexTopEnd
	lexArrayStart
	lexArrayValue
	lexArrayComma
	lexObjectStart
	lexObjectKey
	lexObjectColon
	lexObjectValue
	lexObjectComma
)

// Strings are kept up to these lengths unless the caller asks for more.
const (
	harKeyMax    = 256
	harStringMax = 64 << 10
)

// harLimitError is a HAR limit that was reached: the input is read no
// further.
type harLimitError struct{ msg string }

func (e *harLimitError) Error() string { return e.msg }
func (e *harLimitError) Unwrap() error { return ErrTooLarge }

// harSyntaxError is invalid JSON at a byte offset.
type harSyntaxError struct {
	msg string
	off int64
}

func (e *harSyntaxError) Error() string { return e.msg }

// limitedInput counts the bytes read and fails past max.
type limitedInput struct {
	r   io.Reader
	n   int64
	max int64
}

func (l *limitedInput) Read(p []byte) (int, error) {
	if l.n >= l.max {
		var b [1]byte
		if k, err := l.r.Read(b[:]); k == 0 {
			return 0, err
		}
		return 0, &harLimitError{fmt.Sprintf("the HAR file is larger than %d MiB (after decompression), the most read", l.max>>20)}
	}
	if room := l.max - l.n; int64(len(p)) > room {
		p = p[:room]
	}
	k, err := l.r.Read(p)
	l.n += int64(k)
	return k, err
}

func newHARLexer(r io.Reader, maxInput int64) *harLexer {
	in := &limitedInput{r: r, max: maxInput}
	x := &harLexer{r: bufio.NewReaderSize(in, 64<<10), in: in}
	if b, _ := x.r.Peek(3); string(b) == "\xef\xbb\xbf" { // a BOM, as some Windows tools write
		x.r.Discard(3)
	}
	return x
}

// offset returns the number of bytes consumed.
func (x *harLexer) offset() int64 { return x.in.n - int64(x.r.Buffered()) }

func (x *harLexer) syntax(format string, args ...any) error {
	return &harSyntaxError{fmt.Sprintf(format, args...), x.offset()}
}

// peek returns the next byte that is not white space, without consuming it.
func (x *harLexer) peek() (byte, error) {
	for {
		c, err := x.r.ReadByte()
		if err != nil {
			return 0, err
		}
		switch c {
		case ' ', '\t', '\n', '\r':
			continue
		}
		_ = x.r.UnreadByte()
		return c, nil
	}
}

// More reports whether the current array or object has another element.
func (x *harLexer) More() bool {
	c, err := x.peek()
	return err == nil && c != ']' && c != '}'
}

// Token returns the next token; strings are kept up to harStringMax bytes
// (keys up to harKeyMax).
func (x *harLexer) Token() (json.Token, error) {
	t, _, err := x.token(harStringMax)
	return t, err
}

// token returns the next token; a string value keeps at most max bytes,
// truncated reporting whether some were dropped.
func (x *harLexer) token(max int) (t json.Token, truncated bool, err error) {
	for {
		c, err := x.peek()
		if err != nil {
			if err == io.EOF {
				if x.state == lexTopEnd && len(x.stack) == 0 {
					return nil, false, io.EOF
				}
				return nil, false, io.ErrUnexpectedEOF
			}
			return nil, false, err
		}
		switch c {
		case '[', '{':
			if !x.valueAllowed() {
				return nil, false, x.syntax("unexpected %q", c)
			}
			if len(x.stack) >= MaxHARDepth {
				return nil, false, &harLimitError{fmt.Sprintf("the HAR file nests values more than %d levels deep (byte %d), the most read", MaxHARDepth, x.offset())}
			}
			x.r.ReadByte()
			x.stack = append(x.stack, c)
			if c == '[' {
				x.state = lexArrayStart
			} else {
				x.state = lexObjectStart
			}
			return json.Delim(c), false, nil
		case ']':
			if x.state != lexArrayStart && x.state != lexArrayComma {
				return nil, false, x.syntax("unexpected ']'")
			}
			x.r.ReadByte()
			x.pop()
			return json.Delim(c), false, nil
		case '}':
			if x.state != lexObjectStart && x.state != lexObjectComma {
				return nil, false, x.syntax("unexpected '}'")
			}
			x.r.ReadByte()
			x.pop()
			return json.Delim(c), false, nil
		case ':':
			if x.state != lexObjectColon {
				return nil, false, x.syntax("unexpected ':'")
			}
			x.r.ReadByte()
			x.state = lexObjectValue
			continue
		case ',':
			switch x.state {
			case lexArrayComma:
				x.state = lexArrayValue
			case lexObjectComma:
				x.state = lexObjectKey
			default:
				return nil, false, x.syntax("unexpected ','")
			}
			x.r.ReadByte()
			continue
		case '"':
			if x.state == lexObjectStart || x.state == lexObjectKey {
				s, _, err := x.str(harKeyMax)
				if err != nil {
					return nil, false, err
				}
				x.state = lexObjectColon
				return s, false, nil
			}
			if !x.valueAllowed() {
				return nil, false, x.syntax("unexpected string")
			}
			s, trunc, err := x.str(max)
			if err != nil {
				return nil, false, err
			}
			x.valueEnd()
			return s, trunc, nil
		}
		if !x.valueAllowed() {
			return nil, false, x.syntax("unexpected %q", c)
		}
		if !(c == '-' || c >= '0' && c <= '9' || c == 't' || c == 'f' || c == 'n') {
			r, _ := utf8.DecodeRune(x.peekRune())
			return nil, false, x.syntax("invalid character %q looking for a value", r)
		}
		t, err := x.literal()
		if err != nil {
			return nil, false, err
		}
		x.valueEnd()
		return t, false, nil
	}
}

func (x *harLexer) valueAllowed() bool {
	switch x.state {
	case lexTopValue, lexArrayStart, lexArrayValue, lexObjectValue:
		return true
	}
	return false
}

func (x *harLexer) valueEnd() {
	switch x.state {
	case lexArrayStart, lexArrayValue:
		x.state = lexArrayComma
	case lexObjectValue:
		x.state = lexObjectComma
	case lexTopValue:
		x.state = lexTopEnd
	}
}

func (x *harLexer) pop() {
	x.stack = x.stack[:len(x.stack)-1]
	if len(x.stack) == 0 {
		x.state = lexTopEnd
		return
	}
	if x.stack[len(x.stack)-1] == '[' {
		x.state = lexArrayComma
	} else {
		x.state = lexObjectComma
	}
}

// peekRune returns the bytes of the next character, unread.
func (x *harLexer) peekRune() []byte {
	b, _ := x.r.Peek(utf8.UTFMax)
	return b
}

// literal reads a number, true, false or null.
func (x *harLexer) literal() (json.Token, error) {
	var b [64]byte
	n := 0
	for {
		c, err := x.r.ReadByte()
		if err != nil {
			if err == io.EOF {
				break
			}
			return nil, err
		}
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '-' || c == '+' || c == '.') {
			_ = x.r.UnreadByte()
			break
		}
		if n == len(b) {
			return nil, x.syntax("a literal longer than %d bytes", len(b))
		}
		b[n] = c
		n++
	}
	s := string(b[:n])
	switch s {
	case "true":
		return true, nil
	case "false":
		return false, nil
	case "null":
		return nil, nil
	}
	if n > 0 && json.Valid(b[:n]) && (b[0] == '-' || b[0] >= '0' && b[0] <= '9') {
		return json.Number(s), nil
	}
	return nil, x.syntax("invalid literal %q", s)
}

// str reads a string whose opening quote is next, keeping at most max
// bytes of its value (invalid UTF-8 replaced, as encoding/json does).
func (x *harLexer) str(max int) (s string, truncated bool, err error) {
	x.r.ReadByte() // '"'
	out := x.buf[:0]
	keep := func(p []byte) {
		if room := max - len(out); len(p) > room {
			p = p[:room]
			truncated = true
		}
		out = append(out, p...)
	}
	for {
		if x.r.Buffered() == 0 {
			if _, err := x.r.Peek(1); err != nil {
				if err == io.EOF {
					err = io.ErrUnexpectedEOF
				}
				return "", false, err
			}
		}
		chunk, _ := x.r.Peek(x.r.Buffered())
		i := 0
		for i < len(chunk) && chunk[i] != '"' && chunk[i] != '\\' && chunk[i] >= 0x20 {
			i++
		}
		keep(chunk[:i])
		x.r.Discard(i)
		if i == len(chunk) {
			continue
		}
		c, _ := x.r.ReadByte()
		switch {
		case c == '"':
			x.buf = out[:0]
			if len(x.buf) > 1<<20 {
				x.buf = nil
			}
			return strings.ToValidUTF8(string(out), "\ufffd"), truncated, nil
		case c < 0x20:
			return "", false, x.syntax("control character %#x in a string", c)
		}
		r, err := x.escape()
		if err != nil {
			return "", false, err
		}
		var e [utf8.UTFMax]byte
		keep(e[:utf8.EncodeRune(e[:], r)])
	}
}

// escape reads the rest of a backslash escape. A high surrogate takes
// the low one of a following \u escape with it; alone it is U+FFFD, and
// the escape after it is read on its own, as encoding/json does.
func (x *harLexer) escape() (rune, error) {
	c, err := x.r.ReadByte()
	if err != nil {
		return 0, io.ErrUnexpectedEOF
	}
	switch c {
	case '"', '\\', '/':
		return rune(c), nil
	case 'b':
		return '\b', nil
	case 'f':
		return '\f', nil
	case 'n':
		return '\n', nil
	case 'r':
		return '\r', nil
	case 't':
		return '\t', nil
	case 'u':
		r, err := x.hex4()
		if err != nil {
			return 0, err
		}
		if !utf16.IsSurrogate(r) {
			return r, nil
		}
		if b, _ := x.r.Peek(6); len(b) == 6 && b[0] == '\\' && b[1] == 'u' {
			if r2, ok := hexRune(b[2:]); ok {
				if d := utf16.DecodeRune(r, r2); d != utf8.RuneError {
					x.r.Discard(6)
					return d, nil
				}
			}
		}
		return utf8.RuneError, nil
	}
	return 0, x.syntax("invalid escape \\%c in a string", c)
}

// hexRune reads four hex digits.
func hexRune(b []byte) (rune, bool) {
	var r rune
	for _, c := range b[:4] {
		switch {
		case c >= '0' && c <= '9':
			c -= '0'
		case c >= 'a' && c <= 'f':
			c = c - 'a' + 10
		case c >= 'A' && c <= 'F':
			c = c - 'A' + 10
		default:
			return 0, false
		}
		r = r<<4 | rune(c)
	}
	return r, true
}

func (x *harLexer) hex4() (rune, error) {
	b, _ := x.r.Peek(4)
	if len(b) < 4 {
		return 0, io.ErrUnexpectedEOF
	}
	r, ok := hexRune(b)
	if !ok {
		return 0, x.syntax("invalid \\u escape in a string")
	}
	x.r.Discard(4)
	return r, nil
}

// isHARLimit reports whether err is a HAR limit that was reached.
func isHARLimit(err error) bool {
	var l *harLimitError
	return errors.As(err, &l)
}
