package yamlpos

import (
	"bytes"
	"encoding/json"
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/gw403/gw403-lsp/schemas/source"
)

// Edit replaces the bytes of Span with NewText. An empty span inserts.
type Edit struct {
	Span    source.Span
	NewText string
}

// Apply returns text with the edits applied. Edits must not overlap; they
// may come in any order.
func Apply(text string, edits ...Edit) (string, error) {
	es := append([]Edit(nil), edits...)
	sort.SliceStable(es, func(i, j int) bool { return es[i].Span.Start < es[j].Span.Start })
	var b strings.Builder
	last := 0
	for _, e := range es {
		if e.Span.Start < last || e.Span.End < e.Span.Start || e.Span.End > len(text) {
			return "", fmt.Errorf("edit %v overlaps or is out of range", e.Span)
		}
		b.WriteString(text[last:e.Span.Start])
		b.WriteString(e.NewText)
		last = e.Span.End
	}
	b.WriteString(text[last:])
	return b.String(), nil
}

// Map is an ordered mapping to insert; values are string, bool, int, Raw,
// Map or []any.
type Map []KV

// KV is one entry of a Map.
type KV struct {
	Key   string
	Value any
}

// Raw is text inserted verbatim (e.g. `!Ref MyApi` in YAML); the caller
// makes sure it suits the target format.
type Raw string

// style is how a value is rendered at an edit site.
type style int

const (
	styleBlock style = iota
	styleFlow
	styleJSON
)

func (d *Doc) styleOf(coll *yaml.Node) style {
	if d.JSON {
		return styleJSON
	}
	if coll != nil && coll.Style&yaml.FlowStyle != 0 {
		return styleFlow
	}
	return styleBlock
}

// eol returns the file's line terminator ("\r\n" if its first break is one).
func (d *Doc) eol() string {
	t := d.File.Text
	if i := strings.IndexByte(t, '\n'); i > 0 && t[i-1] == '\r' {
		return "\r\n"
	}
	return "\n"
}

// IndentUnit returns the number of spaces the document indents a nested
// block (or multi-line JSON) collection by; 2 when it cannot tell.
func (d *Doc) IndentUnit() int {
	unit := 0
	Walk(d.Root, 10000, func(n *yaml.Node, depth int) bool {
		if unit > 0 || n.Kind != yaml.MappingNode {
			return unit == 0
		}
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			if v.Kind == yaml.MappingNode && len(v.Content) > 0 && v.Content[0].Line > k.Line {
				if u := v.Content[0].Column - k.Column; u > 0 {
					unit = u
					return false
				}
			}
		}
		return true
	})
	if unit <= 0 || unit > 8 {
		return 2
	}
	return unit
}

func spaces(n int) string {
	if n <= 0 {
		return ""
	}
	return strings.Repeat(" ", n)
}

// col0 returns the 0-based character column of n's start.
func col0(n *yaml.Node) int { return n.Column - 1 }

// SetScalar replaces the scalar n's value, keeping its tag, anchor and
// quoting style where the new value allows it.
func (d *Doc) SetScalar(n *yaml.Node, value string) (Edit, error) {
	if n == nil || n.Kind != yaml.ScalarNode {
		return Edit{}, fmt.Errorf("not a scalar")
	}
	sp := d.TokenSpan(n)
	var text string
	switch {
	case d.JSON:
		if n.Style&yaml.DoubleQuotedStyle == 0 && jsonLiteral(value) {
			text = value
		} else {
			text = jsonString(value)
		}
	case n.Style&yaml.DoubleQuotedStyle != 0:
		text = jsonString(value)
	case n.Style&yaml.SingleQuotedStyle != 0 && !strings.ContainsAny(value, "\n\r"):
		text = "'" + strings.ReplaceAll(value, "'", "''") + "'"
	default:
		text = yamlScalar(value, d.inFlow(n))
	}
	if sp.IsEmpty() && sp.Start > 0 && sp.Start <= len(d.File.Text) && d.File.Text[sp.Start-1] == ':' {
		text = " " + text // `key:` with an implicit null
	}
	return Edit{Span: sp, NewText: text}, nil
}

// LiteralScalar reports whether n is a scalar written without a tag (a
// plain or quoted value, not `!Ref X`), which a fix may rewrite in place.
func LiteralScalar(n *yaml.Node) bool {
	if n == nil || n.Kind != yaml.ScalarNode || n.Tag == "!!null" {
		return false
	}
	return n.Tag == "" || strings.HasPrefix(n.Tag, "!!")
}

// RawNode returns the source text of n for reuse in an inserted value, when
// it fits on one line.
func (d *Doc) RawNode(n *yaml.Node) (Raw, bool) {
	s := d.File.Slice(d.Span(n))
	if s == "" || strings.ContainsAny(s, "\r\n") {
		return "", false
	}
	return Raw(s), true
}

// inFlow reports whether n sits inside a flow collection.
func (d *Doc) inFlow(n *yaml.Node) bool {
	p := d.parentOf(n)
	for i := 0; p != nil && i < 10000; i++ {
		if p.Style&yaml.FlowStyle != 0 {
			return true
		}
		p = d.parentOf(p)
	}
	return false
}

// parentOf returns the collection that holds n, or nil. It looks in the
// collections whose span holds n's, and in the whole document only when
// those do not hold it, so it costs the nodes on the way to n and their
// siblings, not the whole document.
func (d *Doc) parentOf(n *yaml.Node) *yaml.Node {
	if n == nil || d.Root == nil {
		return nil
	}
	sp := d.Span(n)
	if p := d.findParent(n, func(c *yaml.Node) bool {
		s := d.Span(c)
		return s.End >= sp.Start && s.Start <= sp.End
	}); p != nil {
		return p
	}
	return d.findParent(n, func(*yaml.Node) bool { return true })
}

// findParent returns the collection whose children include n, searching
// from Root without recursion and descending only into the nodes for
// which enter is true.
func (d *Doc) findParent(n *yaml.Node, enter func(*yaml.Node) bool) *yaml.Node {
	var parent *yaml.Node
	Walk(d.Root, 0, func(c *yaml.Node, _ int) bool {
		if parent != nil || !enter(c) {
			return false
		}
		for _, ch := range c.Content {
			if ch == n {
				parent = c
				return false
			}
		}
		return true
	})
	return parent
}

// KeyOf returns the mapping key whose value is n, or nil.
func (d *Doc) KeyOf(n *yaml.Node) *yaml.Node {
	if d == nil {
		return nil
	}
	p := d.parentOf(n)
	if p == nil || p.Kind != yaml.MappingNode {
		return nil
	}
	for i := 1; i < len(p.Content); i += 2 {
		if p.Content[i] == n {
			return p.Content[i-1]
		}
	}
	return nil
}

var (
	numberLike = regexp.MustCompile(`^[-+]?(\.?[0-9]|0x|0o|\.inf|\.Inf|\.INF|\.nan|\.NaN|\.NAN)`)
	yaml11Word = map[string]bool{
		"y": true, "Y": true, "yes": true, "Yes": true, "YES": true, "n": true, "N": true, "no": true, "No": true, "NO": true,
		"true": true, "True": true, "TRUE": true, "false": true, "False": true, "FALSE": true,
		"on": true, "On": true, "ON": true, "off": true, "Off": true, "OFF": true,
		"null": true, "Null": true, "NULL": true, "~": true,
	}
)

// yamlScalar renders s as a plain scalar when that reads back as the same
// string, else double-quoted.
func yamlScalar(s string, flow bool) string {
	if needsQuotes(s, flow) {
		return jsonString(s)
	}
	return s
}

func needsQuotes(s string, flow bool) bool {
	if s == "" || yaml11Word[s] || numberLike.MatchString(s) {
		return true
	}
	if s[0] == ' ' || s[len(s)-1] == ' ' {
		return true
	}
	switch s[0] {
	case ',', '[', ']', '{', '}', '#', '&', '*', '!', '|', '>', '\'', '"', '%', '@', '`', '\t':
		return true
	case '-', '?', ':':
		if len(s) == 1 || s[1] == ' ' {
			return true
		}
	}
	if strings.Contains(s, ": ") || strings.Contains(s, " #") || strings.HasSuffix(s, ":") {
		return true
	}
	for _, r := range s {
		if r < 0x20 || r == 0x7f || r == 0x85 || r == 0x2028 || r == 0x2029 || r == 0xFEFF {
			return true
		}
	}
	return flow && strings.ContainsAny(s, ",[]{}")
}

func jsonLiteral(s string) bool {
	if s == "true" || s == "false" || s == "null" {
		return true
	}
	var f json.Number
	return json.Unmarshal([]byte(s), &f) == nil && s != "" && (s[0] == '-' || s[0] >= '0' && s[0] <= '9')
}

// jsonString quotes s as a JSON string, which is also a valid YAML
// double-quoted scalar.
func jsonString(s string) string {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(s)
	return strings.TrimRight(b.String(), "\n")
}

// renderInline renders v on one line in flow YAML or JSON.
func renderInline(v any, st style) string {
	switch x := v.(type) {
	case Map:
		if len(x) == 0 {
			return "{}"
		}
		parts := make([]string, len(x))
		for i, kv := range x {
			parts[i] = renderKey(kv.Key, st) + ": " + renderInline(kv.Value, st)
		}
		return "{" + strings.Join(parts, ", ") + "}"
	case []any:
		parts := make([]string, len(x))
		for i, it := range x {
			parts[i] = renderInline(it, st)
		}
		return "[" + strings.Join(parts, ", ") + "]"
	}
	return renderScalar(v, st)
}

func renderKey(k string, st style) string {
	if st == styleJSON {
		return jsonString(k)
	}
	return yamlScalar(k, st == styleFlow)
}

func renderScalar(v any, st style) string {
	switch x := v.(type) {
	case nil:
		return "null"
	case Raw:
		return string(x)
	case bool:
		return strconv.FormatBool(x)
	case int:
		return strconv.Itoa(x)
	case string:
		if st == styleJSON {
			return jsonString(x)
		}
		return yamlScalar(x, st == styleFlow)
	}
	return jsonString(fmt.Sprint(v))
}

// renderJSONPretty renders v as multi-line JSON whose nested lines are
// indented from ind by unit (both white space as the file uses it).
func renderJSONPretty(v any, ind, unit, eol string) string {
	switch x := v.(type) {
	case Map:
		if len(x) == 0 {
			return "{}"
		}
		var b strings.Builder
		b.WriteString("{")
		for i, kv := range x {
			if i > 0 {
				b.WriteString(",")
			}
			b.WriteString(eol + ind + unit + jsonString(kv.Key) + ": " + renderJSONPretty(kv.Value, ind+unit, unit, eol))
		}
		b.WriteString(eol + ind + "}")
		return b.String()
	case []any:
		if len(x) == 0 {
			return "[]"
		}
		var b strings.Builder
		b.WriteString("[")
		for i, it := range x {
			if i > 0 {
				b.WriteString(",")
			}
			b.WriteString(eol + ind + unit + renderJSONPretty(it, ind+unit, unit, eol))
		}
		b.WriteString(eol + ind + "]")
		return b.String()
	}
	return renderScalar(v, styleJSON)
}

// renderBlockPair renders `key: value` in block YAML with the key at
// column ind; nested lines are indented by unit.
func renderBlockPair(key string, v any, ind, unit int, eol string) string {
	k := yamlScalar(key, false) + ":"
	switch x := v.(type) {
	case Map:
		if len(x) == 0 {
			return k + " {}"
		}
		var b strings.Builder
		b.WriteString(k)
		for _, kv := range x {
			b.WriteString(eol + spaces(ind+unit) + renderBlockPair(kv.Key, kv.Value, ind+unit, unit, eol))
		}
		return b.String()
	case []any:
		if len(x) == 0 {
			return k + " []"
		}
		var b strings.Builder
		b.WriteString(k)
		for _, it := range x {
			b.WriteString(eol + spaces(ind+unit) + "- " + renderBlockItem(it, ind+unit+2, unit, eol))
		}
		return b.String()
	}
	return k + " " + renderScalar(v, styleBlock)
}

// renderBlockItem renders a sequence item's content that starts after
// "- " at column ind.
func renderBlockItem(v any, ind, unit int, eol string) string {
	switch x := v.(type) {
	case Map:
		if len(x) == 0 {
			return "{}"
		}
		var b strings.Builder
		for i, kv := range x {
			if i > 0 {
				b.WriteString(eol + spaces(ind))
			}
			b.WriteString(renderBlockPair(kv.Key, kv.Value, ind, unit, eol))
		}
		return b.String()
	case []any:
		return renderInline(x, styleFlow)
	}
	return renderScalar(v, styleBlock)
}

// multiLine reports whether the flow/JSON collection c puts its first
// child on another line than its opening bracket.
func (d *Doc) multiLine(c *yaml.Node) bool {
	if len(c.Content) == 0 {
		return false
	}
	_, open := d.skipProps(d.Start(c))
	return d.lineIndex(open) != d.lineIndex(d.Start(c.Content[0]))
}

// lineEndAt returns the end of the content of the line holding off.
func (d *Doc) lineEndAt(off int) int { return d.lineContentEnd(d.lineIndex(off)) }

// InsertKey returns an edit that adds `key: value` as the last entry of
// mapping m, rendered in m's style (block YAML indented like its siblings,
// flow YAML, or JSON with commas).
func (d *Doc) InsertKey(m *yaml.Node, key string, value any) (Edit, error) {
	if m == nil || m.Kind != yaml.MappingNode {
		return Edit{}, fmt.Errorf("not a mapping")
	}
	st := d.styleOf(m)
	unit := d.IndentUnit()
	eol := d.eol()
	if st == styleBlock {
		k := m.Content[0]
		at := d.lineEndAt(d.End(m.Content[len(m.Content)-1]))
		return Edit{Span: source.Span{Start: at, End: at}, NewText: eol + spaces(col0(k)) + renderBlockPair(key, value, col0(k), unit, eol)}, nil
	}
	return d.insertFlow(m, func(ind string, multi bool) string {
		if st == styleJSON && multi {
			return jsonString(key) + ": " + renderJSONPretty(value, ind, d.unitFor(ind, unit), eol)
		}
		return renderKey(key, st) + ": " + renderInline(value, st)
	})
}

// InsertPath returns an edit that sets keys[len-1] to value under mapping
// m, creating the mappings keys[:len-1] that are missing. It fails when a
// key on the way holds something other than a mapping, or the last key
// exists.
func (d *Doc) InsertPath(m *yaml.Node, keys []string, value any) (Edit, error) {
	cur := Resolve(m)
	i := 0
	for ; i < len(keys)-1; i++ {
		k, v := Get(cur, keys[i])
		if k == nil {
			break
		}
		v = Resolve(v)
		if v == nil || v.Kind != yaml.MappingNode {
			return Edit{}, fmt.Errorf("%s is not a mapping", keys[i])
		}
		cur = v
	}
	if k, _ := Get(cur, keys[i]); k != nil {
		return Edit{}, fmt.Errorf("%s exists", keys[i])
	}
	val := value
	for j := len(keys) - 1; j > i; j-- {
		val = Map{{Key: keys[j], Value: val}}
	}
	return d.InsertKey(cur, keys[i], val)
}

// unitFor returns one level of indentation in the style of ind: a tab in
// tab-indented JSON, else unit spaces.
func (d *Doc) unitFor(ind string, unit int) string {
	if strings.Contains(ind, "\t") {
		return "\t"
	}
	return spaces(unit)
}

// indentOf returns the white space before n on its line (n's column in
// spaces when something else precedes it).
func (d *Doc) indentOf(n *yaml.Node) string {
	start := d.Start(n)
	ls := d.lines[d.lineIndex(start)]
	if ws := d.File.Text[ls:start]; strings.Trim(ws, " \t") == "" {
		return ws
	}
	return spaces(col0(n))
}

// insertFlow adds an entry rendered by render at the end of flow or JSON
// collection c.
func (d *Doc) insertFlow(c *yaml.Node, render func(ind string, multi bool) string) (Edit, error) {
	eol := d.eol()
	if len(c.Content) == 0 {
		_, open := d.skipProps(d.Start(c))
		end := d.End(c)
		if end <= open {
			return Edit{}, fmt.Errorf("cannot find the brackets of an empty collection")
		}
		return Edit{Span: source.Span{Start: open + 1, End: end - 1}, NewText: render("", false)}, nil
	}
	last := c.Content[len(c.Content)-1]
	at := d.End(last)
	if d.multiLine(c) {
		ind := d.indentOf(c.Content[0])
		return Edit{Span: source.Span{Start: at, End: at}, NewText: "," + eol + ind + render(ind, true)}, nil
	}
	return Edit{Span: source.Span{Start: at, End: at}, NewText: ", " + render("", false)}, nil
}

// AppendItem returns an edit that appends item to the sequence under key in
// mapping m. A scalar value becomes a list of the old value and item
// (`DependsOn: A` → a list of A and item); a missing key is inserted with a
// one-item list.
func (d *Doc) AppendItem(m *yaml.Node, key string, item any) (Edit, error) {
	if m == nil || m.Kind != yaml.MappingNode {
		return Edit{}, fmt.Errorf("not a mapping")
	}
	k, v := Get(m, key)
	if k == nil {
		return d.InsertKey(m, key, []any{item})
	}
	if v.Kind == yaml.AliasNode {
		return Edit{}, fmt.Errorf("%s is an alias", key)
	}
	unit := d.IndentUnit()
	eol := d.eol()
	switch v.Kind {
	case yaml.SequenceNode:
		st := d.styleOf(v)
		if st == styleBlock {
			at := d.lineEndAt(d.End(v))
			ind := col0(v)
			return Edit{Span: source.Span{Start: at, End: at}, NewText: eol + spaces(ind) + "- " + renderBlockItem(item, ind+2, unit, eol)}, nil
		}
		return d.insertFlow(v, func(ind string, multi bool) string {
			if st == styleJSON && multi {
				return renderJSONPretty(item, ind, d.unitFor(ind, unit), eol)
			}
			return renderInline(item, st)
		})
	case yaml.ScalarNode:
		st := d.styleOf(m)
		old := d.File.Slice(d.Span(v))
		if IsNull(v) && v.Tag == "!!null" && (v.Value == "" || v.Value == "~" || v.Value == "null") {
			old = ""
		}
		if st != styleBlock {
			items := []string{}
			if old != "" {
				items = append(items, old)
			}
			items = append(items, renderInline(item, st))
			sp := d.Span(v)
			return Edit{Span: sp, NewText: "[" + strings.Join(items, ", ") + "]"}, nil
		}
		// Block: the value moves under the key, one item a line.
		colon := d.End(k)
		t := d.File.Text
		for colon < len(t) && (t[colon] == ' ' || t[colon] == '\t') {
			colon++
		}
		if colon >= len(t) || t[colon] != ':' {
			return Edit{}, fmt.Errorf("cannot find the colon after %s", key)
		}
		ind := col0(k) + unit
		var b strings.Builder
		if old != "" {
			b.WriteString(eol + spaces(ind) + "- " + old)
		}
		b.WriteString(eol + spaces(ind) + "- " + renderBlockItem(item, ind+2, unit, eol))
		return Edit{Span: source.Span{Start: colon + 1, End: d.End(v)}, NewText: b.String()}, nil
	}
	return Edit{}, fmt.Errorf("%s is a mapping, not a list", key)
}

// AppendItems returns one edit that appends items to the list under key
// in mapping m (`DependsOn` of a resource): a new list when there is none,
// the items appended to a list, or a list of the old value and the items
// when the value is a single scalar. It is right in block YAML, flow YAML
// and JSON. The items are names written as they are (quoted in JSON).
func (d *Doc) AppendItems(m *yaml.Node, key string, items []string) (Edit, error) {
	if len(items) == 0 {
		return Edit{}, fmt.Errorf("nothing to add")
	}
	k, v := Get(m, key)
	if k == nil {
		list := make([]any, len(items))
		for i, it := range items {
			list[i] = it
		}
		return d.InsertKey(m, key, list)
	}
	v = Resolve(v)
	if v == nil {
		return Edit{}, fmt.Errorf("%s is an alias", key)
	}
	render := func(it string) string {
		if d.JSON {
			return strconv.Quote(it)
		}
		return it
	}
	first, err := d.AppendItem(m, key, items[0])
	if err != nil {
		return Edit{}, err
	}
	rest := items[1:]
	switch {
	case v.Kind == yaml.SequenceNode && len(v.Content) == 0:
		// `[]`: the first edit fills the brackets.
		for _, it := range rest {
			first.NewText += ", " + render(it)
		}
	case v.Kind == yaml.SequenceNode:
		// Every item goes at the same place, after the last one.
		for _, it := range rest {
			e, err := d.AppendItem(m, key, it)
			if err != nil || e.Span != first.Span {
				return Edit{}, fmt.Errorf("cannot append to %s", key)
			}
			first.NewText += e.NewText
		}
	case v.Kind == yaml.ScalarNode:
		t := first.NewText
		if strings.HasSuffix(t, "]") {
			// Flow or JSON: `[old, a]` → `[old, a, b]`.
			var b strings.Builder
			b.WriteString(strings.TrimSuffix(t, "]"))
			for _, it := range rest {
				b.WriteString(", " + render(it))
			}
			b.WriteString("]")
			first.NewText = b.String()
			break
		}
		// Block: the items follow, one a line, indented like the last.
		nl := strings.LastIndexByte(t, '\n')
		dash := strings.LastIndex(t, "- ")
		if nl < 0 || dash < nl {
			return Edit{}, fmt.Errorf("unexpected edit of %s", key)
		}
		eol := "\n"
		if nl > 0 && t[nl-1] == '\r' {
			eol = "\r\n"
		}
		for _, it := range rest {
			first.NewText += eol + t[nl+1:dash] + "- " + it
		}
	default:
		return Edit{}, fmt.Errorf("%s is a mapping", key)
	}
	return first, nil
}

// DeleteKey returns an edit that removes the entry key of mapping m with
// its value (whole lines in block style; the entry and one comma in flow
// style and JSON).
func (d *Doc) DeleteKey(m *yaml.Node, key string) (Edit, error) {
	if m == nil || m.Kind != yaml.MappingNode {
		return Edit{}, fmt.Errorf("not a mapping")
	}
	idx := -1
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Kind == yaml.ScalarNode && m.Content[i].Value == key {
			idx = i
			break
		}
	}
	if idx < 0 {
		return Edit{}, fmt.Errorf("no key %q", key)
	}
	k, v := m.Content[idx], m.Content[idx+1]
	n := len(m.Content) / 2
	if d.styleOf(m) != styleBlock {
		switch {
		case n == 1:
			_, open := d.skipProps(d.Start(m))
			return Edit{Span: source.Span{Start: open + 1, End: d.End(m) - 1}}, nil
		case idx+2 < len(m.Content):
			return Edit{Span: source.Span{Start: d.Start(k), End: d.Start(m.Content[idx+2])}}, nil
		default:
			return Edit{Span: source.Span{Start: d.End(m.Content[idx-1]), End: d.End(v)}}, nil
		}
	}
	t := d.File.Text
	if n == 1 {
		// The mapping becomes empty: `Parent: {}`.
		if p := d.parentOf(m); p != nil && p.Kind == yaml.MappingNode {
			for i := 1; i < len(p.Content); i += 2 {
				if p.Content[i] != m {
					continue
				}
				colon := d.End(p.Content[i-1])
				for colon < len(t) && (t[colon] == ' ' || t[colon] == '\t') {
					colon++
				}
				if colon < len(t) && t[colon] == ':' {
					return Edit{Span: source.Span{Start: colon + 1, End: d.End(m)}, NewText: " {}"}, nil
				}
			}
		}
		return Edit{Span: d.Span(m), NewText: "{}"}, nil
	}
	ks := d.Start(k)
	ls := d.lines[d.lineIndex(ks)]
	if strings.TrimLeft(t[ls:ks], " ") != "" {
		// The key follows "- " (first entry of a sequence item): keep the
		// dash and pull the next entry up.
		return Edit{Span: source.Span{Start: ks, End: d.Start(m.Content[idx+2])}}, nil
	}
	li := d.lineIndex(d.End(v))
	end := len(t)
	if li+1 < len(d.lines) {
		end = d.lines[li+1]
	}
	return Edit{Span: source.Span{Start: ls, End: end}}, nil
}
