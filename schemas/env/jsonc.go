package env

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/gw403/gw403-lsp/schemas/source"
)

// jkind is the kind of a JSON value.
type jkind uint8

const (
	jNull jkind = iota
	jBool
	jNumber
	jString
	jObject
	jArray
)

// jnode is a JSON value with the byte span of its token(s).
type jnode struct {
	kind jkind
	span source.Span // the whole value (for strings: with the quotes)
	// str is the decoded string, or the literal text of a number, bool or
	// null.
	str string
	// escaped is true when the string had escape sequences: offsets in str
	// then do not map one to one to the source.
	escaped bool
	members []jmember // objects, in source order
	elems   []*jnode  // arrays
}

type jmember struct {
	key     string
	keySpan source.Span // with the quotes
	val     *jnode
}

// get returns the last member named key (JSON's "last one wins"), or nil.
func (n *jnode) get(key string) *jnode {
	if n == nil || n.kind != jObject {
		return nil
	}
	for i := len(n.members) - 1; i >= 0; i-- {
		if n.members[i].key == key {
			return n.members[i].val
		}
	}
	return nil
}

// maxDepth bounds nesting so that hostile input cannot exhaust the stack.
const maxDepth = 512

// jparser reads JSON with the JSONC extensions VS Code accepts in
// settings.json: `//` and `/* */` comments and trailing commas. The same
// leniency applies to the env JSON files: a comment there is no reason to
// give up on a file.
type jparser struct {
	text  string
	pos   int
	depth int
	err   *Problem
	path  string
}

// parseJSON parses src. On a syntax error it returns what it read so far
// (a partial tree, possibly nil) and one Problem at the offset of the
// error.
func parseJSON(src *source.File) (*jnode, []Problem) {
	p := &jparser{text: src.Text, path: src.Path}
	if strings.HasPrefix(p.text, "\uFEFF") {
		p.pos = 3
	}
	p.skip()
	if p.pos >= len(p.text) {
		return nil, []Problem{{Path: src.Path, Span: source.Span{Start: p.pos, End: p.pos}, Message: "empty JSON file"}}
	}
	n := p.value()
	if p.err == nil {
		p.skip()
		if p.pos < len(p.text) {
			p.fail(p.pos, "unexpected text after the JSON value")
		}
	}
	if p.err != nil {
		return n, []Problem{*p.err}
	}
	return n, nil
}

func (p *jparser) fail(at int, format string, args ...any) {
	if p.err != nil {
		return
	}
	end := at
	if at < len(p.text) {
		_, size := utf8.DecodeRuneInString(p.text[at:])
		end = at + size
	}
	p.err = &Problem{Path: p.path, Span: source.Span{Start: at, End: end}, Message: "JSON syntax error: " + fmt.Sprintf(format, args...)}
}

// skip passes blanks and comments.
func (p *jparser) skip() {
	for p.pos < len(p.text) {
		switch c := p.text[p.pos]; {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			p.pos++
		case c == '/' && p.pos+1 < len(p.text) && p.text[p.pos+1] == '/':
			if i := strings.IndexAny(p.text[p.pos:], "\r\n"); i >= 0 {
				p.pos += i
			} else {
				p.pos = len(p.text)
			}
		case c == '/' && p.pos+1 < len(p.text) && p.text[p.pos+1] == '*':
			if i := strings.Index(p.text[p.pos+2:], "*/"); i >= 0 {
				p.pos += 2 + i + 2
			} else {
				p.fail(p.pos, "unterminated /* comment")
				p.pos = len(p.text)
			}
		default:
			return
		}
	}
}

func (p *jparser) value() *jnode {
	if p.err != nil {
		return nil
	}
	if p.pos >= len(p.text) {
		p.fail(p.pos, "unexpected end of file, want a value")
		return nil
	}
	switch c := p.text[p.pos]; {
	case c == '{':
		return p.object()
	case c == '[':
		return p.array()
	case c == '"':
		return p.string()
	case c == '-' || c >= '0' && c <= '9':
		return p.number()
	case strings.HasPrefix(p.text[p.pos:], "true"), strings.HasPrefix(p.text[p.pos:], "false"):
		return p.literal(jBool)
	case strings.HasPrefix(p.text[p.pos:], "null"):
		return p.literal(jNull)
	default:
		p.fail(p.pos, "unexpected %q, want a value", p.text[p.pos:p.pos+runeLen(p.text[p.pos:])])
		return nil
	}
}

func runeLen(s string) int {
	_, n := utf8.DecodeRuneInString(s)
	return max(n, 1)
}

func (p *jparser) literal(k jkind) *jnode {
	start := p.pos
	for p.pos < len(p.text) && p.text[p.pos] >= 'a' && p.text[p.pos] <= 'z' {
		p.pos++
	}
	w := p.text[start:p.pos]
	if w != "true" && w != "false" && w != "null" {
		p.fail(start, "unexpected %q, want a value", w)
		return nil
	}
	return &jnode{kind: k, span: source.Span{Start: start, End: p.pos}, str: w}
}

func (p *jparser) number() *jnode {
	start := p.pos
	for p.pos < len(p.text) {
		c := p.text[p.pos]
		if !(c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E' || c >= '0' && c <= '9') {
			break
		}
		p.pos++
	}
	lit := p.text[start:p.pos]
	if _, err := strconv.ParseFloat(lit, 64); err != nil {
		p.fail(start, "invalid number %q", lit)
		return nil
	}
	return &jnode{kind: jNumber, span: source.Span{Start: start, End: p.pos}, str: lit}
}

func (p *jparser) string() *jnode {
	start := p.pos
	p.pos++ // opening quote
	var b strings.Builder
	lit := p.pos
	escaped := false
	for {
		if p.pos >= len(p.text) {
			p.fail(start, "unterminated string")
			return nil
		}
		c := p.text[p.pos]
		switch {
		case c == '"':
			s := p.text[lit:p.pos]
			if escaped {
				b.WriteString(s)
				s = b.String()
			}
			p.pos++
			return &jnode{kind: jString, span: source.Span{Start: start, End: p.pos}, str: s, escaped: escaped}
		case c == '\n' || c == '\r':
			p.fail(p.pos, "line break in a string")
			return nil
		case c == '\\':
			escaped = true
			b.WriteString(p.text[lit:p.pos])
			if p.pos+1 >= len(p.text) {
				p.fail(p.pos, "unterminated string")
				return nil
			}
			e := p.text[p.pos+1]
			p.pos += 2
			switch e {
			case '"', '\\', '/':
				b.WriteByte(e)
			case 'b':
				b.WriteByte('\b')
			case 'f':
				b.WriteByte('\f')
			case 'n':
				b.WriteByte('\n')
			case 'r':
				b.WriteByte('\r')
			case 't':
				b.WriteByte('\t')
			case 'u':
				r, ok := p.hex4()
				if !ok {
					return nil
				}
				if utf16.IsSurrogate(r) && strings.HasPrefix(p.text[p.pos:], `\u`) {
					save := p.pos
					p.pos += 2
					r2, ok := p.hex4()
					if ok && utf16.DecodeRune(r, r2) != utf8.RuneError {
						r = utf16.DecodeRune(r, r2)
					} else {
						p.err = nil
						p.pos = save
					}
				}
				b.WriteRune(r)
			default:
				p.fail(p.pos-2, "invalid escape \\%c", e)
				return nil
			}
			lit = p.pos
		default:
			p.pos++
		}
	}
}

func (p *jparser) hex4() (rune, bool) {
	if p.pos+4 > len(p.text) {
		p.fail(p.pos, "short \\u escape")
		return 0, false
	}
	v, err := strconv.ParseUint(p.text[p.pos:p.pos+4], 16, 32)
	if err != nil {
		p.fail(p.pos, "invalid \\u escape")
		return 0, false
	}
	p.pos += 4
	return rune(v), true
}

func (p *jparser) enter() bool {
	p.depth++
	if p.depth > maxDepth {
		p.fail(p.pos, "nesting deeper than %d levels", maxDepth)
		return false
	}
	return true
}

func (p *jparser) object() *jnode {
	n := &jnode{kind: jObject, span: source.Span{Start: p.pos}}
	defer func() {
		if n.span.End < n.span.Start { // cut short by an error
			n.span.End = min(max(p.pos, n.span.Start), len(p.text))
		}
	}()
	if !p.enter() {
		return n
	}
	defer func() { p.depth-- }()
	p.pos++ // {
	for {
		p.skip()
		if p.err != nil {
			return n
		}
		if p.pos >= len(p.text) {
			p.fail(p.pos, "unexpected end of file in an object, want '}'")
			return n
		}
		if p.text[p.pos] == '}' {
			p.pos++
			n.span.End = p.pos
			return n
		}
		if p.text[p.pos] != '"' {
			p.fail(p.pos, "want a quoted key or '}'")
			return n
		}
		k := p.string()
		if k == nil {
			return n
		}
		p.skip()
		if p.pos >= len(p.text) || p.text[p.pos] != ':' {
			p.fail(p.pos, "want ':' after the key %q", k.str)
			return n
		}
		p.pos++
		p.skip()
		v := p.value()
		if v == nil {
			return n
		}
		n.members = append(n.members, jmember{key: k.str, keySpan: k.span, val: v})
		p.skip()
		if p.pos < len(p.text) && p.text[p.pos] == ',' {
			p.pos++
			continue
		}
		if p.pos < len(p.text) && p.text[p.pos] == '}' {
			continue
		}
		if p.err == nil {
			p.fail(p.pos, "want ',' or '}' after a member")
		}
		return n
	}
}

func (p *jparser) array() *jnode {
	n := &jnode{kind: jArray, span: source.Span{Start: p.pos}}
	defer func() {
		if n.span.End < n.span.Start { // cut short by an error
			n.span.End = min(max(p.pos, n.span.Start), len(p.text))
		}
	}()
	if !p.enter() {
		return n
	}
	defer func() { p.depth-- }()
	p.pos++ // [
	for {
		p.skip()
		if p.err != nil {
			return n
		}
		if p.pos >= len(p.text) {
			p.fail(p.pos, "unexpected end of file in an array, want ']'")
			return n
		}
		if p.text[p.pos] == ']' {
			p.pos++
			n.span.End = p.pos
			return n
		}
		v := p.value()
		if v == nil {
			return n
		}
		n.elems = append(n.elems, v)
		p.skip()
		if p.pos < len(p.text) && p.text[p.pos] == ',' {
			p.pos++
			continue
		}
		if p.pos < len(p.text) && p.text[p.pos] == ']' {
			continue
		}
		if p.err == nil {
			p.fail(p.pos, "want ',' or ']' after an element")
		}
		return n
	}
}
