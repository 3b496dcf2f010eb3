package yamlpos

import (
	"sort"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/gw403/gw403-lsp/schemas/source"
)

// Span returns the byte span of n: from its tag or anchor (if any) to the
// end of its last token. For a collection that is the end of its last
// child, or its closing bracket in flow style; for a block scalar the end of
// its last content line; for an alias the `*name` token; for an implicit
// null (`key:` with nothing after it) an empty span where the value would be.
func (d *Doc) Span(n *yaml.Node) source.Span {
	if n == nil {
		return source.Span{}
	}
	return source.Span{Start: d.Start(n), End: d.End(n)}
}

// PairSpan returns the span of a mapping entry, from the key's start to the
// value's end.
func (d *Doc) PairSpan(key, value *yaml.Node) source.Span {
	return source.Span{Start: d.Start(key), End: d.End(value)}
}

// TokenSpan returns the span of n without its tag and anchor: for `!Ref X`
// the span of `X`; for a quoted scalar the quotes included.
func (d *Doc) TokenSpan(n *yaml.Node) source.Span {
	if n == nil {
		return source.Span{}
	}
	_, tok := d.skipProps(d.Start(n))
	end := d.End(n)
	if tok > end {
		tok = end
	}
	return source.Span{Start: tok, End: end}
}

// End returns the byte offset just past n's last token. It never recurses:
// a 10,000-deep document costs a slice of 10,000 pointers.
func (d *Doc) End(n *yaml.Node) int { return d.end(n, nil) }

// end is End remembering in memo (when not nil) the end of every
// collection it passes and using those it finds there: the ends of all
// the nodes of a document then cost one pass, where End for each costs
// its depth.
func (d *Doc) end(n *yaml.Node, memo map[*yaml.Node]int) int {
	if n == nil {
		return 0
	}
	var path []*yaml.Node // nodes from n down to the last leaf (or a known end)
	cur := n
	end, known := 0, false
	for {
		if memo != nil {
			if e, ok := memo[cur]; ok {
				end, known = e, true
				break
			}
		}
		if cur.Kind == yaml.DocumentNode {
			if len(cur.Content) == 0 {
				end, known = d.Start(cur), true
				path = append(path, cur)
				break
			}
			path = append(path, cur)
			cur = cur.Content[len(cur.Content)-1]
			continue
		}
		if cur.Kind == yaml.MappingNode || cur.Kind == yaml.SequenceNode {
			path = append(path, cur)
			if len(cur.Content) == 0 {
				break
			}
			cur = cur.Content[len(cur.Content)-1]
			continue
		}
		break
	}
	switch {
	case known:
	case cur.Kind == yaml.MappingNode || cur.Kind == yaml.SequenceNode:
		// An empty collection: flow style, its opening bracket is the token.
		_, tok := d.skipProps(d.Start(cur))
		end = tok
		if tok < len(d.File.Text) && (d.File.Text[tok] == '{' || d.File.Text[tok] == '[') {
			end = tok + 1
		}
	default:
		end = d.leafEnd(cur)
	}
	for i := len(path) - 1; i >= 0; i-- {
		p := path[i]
		if (p.Kind == yaml.MappingNode || p.Kind == yaml.SequenceNode) && p.Style&yaml.FlowStyle != 0 {
			closer := byte('}')
			if p.Kind == yaml.SequenceNode {
				closer = ']'
			}
			end = d.scanClose(end, closer)
		}
		if memo != nil {
			memo[p] = end
		}
	}
	return end
}

// scanClose skips blanks, line breaks, commas and comments from off and
// returns the offset after closer if it comes next; else off unchanged (a
// flow pair `[a: b]` has no braces of its own).
func (d *Doc) scanClose(off int, closer byte) int {
	t := d.File.Text
	i := off
	for i < len(t) {
		switch c := t[i]; {
		case c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == ',':
			i++
		case c == '#':
			i = d.skipComment(i)
		case c == closer:
			return i + 1
		default:
			if w := breakWidthAt(t, i); w > 0 {
				i += w
				continue
			}
			return off
		}
	}
	return off
}

func (d *Doc) skipComment(i int) int {
	t := d.File.Text
	for i < len(t) && t[i] != '\n' && t[i] != '\r' {
		i++
	}
	return i
}

// breakWidthAt returns the width of a NEL, LS or PS line break at i, else 0.
func breakWidthAt(t string, i int) int {
	if i+1 < len(t) && t[i] == 0xC2 && t[i+1] == 0x85 {
		return 2
	}
	if i+2 < len(t) && t[i] == 0xE2 && t[i+1] == 0x80 && (t[i+2] == 0xA8 || t[i+2] == 0xA9) {
		return 3
	}
	return 0
}

func isAnchorChar(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' || c == '-'
}

// skipProps skips the tag and anchor at off. It returns the offset after
// the last property (off when there is none) and the offset of the content
// token that follows (after blanks, line breaks and comments).
func (d *Doc) skipProps(off int) (afterProps, tok int) {
	t := d.File.Text
	i := off
	afterProps = off
	for i < len(t) {
		switch t[i] {
		case '!':
			if i+1 < len(t) && t[i+1] == '<' {
				for i < len(t) && t[i] != '>' {
					i++
				}
				if i < len(t) {
					i++
				}
			} else {
				for i < len(t) && isTagChar(t[i]) {
					i++
				}
			}
			afterProps = i
		case '&':
			i++
			for i < len(t) && isAnchorChar(t[i]) {
				i++
			}
			afterProps = i
		default:
			return afterProps, i
		}
		// Blanks, breaks and comments between properties and the token.
		for i < len(t) {
			if t[i] == ' ' || t[i] == '\t' || t[i] == '\r' || t[i] == '\n' {
				i++
			} else if t[i] == '#' {
				i = d.skipComment(i)
			} else if w := breakWidthAt(t, i); w > 0 {
				i += w
			} else {
				break
			}
		}
	}
	return afterProps, i
}

// isTagChar reports whether c may appear in a shorthand tag (`!Ref`,
// `!!str`, `!e!x`) as yaml.v3 scans it: letters, digits, '_', '-' and the
// URI characters, ',', '[' and ']' included (yaml.v3 reads `!a,b 0` as
// tag `!a,b` and value `0`, in flow collections too).
func isTagChar(c byte) bool {
	if isAnchorChar(c) {
		return true
	}
	return strings.IndexByte(";/?:@&=+$,.!~*'()[]%", c) >= 0
}

func isBlankOrBreak(t string, i int) bool {
	c := t[i]
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || breakWidthAt(t, i) > 0
}

// leafEnd returns the end of a scalar or alias token.
func (d *Doc) leafEnd(n *yaml.Node) int {
	t := d.File.Text
	start := d.Start(n)
	afterProps, tok := d.skipProps(start)
	if n.Kind == yaml.AliasNode {
		i := tok
		if i < len(t) && t[i] == '*' {
			i++
			for i < len(t) && isAnchorChar(t[i]) {
				i++
			}
		}
		return i
	}
	if tok >= len(t) {
		return afterProps
	}
	switch {
	case n.Style&yaml.DoubleQuotedStyle != 0 && t[tok] == '"':
		return scanDoubleQuoted(t, tok)
	case n.Style&yaml.SingleQuotedStyle != 0 && t[tok] == '\'':
		return scanSingleQuoted(t, tok)
	case n.Style&(yaml.LiteralStyle|yaml.FoldedStyle) != 0 && (t[tok] == '|' || t[tok] == '>'):
		return d.blockScalarEnd(n, tok)
	}
	if n.Value == "" {
		// An implicit null or an empty plain scalar: nothing but properties.
		return afterProps
	}
	return d.plainEnd(n.Value, tok)
}

func scanDoubleQuoted(t string, i int) int {
	for i++; i < len(t); i++ {
		switch t[i] {
		case '\\':
			i++
		case '"':
			return i + 1
		}
	}
	return len(t)
}

func scanSingleQuoted(t string, i int) int {
	for i++; i < len(t); i++ {
		if t[i] == '\'' {
			if i+1 < len(t) && t[i+1] == '\'' {
				i++
				continue
			}
			return i + 1
		}
	}
	return len(t)
}

// plainEnd matches the decoded value of a plain scalar against the source
// from tok: a run of blanks in the value matches any run of blanks and line
// breaks in the source (multi-line plain scalars are folded).
func (d *Doc) plainEnd(v string, tok int) int {
	t := d.File.Text
	i, j, last := tok, 0, tok
	for j < len(v) {
		c := v[j]
		if c == ' ' || c == '\t' || c == '\n' {
			for j < len(v) && (v[j] == ' ' || v[j] == '\t' || v[j] == '\n') {
				j++
			}
			for i < len(t) && isBlankOrBreak(t, i) {
				if w := breakWidthAt(t, i); w > 0 {
					i += w
				} else {
					i++
				}
			}
			continue
		}
		if i < len(t) && t[i] == c {
			i++
			j++
			last = i
			continue
		}
		return d.plainFallback(tok)
	}
	return last
}

// plainFallback ends a plain scalar at the first ": ", " #", flow indicator
// or line end; used only if the value does not match the source.
func (d *Doc) plainFallback(tok int) int {
	t := d.File.Text
	i := tok
	end := tok
	for i < len(t) {
		c := t[i]
		if c == '\n' || c == '\r' || breakWidthAt(t, i) > 0 {
			break
		}
		if c == ':' && (i+1 >= len(t) || isBlankOrBreak(t, i+1)) {
			break
		}
		if c == '#' && i > tok && (t[i-1] == ' ' || t[i-1] == '\t') {
			break
		}
		if c == ',' || c == ']' || c == '}' {
			break
		}
		i++
		if c != ' ' && c != '\t' {
			end = i
		}
	}
	return end
}

// lineIndex returns the 0-based index into d.lines of the line holding off.
func (d *Doc) lineIndex(off int) int {
	return sort.Search(len(d.lines), func(i int) bool { return d.lines[i] > off }) - 1
}

// lineContentEnd returns the end of line li's content (before its break).
func (d *Doc) lineContentEnd(li int) int {
	t := d.File.Text
	end := len(t)
	if li+1 < len(d.lines) {
		end = d.lines[li+1]
	}
	if w := breakWidthBefore(t, end); w > 0 && end-w >= d.lines[li] {
		return end - w
	}
	if end > d.lines[li] && t[end-1] == '\n' {
		end--
	}
	if end > d.lines[li] && t[end-1] == '\r' {
		end--
	}
	return end
}

// blockScalarEnd returns the end of the last content line of the `|` or `>`
// scalar whose header starts at tok (its header alone when it is empty).
func (d *Doc) blockScalarEnd(n *yaml.Node, tok int) int {
	t := d.File.Text
	hdr := tok + 1
	for hdr < len(t) && (t[hdr] == '-' || t[hdr] == '+' || t[hdr] >= '0' && t[hdr] <= '9') {
		hdr++
	}
	v := n.Value
	// Leading spaces of the value's first non-empty line: the content
	// indentation is that line's source indentation minus these.
	k := 0
	for k < len(v) && v[k] == '\n' {
		k++
	}
	lead := 0
	for k+lead < len(v) && v[k+lead] == ' ' {
		lead++
	}
	if k+lead >= len(v) || onlyBlanks(v[k:]) {
		return hdr
	}
	li := d.lineIndex(tok) + 1
	contentIndent := -1
	last := hdr
	for ; li < len(d.lines); li++ {
		ls, le := d.lines[li], d.lineContentEnd(li)
		ind := 0
		for ls+ind < le && t[ls+ind] == ' ' {
			ind++
		}
		if onlyBlanks(t[ls:le]) {
			continue
		}
		if contentIndent < 0 {
			contentIndent = ind - lead
			if contentIndent < 0 {
				contentIndent = 0
			}
		}
		if ind < contentIndent {
			break
		}
		if contentIndent == 0 && ind == 0 && isDocMarker(t[ls:le]) {
			break
		}
		last = le
	}
	return last
}

func onlyBlanks(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] != ' ' && s[i] != '\t' && s[i] != '\n' && s[i] != '\r' {
			return false
		}
	}
	return true
}

func isDocMarker(line string) bool {
	if len(line) < 3 || (line[:3] != "---" && line[:3] != "...") {
		return false
	}
	return len(line) == 3 || line[3] == ' ' || line[3] == '\t'
}
