package yamlpos

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/gw403/gw403-lsp/schemas/source"
)

// Where a document's error really is. yaml.v3 reports the line where the
// enclosing block or token began (its context mark), not the problem: text
// after a closing quote on line 3 is "line 2: did not find expected key",
// and an unclosed quote that swallows ten lines is reported where the
// swallowed text finally breaks the block. The functions here find the
// position a person has to edit.

// ParseDefinition is Parse for documents that define APIs (templates,
// OpenAPI): JSON must also be valid JSON (YAML accepts trailing commas,
// CloudFormation does not), and a mapping must not repeat a key (yaml.v3
// keeps both when decoding to nodes; CloudFormation rejects the template).
func ParseDefinition(f *source.File) (*Doc, error) {
	d, err := Parse(f)
	var se *SyntaxError
	if d.JSON && (err == nil || errors.As(err, &se) && !strings.Contains(se.Msg, "UTF-8")) {
		if jerr := d.jsonError(); jerr != nil {
			return d, jerr
		}
	}
	if err != nil {
		return d, err
	}
	if dup := d.duplicateKey(); dup != nil {
		return d, dup
	}
	return d, nil
}

// jsonError returns the first JSON syntax error of the document, at its
// byte, or nil.
func (d *Doc) jsonError() *SyntaxError {
	text := d.File.Text[d.bom:]
	if json.Valid([]byte(text)) {
		return nil
	}
	dec := json.NewDecoder(strings.NewReader(text))
	var v any
	err := dec.Decode(&v)
	if err == nil {
		// Text after the first value.
		off := d.bom + int(dec.InputOffset())
		for off < len(d.File.Text) && strings.IndexByte(" \t\r\n", d.File.Text[off]) >= 0 {
			off++
		}
		return &SyntaxError{Msg: fmt.Sprintf("json: text after the end of the document (line %d)", d.lineOf(off)), Span: d.byteSpan(off)}
	}
	var se *json.SyntaxError
	off := len(d.File.Text)
	msg := err.Error()
	if errors.As(err, &se) {
		off = d.bom + int(se.Offset) - 1
		if off < d.bom {
			off = d.bom
		}
	}
	if off >= len(d.File.Text) {
		off = len(d.File.Text)
		msg = "unexpected end of JSON input: a closing } or ] is missing"
	}
	return &SyntaxError{Msg: fmt.Sprintf("json: %s (line %d)", msg, d.lineOf(off)), Span: d.byteSpan(off)}
}

// byteSpan is the character at off (empty at the end of the text).
func (d *Doc) byteSpan(off int) source.Span {
	t := d.File.Text
	if off >= len(t) {
		return source.Span{Start: len(t), End: len(t)}
	}
	end := off + 1
	for end < len(t) && t[end]&0xC0 == 0x80 {
		end++
	}
	return source.Span{Start: off, End: end}
}

// lineOf returns the 1-based line of a byte offset.
func (d *Doc) lineOf(off int) int {
	lo, hi := 0, len(d.lines)
	for lo < hi {
		m := (lo + hi) / 2
		if d.lines[m] <= off {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return max(lo, 1)
}

// duplicateKey returns an error for the first mapping key that repeats an
// earlier key of the same mapping, or nil.
func (d *Doc) duplicateKey() *SyntaxError {
	var found *SyntaxError
	Walk(d.Root, 1<<22, func(n *yaml.Node, _ int) bool {
		if found != nil {
			return false
		}
		if n.Kind != yaml.MappingNode || len(n.Content) < 4 {
			return true
		}
		var seen map[string]*yaml.Node
		for i := 0; i+1 < len(n.Content); i += 2 {
			k := n.Content[i]
			if k.Kind != yaml.ScalarNode || k.Value == "<<" {
				continue
			}
			if seen == nil {
				seen = make(map[string]*yaml.Node, len(n.Content)/2)
			}
			if first, ok := seen[k.Value]; ok {
				found = &SyntaxError{
					Msg:  fmt.Sprintf("yaml: duplicate key %q (line %d; first at line %d): CloudFormation rejects the template", k.Value, k.Line, first.Line),
					Span: d.Span(k),
				}
				return false
			}
			seen[k.Value] = k
		}
		return true
	})
	return found
}

// quoted is a quoted scalar of block YAML: offsets of its opening and
// closing quotes (closeAt -1: never closed) and of the text that follows
// the closing quote on its line (after -1: none).
type quoted struct {
	openAt, closeAt, after int
}

// quotedScalars finds the quoted scalars that start a value (after `key: `,
// `- `, `[`, `{`, `,` or at the start of a line), up to the end of the
// 1-based line upto, and which of them are followed by text.
func (d *Doc) quotedScalars(upto int) []quoted {
	t := d.File.Text
	end := len(t)
	if upto < len(d.lines) {
		end = d.lines[upto]
	}
	var out []quoted
	blockIndent := -1 // indentation of a line that opened a block scalar
	for li := 0; li < len(d.lines) && d.lines[li] < end; li++ {
		ls := d.lines[li]
		le := end
		if li+1 < len(d.lines) {
			le = min(d.lines[li+1], end)
		}
		line := t[ls:le]
		indent := len(line) - len(strings.TrimLeft(line, " "))
		body := strings.TrimRight(line, "\r\n")
		if blockIndent >= 0 {
			if strings.TrimSpace(body) == "" || indent > blockIndent {
				continue
			}
			blockIndent = -1
		}
		valueStart := true
		for i := indent; i < len(body); i++ {
			c := body[i]
			switch {
			case c == ' ' || c == '\t':
				continue
			case c == '#' && (i == 0 || body[i-1] == ' ' || body[i-1] == '\t'):
				i = len(body)
				continue
			case (c == '\'' || c == '"') && valueStart:
				q := quoted{openAt: ls + i, closeAt: -1, after: -1}
				cl := scanQuote(t, ls+i, end)
				if cl < 0 {
					return append(out, q)
				}
				q.closeAt = cl
				// The rest of the closing line.
				cli := d.lineOf(cl) - 1
				cle := end
				if cli+1 < len(d.lines) {
					cle = min(d.lines[cli+1], end)
				}
				rest := strings.TrimRight(t[cl+1:cle], "\r\n")
				k := 0
				for k < len(rest) && (rest[k] == ' ' || rest[k] == '\t') {
					k++
				}
				if k < len(rest) && !strings.ContainsRune("#,]}:", rune(rest[k])) {
					q.after = cl + 1 + k
				}
				out = append(out, q)
				// Continue after the closing quote, on its line.
				li = cli
				ls = d.lines[cli]
				body = strings.TrimRight(t[ls:cle], "\r\n")
				i = cl - ls
				valueStart = false
				continue
			case c == '-' && valueStart && (i+1 == len(body) || body[i+1] == ' '):
				continue
			case (c == '!' || c == '&') && valueStart:
				// A tag or an anchor before the value: `!Sub 'text'`.
				for i+1 < len(body) && body[i+1] != ' ' {
					i++
				}
				continue
			case c == '[' || c == '{' || c == ',':
				valueStart = true
				continue
			case c == ':' && (i+1 == len(body) || body[i+1] == ' '):
				valueStart = true
				if rest := strings.TrimSpace(stripYAMLComment(body[i+1:])); isBlockHeader(rest) {
					blockIndent = indent
					i = len(body)
				}
				continue
			}
			valueStart = false
		}
	}
	return out
}

func stripYAMLComment(s string) string {
	if i := strings.Index(s, " #"); i >= 0 {
		return s[:i]
	}
	return s
}

func isBlockHeader(s string) bool {
	return s != "" && (s[0] == '|' || s[0] == '>') && len(s) <= 3
}

// scanQuote returns the offset of the quote that closes the scalar opened
// at t[open], or -1 before end.
func scanQuote(t string, open, end int) int {
	q := t[open]
	for i := open + 1; i < end; i++ {
		switch {
		case q == '"' && t[i] == '\\':
			i++
		case t[i] == q:
			if q == '\'' && i+1 < end && t[i+1] == '\'' {
				i++ // '' is a quote inside a single-quoted scalar
				continue
			}
			return i
		}
	}
	return -1
}

// maxBisect is the largest document firstFailingLine cuts and decodes
// again (about twenty decodes of up to the whole text).
const maxBisect = 4 << 20

// firstFailingLine returns the first 1-based line from `from` such that
// the document cut after it is already invalid for a reason other than the
// cut (an open quote or flow collection), or 0.
func (d *Doc) firstFailingLine(from int) int {
	t := d.File.Text
	fails := func(l int) bool {
		end := len(t)
		if l < len(d.lines) {
			end = d.lines[l]
		}
		var n yaml.Node
		err := decode(t[:end], &n)
		if err == nil {
			return false
		}
		m := err.Error()
		return !strings.Contains(m, "end of stream") && !strings.Contains(m, "did not find expected ',' or")
	}
	lo, hi := max(from, 1), len(d.lines)
	if len(t) > maxBisect || !fails(hi) {
		return 0
	}
	for lo < hi {
		m := (lo + hi) / 2
		if fails(m) {
			hi = m
		} else {
			lo = m + 1
		}
	}
	return lo
}

// locate turns yaml.v3's message and line into the position of the real
// error, or nil when it knows no better.
func (d *Doc) locate(line int, what string) *SyntaxError {
	if len(d.lines) == 0 {
		return nil
	}
	line = min(max(line, 1), len(d.lines))
	switch {
	case strings.Contains(what, "cannot start any token"):
		sp := d.lineSpan(line)
		l := d.File.Text[d.lines[line-1]:sp.End]
		if i := strings.IndexByte(l, '\t'); i >= 0 {
			off := d.lines[line-1] + i
			return &SyntaxError{Msg: fmt.Sprintf("yaml: a tab character on line %d: YAML is indented with spaces, never tabs", line), Span: source.Span{Start: off, End: off + 1}}
		}
		return nil
	case strings.Contains(what, "end of stream"):
		for _, q := range d.quotedScalars(len(d.lines)) {
			if q.closeAt < 0 {
				ql := d.lineOf(q.openAt)
				return &SyntaxError{
					Msg:  fmt.Sprintf("yaml: the quoted string that starts on line %d is never closed", ql),
					Span: source.Span{Start: q.openAt, End: d.lineSpan(ql).End},
				}
			}
		}
		return nil
	case strings.HasPrefix(what, "did not find expected"):
		bad := d.firstFailingLine(line)
		if bad == 0 {
			return nil
		}
		for _, q := range d.quotedScalars(bad) {
			if q.after < 0 || d.lineOf(q.closeAt) != bad {
				continue
			}
			if ql := d.lineOf(q.openAt); ql < bad {
				return &SyntaxError{
					Msg: fmt.Sprintf("yaml: the quoted string that starts on line %d runs on to line %d, where text follows its closing quote: is a closing quote missing on line %d?",
						ql, bad, ql),
					Span: source.Span{Start: q.openAt, End: d.lineSpan(ql).End},
				}
			}
			return &SyntaxError{
				Msg:  fmt.Sprintf("yaml: text after the closing quote on line %d: quote the whole value, or remove the text", bad),
				Span: source.Span{Start: q.after, End: d.lineSpan(bad).End},
			}
		}
		return &SyntaxError{
			Msg:  fmt.Sprintf("yaml: %s: line %d is not indented like its siblings (in the block that starts at line %d)", what, bad, line),
			Span: d.lineSpan(bad),
		}
	}
	return nil
}
