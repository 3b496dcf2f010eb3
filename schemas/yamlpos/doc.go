// Package yamlpos parses YAML and JSON documents with gopkg.in/yaml.v3 and
// gives every node a half-open byte span into the source text, plus text
// edits (set a scalar, insert a key, append an item, delete an entry) that
// are correct in block YAML, flow YAML and JSON.
//
// yaml.v3 reports a node's start as a 1-based line and a 1-based column
// counted in characters, and gives the decoded value, not the token. Spans
// are therefore computed from the source token itself (quotes, escapes,
// block scalar indicators, tags and anchors included), never from the
// length of Node.Value.
//
// Nothing here expands aliases: an alias node's span is its `*name` token.
// Functions that descend the tree do so iteratively or with a depth bound,
// so documents nested 10,000 levels deep (yaml.v3's own limit) are safe.
package yamlpos

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"
	"unsafe"

	"gopkg.in/yaml.v3"

	"github.com/gw403/gw403-lsp/schemas/source"
)

// Doc is one parsed YAML or JSON document and the index that maps yaml.v3
// node positions to byte offsets of File.Text.
type Doc struct {
	File *source.File
	// Root is the document's top node (a mapping for templates and OpenAPI
	// documents); nil for an empty document.
	Root *yaml.Node
	// JSON reports that the text is a JSON document (its first significant
	// character is '{' or '['); edits then produce JSON.
	JSON bool

	bom   int   // length of a leading UTF-8 byte order mark (0 or 3)
	lines []int // byte offset of each line start, with yaml.v3's line breaks
	ascii bool  // the text is ASCII: a column is a byte count

	endsMu sync.Mutex         // guards ends
	ends   map[*yaml.Node]int // End of the nodes FindNode passed
}

// SyntaxError is a document that cannot be read: invalid YAML/JSON or text
// that is not UTF-8. Span points at the offending line (or at the first
// invalid byte).
type SyntaxError struct {
	Msg  string
	Span source.Span
}

func (e *SyntaxError) Error() string { return e.Msg }

var errLine = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

// Parse decodes the first document of f.Text. A syntax error or non-UTF-8
// text gives a *SyntaxError with a span; an empty document gives a Doc with
// a nil Root. JSON indented with tabs (which YAML rejects) is accepted:
// tabs outside strings are read as spaces, which keeps every byte offset.
func Parse(f *source.File) (*Doc, error) {
	d := newDoc(f)
	text := f.Text
	if !utf8.ValidString(text) {
		off := firstInvalid(text)
		return d, &SyntaxError{
			Msg:  fmt.Sprintf("%s is not UTF-8 text (invalid byte 0x%02x at offset %d)", displayName(f.Path), text[off], off),
			Span: source.Span{Start: off, End: off + 1},
		}
	}
	if d.JSON && strings.IndexByte(text, '\t') >= 0 {
		text = untabJSON(text)
	}
	var n yaml.Node
	err := decode(text, &n)
	if err != nil {
		return d, d.syntaxError(err)
	}
	if n.Kind == yaml.DocumentNode && len(n.Content) > 0 {
		d.Root = n.Content[0]
	}
	return d, nil
}

// NewDoc returns a Doc for a node tree that was decoded elsewhere from
// f.Text (the positions of root must refer to f.Text).
func NewDoc(f *source.File, root *yaml.Node) *Doc {
	d := newDoc(f)
	d.Root = root
	return d
}

func newDoc(f *source.File) *Doc {
	d := &Doc{File: f}
	if strings.HasPrefix(f.Text, "\uFEFF") {
		d.bom = 3
	}
	d.lines = lineStarts(f.Text, d.bom)
	d.ascii = isASCII(f.Text)
	d.JSON = looksJSON(f.Text[d.bom:])
	return d
}

func decode(text string, n *yaml.Node) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("yaml: internal error: %v", r)
		}
	}()
	// yaml.v3 only reads its input (it copies it into its own buffer), so
	// the string's bytes are lent rather than copied: documents are
	// megabytes.
	return yaml.Unmarshal(unsafe.Slice(unsafe.StringData(text), len(text)), n)
}

func displayName(p string) string {
	if p == "" {
		return "the file"
	}
	return p
}

func firstInvalid(s string) int {
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			return i
		}
		i += size
	}
	return 0
}

// syntaxError turns a yaml.v3 error ("yaml: line 12: mapping values are not
// allowed in this context") into a SyntaxError spanning that line's content.
func (d *Doc) syntaxError(err error) *SyntaxError {
	msg := err.Error()
	var te *yaml.TypeError
	if errors.As(err, &te) && len(te.Errors) > 0 {
		msg = "yaml: " + te.Errors[0]
	}
	m := errLine.FindStringSubmatch(msg)
	if m == nil {
		// No line: point at the first line.
		return &SyntaxError{Msg: msg, Span: d.lineSpan(1)}
	}
	line, _ := strconv.Atoi(m[1])
	if se := d.locate(line, m[2]); se != nil {
		return se
	}
	if strings.HasPrefix(m[2], "did not find expected") {
		// yaml.v3 names the line where the enclosing block started; the
		// cause is usually a later line indented unlike its siblings.
		if bad := d.misindentedLine(line); bad > 0 {
			return &SyntaxError{
				Msg:  fmt.Sprintf("yaml: %s: line %d is not indented like its siblings (in the block that starts at line %d)", m[2], bad, line),
				Span: d.lineSpan(bad),
			}
		}
	}
	return &SyntaxError{Msg: "yaml: " + m[2] + " (line " + m[1] + ")", Span: d.lineSpan(line)}
}

// blockScalarHeader matches a line ending in a block scalar indicator.
var blockScalarHeader = regexp.MustCompile(`(^|[:\-]\s)[|>][1-9+\-]{0,2}$`)

// misindentedLine looks for the first line after the 1-based line from
// that dedents to a column no enclosing block uses, or indents under a line
// that opens no block. It returns 0 when every line is consistent.
func (d *Doc) misindentedLine(from int) int {
	var stack []int // indentation of the open blocks
	prevOpens := false
	scalarAt := -1 // indentation of a line that opened a block scalar
	for l := from; l <= len(d.lines); l++ {
		sp := d.lineSpan(l)
		content := d.File.Text[sp.Start:sp.End]
		if content == "" || strings.HasPrefix(content, "#") {
			continue
		}
		indent := sp.Start - d.lines[l-1]
		if scalarAt >= 0 {
			if indent > scalarAt {
				continue // block scalar text may be indented any deeper
			}
			scalarAt = -1
		}
		switch {
		case len(stack) == 0:
			stack = append(stack, indent)
		case indent > stack[len(stack)-1]:
			if !prevOpens {
				return l
			}
			stack = append(stack, indent)
		default:
			for len(stack) > 0 && stack[len(stack)-1] > indent {
				stack = stack[:len(stack)-1]
			}
			if len(stack) == 0 {
				return 0 // left the block yaml.v3 named
			}
			if stack[len(stack)-1] != indent {
				return l
			}
		}
		code := content
		if i := strings.Index(code, " #"); i >= 0 {
			code = strings.TrimRight(code[:i], " \t")
		}
		if blockScalarHeader.MatchString(code) {
			scalarAt, prevOpens = indent, false
			continue
		}
		prevOpens = strings.HasSuffix(code, ":") || code == "-" || strings.HasSuffix(code, "|") || strings.HasSuffix(code, ">") ||
			strings.HasSuffix(code, "|-") || strings.HasSuffix(code, ">-") || strings.HasPrefix(code, "- ") || strings.Contains(code, ": ")
	}
	return 0
}

// lineSpan returns the span of 1-based yaml line's content without leading
// indentation and without its line break; an empty line gives an empty span.
func (d *Doc) lineSpan(line int) source.Span {
	if line < 1 {
		line = 1
	}
	if line > len(d.lines) {
		line = len(d.lines)
	}
	start := d.lines[line-1]
	end := len(d.File.Text)
	if line < len(d.lines) {
		end = d.lines[line]
	}
	t := d.File.Text
	for end > start && isBreakByteAt(t, end-1) {
		end--
	}
	// Strip a multi-byte break (NEL, LS, PS) that ends the line.
	for end > start {
		if w := breakWidthBefore(t, end); w > 0 {
			end -= w
			continue
		}
		break
	}
	for start < end && (t[start] == ' ' || t[start] == '\t') {
		start++
	}
	for end > start && (t[end-1] == ' ' || t[end-1] == '\t') {
		end--
	}
	return source.Span{Start: start, End: end}
}

func isBreakByteAt(t string, i int) bool { return t[i] == '\n' || t[i] == '\r' }

// breakWidthBefore returns the width of a NEL/LS/PS sequence ending at end.
func breakWidthBefore(t string, end int) int {
	if end >= 2 && t[end-2] == 0xC2 && t[end-1] == 0x85 {
		return 2
	}
	if end >= 3 && t[end-3] == 0xE2 && t[end-2] == 0x80 && (t[end-1] == 0xA8 || t[end-1] == 0xA9) {
		return 3
	}
	return 0
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// lineStarts indexes lines the way yaml.v3 counts them: \r\n, \r, \n and
// the Unicode breaks NEL (U+0085), LS (U+2028) and PS (U+2029). The first
// line starts after the byte order mark, which yaml.v3 does not count.
func lineStarts(t string, bom int) []int {
	starts := make([]int, 1, 64+len(t)/32)
	starts[0] = bom
	for i := bom; i < len(t); i++ {
		switch c := t[i]; c {
		case '\n':
			starts = append(starts, i+1)
		case '\r':
			if i+1 < len(t) && t[i+1] == '\n' {
				i++
			}
			starts = append(starts, i+1)
		case 0xC2:
			if i+1 < len(t) && t[i+1] == 0x85 {
				i++
				starts = append(starts, i+1)
			}
		case 0xE2:
			if i+2 < len(t) && t[i+1] == 0x80 && (t[i+2] == 0xA8 || t[i+2] == 0xA9) {
				i += 2
				starts = append(starts, i+1)
			}
		}
	}
	return starts
}

func looksJSON(t string) bool {
	for i := 0; i < len(t); i++ {
		switch t[i] {
		case ' ', '\t', '\r', '\n':
			continue
		case '{', '[':
			return true
		default:
			return false
		}
	}
	return false
}

// untabJSON replaces every tab outside a JSON string by a space. The result
// has the same length, so offsets into it are offsets into the original.
func untabJSON(t string) string {
	b := []byte(t)
	in := false
	for i := 0; i < len(b); i++ {
		switch c := b[i]; {
		case in && c == '\\':
			i++
		case c == '"':
			in = !in
		case !in && c == '\t':
			b[i] = ' '
		}
	}
	return string(b)
}

// Offset converts a yaml.v3 position (1-based line, 1-based column counted
// in characters) to a byte offset of File.Text, clamped to the text.
func (d *Doc) Offset(line, col int) int {
	if line < 1 {
		return d.bom
	}
	if line > len(d.lines) {
		return len(d.File.Text)
	}
	start := d.lines[line-1]
	t := d.File.Text
	if d.ascii { // no need to count runes: O(1) on a 20 KB line of brackets
		end := len(t)
		if line < len(d.lines) {
			end = d.lines[line] - 1 // \n or \r
			if end > start && t[end] == '\n' && t[end-1] == '\r' {
				end--
			}
		}
		return min(start+max(col-1, 0), max(end, start))
	}
	off := start
	for n := 1; n < col && off < len(t); n++ {
		c := t[off]
		if c == '\n' || c == '\r' {
			break
		}
		if c < utf8.RuneSelf {
			off++
			continue
		}
		_, size := utf8.DecodeRuneInString(t[off:])
		off += size
	}
	return off
}

// Start returns the byte offset where n begins: its tag or anchor when it
// has one, else its first token character.
func (d *Doc) Start(n *yaml.Node) int {
	if n == nil {
		return 0
	}
	if n.Kind == yaml.DocumentNode {
		if len(n.Content) > 0 {
			return d.Start(n.Content[0])
		}
		return d.Offset(n.Line, n.Column)
	}
	return d.Offset(n.Line, n.Column)
}
