package yamlpos

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode"

	"gopkg.in/yaml.v3"

	"github.com/gw403/gw403-lsp/schemas/source"
)

// FuzzSpans parses arbitrary text and checks every node's span: in
// bounds, starting where yaml.v3 says, and for plain and quoted scalars
// covering exactly the token of the decoded value.
func FuzzSpans(f *testing.F) {
	seeds, _ := filepath.Glob(filepath.Join("testdata", "fuzz", "*"))
	for _, p := range seeds {
		if st, err := os.Stat(p); err != nil || st.IsDir() {
			continue
		}
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(string(b))
	}
	f.Fuzz(func(t *testing.T, text string) {
		d, err := Parse(source.NewFile("f.yaml", text))
		if err != nil {
			se, ok := err.(*SyntaxError)
			if !ok {
				t.Fatalf("error %T, want *SyntaxError", err)
			}
			if se.Span.Start < 0 || se.Span.End > len(text) || se.Span.End < se.Span.Start {
				t.Fatalf("error span %v out of bounds", se.Span)
			}
			return
		}
		Walk(d.Root, 50000, func(n *yaml.Node, _ int) bool {
			sp, tok := d.Span(n), d.TokenSpan(n)
			if sp.Start < 0 || sp.End > len(text) || sp.End < sp.Start || tok.Start < sp.Start || tok.End > sp.End || tok.End < tok.Start {
				t.Fatalf("node %q at %d:%d: span %v token %v out of bounds (%d bytes)", n.Value, n.Line, n.Column, sp, tok, len(text))
			}
			if n.Kind != yaml.ScalarNode || d.JSON && strings.Contains(text, "\t") {
				return true
			}
			s := text[tok.Start:tok.End]
			switch {
			case n.Style&yaml.DoubleQuotedStyle != 0:
				if len(s) < 2 || s[0] != '"' || s[len(s)-1] != '"' {
					t.Fatalf("double-quoted %q spans %q", n.Value, s)
				}
			case n.Style&yaml.SingleQuotedStyle != 0:
				if len(s) < 2 || s[0] != '\'' || s[len(s)-1] != '\'' {
					t.Fatalf("single-quoted %q spans %q", n.Value, s)
				}
				if got, want := squeeze(strings.ReplaceAll(s[1:len(s)-1], "''", "'")), squeeze(n.Value); got != want {
					t.Fatalf("single-quoted %q spans %q", n.Value, s)
				}
			case n.Style&(yaml.LiteralStyle|yaml.FoldedStyle) == 0 && n.Value != "":
				if got, want := squeeze(s), squeeze(n.Value); got != want {
					t.Fatalf("plain %q spans %q", n.Value, s)
				}
			}
			return true
		})
	})
}

// squeeze drops all white space, so folded and unfolded text compare.
func squeeze(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) || r == 0x2028 || r == 0x2029 || r == 0x85 {
			return -1
		}
		return r
	}, s)
}
