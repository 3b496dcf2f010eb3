package yamlpos

import (
	"strconv"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/gw403/gw403-lsp/schemas/source"
)

// nodeAt walks path from the root: a mapping key selects that entry's value
// ("key:" selects the key node itself), a number selects a sequence item.
func nodeAt(t *testing.T, d *Doc, path ...string) *yaml.Node {
	t.Helper()
	n := d.Root
	for _, p := range path {
		switch {
		case n.Kind == yaml.SequenceNode:
			i, err := strconv.Atoi(p)
			if err != nil || i >= len(n.Content) {
				t.Fatalf("bad index %q", p)
			}
			n = n.Content[i]
		case strings.HasSuffix(p, ":") && len(p) > 1:
			k, _ := Get(n, strings.TrimSuffix(p, ":"))
			if k == nil {
				t.Fatalf("no key %q", p)
			}
			n = k
		default:
			_, v := Get(n, p)
			if v == nil {
				t.Fatalf("no key %q in path %v", p, path)
			}
			n = v
		}
	}
	return n
}

func mustParse(t *testing.T, text string) *Doc {
	t.Helper()
	d, err := Parse(source.NewFile("t.yaml", text))
	if err != nil {
		t.Fatalf("Parse(%q) error: %v", text, err)
	}
	return d
}

func TestSpan(t *testing.T) {
	tests := []struct {
		name string
		text string
		path []string
		want string // the text Span slices to
		tok  string // the text TokenSpan slices to ("" = same as want, "∅" = empty)
	}{
		{"plain", "a: hello world  # c\n", []string{"a"}, "hello world", ""},
		{"plain key", "hello key: 1\n", []string{"hello key:"}, "hello key", ""},
		{"multi-line plain", "a: this is\n  folded   text\n\n  more\nb: 1\n", []string{"a"}, "this is\n  folded   text\n\n  more", ""},
		{"single quoted", "a: 'it''s # not' # c\n", []string{"a"}, "'it''s # not'", ""},
		{"double quoted escapes", `a: "x\"y\\" # c` + "\n", []string{"a"}, `"x\"y\\"`, ""},
		{"double quoted multi-line", "a: \"one\n  two\\\n  three\"\nb: 1\n", []string{"a"}, "\"one\n  two\\\n  three\"", ""},
		{"literal strip", "a: |-\n  line1\n   line2\n\nb: 1\n", []string{"a"}, "|-\n  line1\n   line2", ""},
		{"literal keep with trailing blanks", "a: |+\n  x\n\n\nb: 1\n", []string{"a"}, "|+\n  x", ""},
		{"folded explicit indent", "a: >2\n    indented\n  normal\nb: 1\n", []string{"a"}, ">2\n    indented\n  normal", ""},
		{"folded keep explicit", "k:\n  a: >+2\n      x\n    y\n  b: 1\n", []string{"k", "a"}, ">+2\n      x\n    y", ""},
		{"literal leading blank lines", "a: |\n\n  x\n# c\n", []string{"a"}, "|\n\n  x", ""},
		{"empty literal", "a: |\nb: 1\n", []string{"a"}, "|", ""},
		{"block scalar in seq", "l:\n- |\n  a\n  b\n- c\n", []string{"l", "0"}, "|\n  a\n  b", ""},
		{"flow map", "m: {x: 1, y: [a, b] }  # c\n", []string{"m"}, "{x: 1, y: [a, b] }", ""},
		{"flow null value", "m: {x: 1, y: }\n", []string{"m"}, "{x: 1, y: }", ""},
		{"flow multi-line with comments", "m: [\n  a, # one\n  b   # two\n]\nn: 1\n", []string{"m"}, "[\n  a, # one\n  b   # two\n]", ""},
		{"empty flow", "m: {}\nn: [ ]\n", []string{"n"}, "[ ]", ""},
		{"block map", "p:\n  q: 1\n  r: [1]\n", []string{"p"}, "q: 1\n  r: [1]", ""},
		{"block seq", "l:\n  - x\n  - y: 1\n    z: 2\n", []string{"l"}, "- x\n  - y: 1\n    z: 2", ""},
		{"ref tag", "a: !Ref X\n", []string{"a"}, "!Ref X", "X"},
		{"sub tag quoted", "b: !Sub \"x${y}\"\n", []string{"b"}, "!Sub \"x${y}\"", "\"x${y}\""},
		{"if tag flow", "i: !If [C, 1, 2]\n", []string{"i"}, "!If [C, 1, 2]", "[C, 1, 2]"},
		{"getatt in seq", "l:\n- x\n- !GetAtt A.B\n", []string{"l", "1"}, "!GetAtt A.B", "A.B"},
		{"tag on its own line", "a: !Sub\n  \"x\"\nb: 1\n", []string{"a"}, "!Sub\n  \"x\"", "\"x\""},
		{"tag with empty value", "o: !Ref\np: 1\n", []string{"o"}, "!Ref", "∅"},
		{"tagged block scalar", "a: !Sub |\n  x ${y}\nb: 1\n", []string{"a"}, "!Sub |\n  x ${y}", "|\n  x ${y}"},
		{"tagged block map", "a: !If\n  - C\n  - 1\n  - 2\n", []string{"a"}, "!If\n  - C\n  - 1\n  - 2", "- C\n  - 1\n  - 2"},
		{"anchor scalar", "b: &anc v\nc: *anc\n", []string{"b"}, "&anc v", "v"},
		{"alias", "b: &anc v\nc: *anc # c\n", []string{"c"}, "*anc", ""},
		{"anchored map", "g: &m\n  h: 2\n", []string{"g"}, "&m\n  h: 2", "h: 2"},
		{"implicit null", "a:\nb: 1\n", []string{"a"}, "", ""},
		{"unicode keys and values", "\"é😀日本\": \"値😀\"\nb: 東京 🗼 x\n", []string{"b"}, "東京 🗼 x", ""},
		{"unicode quoted key", "\"é😀日本\": \"値😀\"\n", []string{"é😀日本:"}, "\"é😀日本\"", ""},
		{"crlf", "a: 1\r\nb: |\r\n  x\r\n  y\r\nc: z\r\n", []string{"b"}, "|\r\n  x\r\n  y", ""},
		{"crlf plain", "a: 1\r\nb: multi\r\n  line\r\nc: z\r\n", []string{"b"}, "multi\r\n  line", ""},
		{"bom", "\uFEFFa: 1\nb: é\n", []string{"b"}, "é", ""},
		{"bom first key", "\uFEFFa: 1\n", []string{"a:"}, "a", ""},
		{"line separator in string", "a: \"x\u2028y\"\nb: val\n", []string{"b"}, "val", ""},
		{"json", "{\"a\": {\"b\": [1, 2]}, \"c\": \"d\"}", []string{"a"}, "{\"b\": [1, 2]}", ""},
		{"json tabs", "{\n\t\"a\": {\n\t\t\"b\": \"x\\ty\"\n\t},\n\t\"c\": [\n\t\t1\n\t]\n}\n", []string{"a"}, "{\n\t\t\"b\": \"x\\ty\"\n\t}", ""},
		{"json tabs seq", "{\n\t\"a\": {\n\t\t\"b\": \"x\\ty\"\n\t},\n\t\"c\": [\n\t\t1\n\t]\n}\n", []string{"c"}, "[\n\t\t1\n\t]", ""},
		{"flow pair in seq", "l: [a: b, c]\n", []string{"l", "0"}, "a: b", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := mustParse(t, tt.text)
			n := nodeAt(t, d, tt.path...)
			if got := d.File.Slice(d.Span(n)); got != tt.want {
				t.Errorf("Span = %q, want %q", got, tt.want)
			}
			wantTok := tt.tok
			if wantTok == "" {
				wantTok = tt.want
			} else if wantTok == "∅" {
				wantTok = ""
			}
			if got := d.File.Slice(d.TokenSpan(n)); got != wantTok {
				t.Errorf("TokenSpan = %q, want %q", got, wantTok)
			}
		})
	}
}

func TestPairSpanAndRoot(t *testing.T) {
	text := "Resources:\n  Fn:\n    Type: AWS::Serverless::Function # fn\n    Properties:\n      Handler: app.handler\n"
	d := mustParse(t, text)
	res := nodeAt(t, d, "Resources")
	k, v := Get(res, "Fn")
	if got, want := d.File.Slice(d.PairSpan(k, v)), "Fn:\n    Type: AWS::Serverless::Function # fn\n    Properties:\n      Handler: app.handler"; got != want {
		t.Errorf("PairSpan = %q, want %q", got, want)
	}
	if got, want := d.File.Slice(d.Span(d.Root)), strings.TrimSuffix(text, "\n"); got != want {
		t.Errorf("root Span = %q, want %q", got, want)
	}
}

// TestSpansOfEveryNode checks that every node of a document mixing all
// styles has a span within bounds that starts where yaml.v3 says.
func TestSpansOfEveryNode(t *testing.T) {
	text := "\uFEFFa: !Ref X\r\nb: &x {k: 'v', l: [1, \"2\"]}\r\nc: *x\r\nd: |\r\n  é😀\r\ne:\r\n- - 日本\r\n  - >-\r\n    f\r\n"
	d := mustParse(t, text)
	Walk(d.Root, 0, func(n *yaml.Node, _ int) bool {
		sp := d.Span(n)
		if sp.Start < 0 || sp.End > len(text) || sp.End < sp.Start {
			t.Errorf("node %q at %d:%d: span %v out of bounds", n.Value, n.Line, n.Column, sp)
		}
		pos := d.File.Position(sp.Start, source.Runes)
		// yaml.v3 lines match source lines here (no NEL/LS/PS); columns
		// count characters after the BOM on the first line.
		wantCol := n.Column - 1
		if pos.Line == 0 {
			wantCol++ // source counts the BOM as a character
		}
		if pos.Line != n.Line-1 || pos.Col != wantCol {
			t.Errorf("node %q: start %d:%d, yaml.v3 says %d:%d", n.Value, pos.Line, pos.Col, n.Line-1, wantCol)
		}
		return true
	})
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name     string
		text     string
		wantMsg  string
		wantSpan string
	}{
		{"mapping in plain", "a: 1\nb: c: d\ne: 1\n", "mapping values are not allowed", "b: c: d"},
		{"unclosed flow", "a: [1, 2\nb: 3\n", "", ""},
		{"not utf-8", "a: caf\xe9\n", "not UTF-8", "\xe9"},
		{"tab indentation", "a:\n\tb: 1\n", "", ""},
		{"json with tab in key position", "{\"a\":\t1,\n\"b\": [\n\t2]}", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := Parse(source.NewFile("t.yaml", tt.text))
			if tt.name == "json with tab in key position" {
				if err != nil {
					t.Fatalf("Parse of JSON with tabs: %v, want no error", err)
				}
				if got := d.File.Slice(d.Span(nodeAt(t, d, "b"))); got != "[\n\t2]" {
					t.Errorf("Span(b) = %q, want %q", got, "[\n\t2]")
				}
				return
			}
			se, ok := err.(*SyntaxError)
			if !ok {
				t.Fatalf("Parse error = %v (%T), want *SyntaxError", err, err)
			}
			if !strings.Contains(se.Msg, tt.wantMsg) {
				t.Errorf("message %q, want it to contain %q", se.Msg, tt.wantMsg)
			}
			if se.Span.Start < 0 || se.Span.End > len(tt.text) || se.Span.End < se.Span.Start {
				t.Errorf("span %v out of bounds", se.Span)
			}
			if tt.wantSpan != "" {
				if got := d.File.Slice(se.Span); got != tt.wantSpan {
					t.Errorf("error span slices to %q, want %q", got, tt.wantSpan)
				}
			}
		})
	}
}

func TestTabbedYAMLIsNotUntabbed(t *testing.T) {
	// Only JSON gets its tabs read as spaces; YAML with tab indentation is
	// an error as yaml.v3 says.
	if _, err := Parse(source.NewFile("t.yaml", "a:\n\tb: 1\n")); err == nil {
		t.Errorf("Parse of tab-indented YAML: no error, want one")
	}
}

// TestAliasBomb checks that a "billion laughs" document parses and that
// spans and walks stay linear: nothing expands aliases.
func TestAliasBomb(t *testing.T) {
	var b strings.Builder
	b.WriteString("a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n")
	for i := 1; i < 10; i++ {
		b.WriteString("a" + strconv.Itoa(i) + ": &a" + strconv.Itoa(i) + " [")
		for j := 0; j < 9; j++ {
			if j > 0 {
				b.WriteString(", ")
			}
			b.WriteString("*a" + strconv.Itoa(i-1))
		}
		b.WriteString("]\n")
	}
	d := mustParse(t, b.String())
	count := 0
	complete := Walk(d.Root, 0, func(n *yaml.Node, _ int) bool {
		count++
		_ = d.Span(n)
		return true
	})
	if !complete || count > 200 {
		t.Errorf("Walk visited %d nodes (complete=%v), want under 200: aliases must not be expanded", count, complete)
	}
	if got := d.File.Slice(d.Span(nodeAt(t, d, "a9"))); !strings.HasPrefix(got, "&a9 [*a8") {
		t.Errorf("Span(a9) = %q", got)
	}
}

func TestDeepNesting(t *testing.T) {
	const depth = 9000
	text := "a: " + strings.Repeat("[", depth) + "x" + strings.Repeat("]", depth) + "\n"
	d := mustParse(t, text)
	if got, want := d.File.Slice(d.Span(nodeAt(t, d, "a"))), strings.TrimSuffix(text[3:], "\n"); got != want {
		t.Errorf("deep Span has %d bytes, want %d", len(got), len(want))
	}
	n := 0
	Walk(d.Root, 0, func(*yaml.Node, int) bool { n++; return true })
	if n != depth+3 {
		t.Errorf("Walk visited %d nodes, want %d", n, depth+3)
	}
	js := strings.Repeat(`{"a":`, depth) + "1" + strings.Repeat("}", depth)
	dj := mustParse(t, js)
	if got := dj.File.Slice(dj.Span(dj.Root)); got != js {
		t.Errorf("deep JSON Span has %d bytes, want %d", len(got), len(js))
	}
	// Past yaml.v3's limit: a clear error, no crash.
	_, err := Parse(source.NewFile("t.yaml", strings.Repeat("[", 10001)+strings.Repeat("]", 10001)))
	if err == nil || !strings.Contains(err.Error(), "depth") {
		t.Errorf("Parse of 10001-deep nesting: %v, want a max depth error", err)
	}
}

func TestOffset(t *testing.T) {
	text := "\uFEFFé😀: 日本\r\nb:\u2028c: 1\n"
	d := NewDoc(source.NewFile("t", text), nil)
	tests := []struct {
		line, col int
		want      string // text from the offset on
	}{
		{1, 1, "é😀: 日本\r\n"},
		{1, 2, "😀: 日本\r\n"},
		{1, 5, "日本\r\n"},
		{1, 99, "\r\n"},
		{2, 1, "b:\u2028"},
		{3, 1, "c: 1"},
	}
	for _, tt := range tests {
		off := d.Offset(tt.line, tt.col)
		if !strings.HasPrefix(text[off:], tt.want) {
			t.Errorf("Offset(%d, %d) = %d (%q), want text starting %q", tt.line, tt.col, off, text[off:], tt.want)
		}
	}
}

func TestFindNode(t *testing.T) {
	d := mustParse(t, "Resources:\n  Api:\n    Properties:\n      Auth:\n        ApiKeyRequired: true\n      Tags: {a: b}\n")
	auth := nodeAt(t, d, "Resources", "Api", "Properties", "Auth")
	if got := d.FindNode(d.Span(auth)); got != auth {
		t.Errorf("FindNode(Span(Auth)) = %v, want the Auth mapping", got)
	}
	tags := nodeAt(t, d, "Resources", "Api", "Properties", "Tags")
	if got := d.FindNode(d.Span(tags)); got != tags {
		t.Errorf("FindNode(Span(Tags)) = %v, want the Tags mapping", got)
	}
	if got := d.FindNode(source.Span{Start: 1, End: 2}); got != nil {
		t.Errorf("FindNode of a span no node has = %v, want nil", got)
	}
}

func TestSyntaxErrorNamesTheMisindentedLine(t *testing.T) {
	tests := []struct {
		name, text string
		wantLine   string // the text the error's span covers
		wantMsg    string
	}{
		{
			name:     "key dedented between levels",
			text:     "Resources:\n  Api:\n    Type: AWS::Serverless::Api\n    Properties:\n      StageName: prod\n     Auth:\n        ApiKeyRequired: true\n",
			wantLine: "Auth:",
			wantMsg:  "line 6 is not indented like its siblings",
		},
		{
			name:     "after a block scalar with deeper text",
			text:     "Resources:\n  Api:\n    Description: |\n      text\n          indented more\n    Type: AWS::Serverless::Api\n   Properties: {}\n",
			wantLine: "Properties: {}",
			wantMsg:  "line 7 is not indented",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := source.NewFile("t.yaml", tt.text)
			_, err := Parse(f)
			se, ok := err.(*SyntaxError)
			if !ok {
				t.Fatalf("Parse error = %v, want a SyntaxError", err)
			}
			if got := f.Slice(se.Span); got != tt.wantLine || !strings.Contains(se.Msg, tt.wantMsg) {
				t.Errorf("error %q at %q, want %q at %q", se.Msg, got, tt.wantMsg, tt.wantLine)
			}
		})
	}
}
