package httpfile

import (
	"reflect"
	"runtime"
	"strings"
	"testing"

	"github.com/gw403/gw403-lsp/schemas/httpfile/httpgen"
	"github.com/gw403/gw403-lsp/schemas/source"
)

// withCores runs f with GOMAXPROCS at least 4, so that regions are read
// in parallel whatever the machine.
func withCores(t *testing.T, f func()) {
	t.Helper()
	old := runtime.GOMAXPROCS(max(4, runtime.GOMAXPROCS(0)))
	defer runtime.GOMAXPROCS(old)
	f()
}

// sameParse checks that text parsed in regions of minSize bytes is the
// parse in one piece, in both splitting modes, and reports whether the
// regions were used.
func sameParse(t *testing.T, name, text string, minSize int) bool {
	t.Helper()
	used := false
	for _, opts := range []Options{{}, {SplitOnRequestLines: true}} {
		src := source.NewFile(name, text)
		want := parse(src, opts, 0)
		got := parse(src, opts, minSize)
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s (split %v): the parse in regions of %d bytes differs from the parse in one piece", name, opts.SplitOnRequestLines, minSize)
			diffFiles(t, got, want)
		}
		f := &File{Src: src}
		used = parseRegions(f, 0, opts, minSize) || used
		checkInvariants(t, got)
	}
	return used
}

func diffFiles(t *testing.T, got, want *File) {
	t.Helper()
	if len(got.Requests) != len(want.Requests) {
		t.Errorf("%d requests, want %d", len(got.Requests), len(want.Requests))
	}
	for i := range min(len(got.Requests), len(want.Requests)) {
		if !reflect.DeepEqual(got.Requests[i], want.Requests[i]) {
			t.Errorf("request %d:\n got %+v\nwant %+v", i, *got.Requests[i], *want.Requests[i])
			return
		}
	}
	if !reflect.DeepEqual(got.Problems, want.Problems) {
		t.Errorf("problems:\n got %v\nwant %v", got.Problems, want.Problems)
	}
	if !reflect.DeepEqual(got.Vars, want.Vars) || !reflect.DeepEqual(got.Separators, want.Separators) {
		t.Errorf("variables or separators differ")
	}
}

// TestRegionsParseAsOnePiece: generated files of every size, in LF, CRLF
// and lone-CR line ends and with a BOM, parse the same in regions as in
// one piece, and the regions are used.
func TestRegionsParseAsOnePiece(t *testing.T) {
	withCores(t, func() {
		for seed := uint64(1); seed <= 6; seed++ {
			text := httpgen.File(int(seed)*40, seed)
			for _, v := range []struct{ name, text string }{
				{"lf", text},
				{"crlf", strings.ReplaceAll(text, "\n", "\r\n")},
				{"bom", "\uFEFF" + text},
			} {
				for _, size := range []int{64, 1000, 8000} {
					if !sameParse(t, v.name, v.text, size) && len(v.text) >= 2*size {
						t.Errorf("seed %d %s: regions of %d bytes not used", seed, v.name, size)
					}
				}
			}
			// Lone CR line ends: no region starts after a '\n'.
			sameParse(t, "cr", strings.ReplaceAll(text, "\n", "\r"), 64)
		}
	})
}

// TestRegionsAroundConstructs: `###` lines inside scripts and comments
// (where the pre-scan must not start a region, or where the region must
// give up), unterminated ones, and text that only looks like an opener.
func TestRegionsAroundConstructs(t *testing.T) {
	req := func(i int) string {
		return "### r\nGET https://example.com/" + strings.Repeat("x", i%7) + "\nAccept: */*\n\n"
	}
	var many strings.Builder
	for i := range 200 {
		many.WriteString(req(i))
	}
	pad := many.String()
	cases := map[string]string{
		"post script over ###":        pad + "### a\nGET /a\n\n> {%\n###\nclient.log(1)\n%}\n" + pad,
		"pre script over ###":         pad + "### a\n< {%\n### not a separator\n%}\nGET /a\n" + pad,
		"comment over ###":            pad + "### a\n/*\n###\n*/\nGET /a\n" + pad,
		"indented comment over ###":   pad + "### a\n  /* x\n###\n*/\nGET /a\n" + pad,
		"braces script over ###":      pad + "### a\n{{\n###\n}}\nGET /a\n" + pad,
		"unterminated script":         pad + "### a\nGET /a\n\n> {%\n###\n" + pad,
		"unterminated comment":        pad + "### a\n/* x\n" + pad,
		"closer on the ### line":      pad + "### a\nGET /a\n\n> {%\n### %}\n" + pad,
		"opener in a body":            pad + "### a\nPOST /a\n\n{% not a script\n/* nor a comment\n" + pad + "%} */\n" + pad,
		"separator without newline":   pad + "###",
		"no request before the first": "@v = 1\n" + pad,
		"braces script over many ###": pad + "### a\n{{\n" + strings.Repeat("###\n", 300) + "}}\nGET /a\n" + pad,
		"last request line unended":   pad + "### a\nGET /last",
		"mixed line ends":             "@v = 1\n" + strings.ReplaceAll(pad, "\n", "\r\n") + "### a\r\nGET /last",
	}
	withCores(t, func() {
		for name, text := range cases {
			for _, size := range []int{32, 500, 4000} {
				sameParse(t, name, text, size)
				sameParse(t, name+" crlf", strings.ReplaceAll(text, "\n", "\r\n"), size)
			}
		}
	})
}

// TestRegionsAtLimits: a file past a reading limit parses as in one
// piece: the problem stands at the first line not read.
func TestRegionsAtLimits(t *testing.T) {
	withCores(t, func() {
		sameParse(t, "requests", strings.Repeat("GET /\n###\n", MaxRequests+5), 4096)
		sameParse(t, "exactly the requests", strings.Repeat("### x\nGET /\n", MaxRequests), 4096)
		sameParse(t, "lines", strings.Repeat("### x\n# c\nGET /\nA: b\n", MaxLines/3+10), 4096)
	})
}

// TestRegionStartsSkipScripts: the pre-scan starts no region inside a
// script or a comment, and starts them about size bytes apart.
func TestRegionStartsSkipScripts(t *testing.T) {
	text := "GET /a\n\n> {%\n### in a script\n%}\n### one\nGET /b\n/* x\n### in a comment\n*/\n### two\nGET /c\n"
	got := regionStarts(text, 0, 1)
	var lines []string
	for _, s := range got[1:] {
		end := strings.IndexByte(text[s:], '\n')
		lines = append(lines, text[s:s+end])
	}
	if want := []string{"### one", "### two"}; !reflect.DeepEqual(lines, want) {
		t.Errorf("regions start at %q, want %q", lines, want)
	}
}
