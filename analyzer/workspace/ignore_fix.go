package workspace

import (
	"path/filepath"
	"strings"
	"sync"

	"github.com/gw403/gw403-lsp/analyzer"
	"github.com/gw403/gw403-lsp/analyzer/link"
	"github.com/gw403/gw403-lsp/analyzer/msg"
	"github.com/gw403/gw403-lsp/schemas/httpfile"
	"github.com/gw403/gw403-lsp/schemas/source"
)

// IgnoreReason is the placeholder the "ignore" fixes leave for the reason
// a finding is silenced.
const IgnoreReason = "<reason>"

// IgnoreFixes returns the "ignore this finding" fixes for d, found in src
// (the text checked): a `# gw403-ignore: CODE <reason>` comment above the
// finding's request (request files) or line (YAML templates and
// documents, dotenv files), and a `# gw403-ignore-file: CODE <reason>`
// comment at the top of the file. JSON files take no comments: none is
// offered there. They are never safe: the editor offers them as quick
// fixes for the user to choose, --fix and fixAll never apply them.
func IgnoreFixes(src *source.File, d analyzer.Diagnostic) []analyzer.Fix {
	if src == nil || d.Code == "" || d.Code == "GW001" || !takesHashComments(src.Path) {
		return nil
	}
	text := src.Text
	line := src.LineOf(min(d.Span.Start, len(text)))
	at := src.LineStart(line)
	from := max(line-1, 0) // where an existing comment can be extended
	if isRequestFile(src.Path) {
		for _, r := range parsedRequests(src).Requests {
			start := r.Span.Start
			if r.Separator != nil {
				start = min(start, r.Separator.Span.Start)
			}
			if start <= d.Span.Start && d.Span.Start <= r.Span.End && r.LineSpan.End > r.LineSpan.Start {
				at = src.LineStart(src.LineOf(r.LineSpan.Start))
				from = src.LineOf(start)
				break
			}
		}
	}
	indent := text[at:]
	indent = indent[:len(indent)-len(strings.TrimLeft(indent, " \t"))]
	top := 0
	if strings.HasPrefix(text, "\ufeff") {
		top = len("\ufeff")
	}
	fileFix := analyzer.Fix{
		Title: msg.T("Ignore %s in this file", "%s をこのファイル全体で無視", d.Code),
		Edits: []analyzer.Edit{{Path: src.Path, Span: source.Span{Start: top, End: top},
			NewText: "# gw403-ignore-file: " + d.Code + " " + IgnoreReason + "\n"}},
	}
	// An existing comment of the same kind gets the code added instead, as
	// ruff adds to a noqa comment.
	lineEdit := analyzer.Edit{Path: src.Path, Span: source.Span{Start: at, End: at},
		NewText: indent + "# gw403-ignore: " + d.Code + " " + IgnoreReason + "\n"}
	last := line // an existing comment on the finding's line or above
	if isRequestFile(src.Path) {
		last = src.LineOf(at) - 1 // among the comments above the request line
	}
	fileDone, lineDone := false, false
	for _, sup := range suppressions(src) {
		if len(sup.codes) == 0 {
			continue
		}
		switch {
		case sup.file && !fileDone:
			if e, ok := addCode(src, sup.line, d.Code); ok {
				fileFix.Edits, fileDone = []analyzer.Edit{e}, true
			}
		case !sup.file && !lineDone && sup.line >= from && sup.line <= last:
			if e, ok := addCode(src, sup.line, d.Code); ok {
				lineEdit, lineDone = e, true
			}
		}
	}
	if !isRequestFile(src.Path) && inBlockScalar(src, line) {
		// A comment there would be part of the text: only the file form.
		return []analyzer.Fix{fileFix}
	}
	title := msg.T("Ignore %s for this request", "%s をこのリクエストで無視", d.Code)
	if !isRequestFile(src.Path) {
		title = msg.T("Ignore %s for this line", "%s をこの行で無視", d.Code)
	}
	return []analyzer.Fix{
		{
			Title: title,
			Edits: []analyzer.Edit{lineEdit},
		},
		fileFix,
	}
}

// addCode returns the edit that adds code after the last code of the
// gw403-ignore comment on a line: "# gw403-ignore: GW101 reason" becomes
// "# gw403-ignore: GW101, GW102 reason".
func addCode(src *source.File, line int, code string) (analyzer.Edit, bool) {
	ls := src.LineSpan(line)
	text := src.Slice(ls)
	k := strings.Index(text, "gw403-ignore")
	if k < 0 {
		return analyzer.Edit{}, false
	}
	i := k + len("gw403-ignore")
	if strings.HasPrefix(text[i:], "-file") {
		i += len("-file")
	}
	end := -1
	for i < len(text) {
		for i < len(text) && (text[i] == ':' || text[i] == ',' || text[i] == ' ' || text[i] == '\t') {
			i++
		}
		j := i
		for j < len(text) && text[j] != ',' && text[j] != ' ' && text[j] != '\t' {
			j++
		}
		w := text[i:j]
		if w == "" || !(strings.HasPrefix(strings.ToUpper(w), "GW") || analyzer.Lookup(w) != nil) {
			break
		}
		if strings.EqualFold(w, code) {
			return analyzer.Edit{}, false
		}
		end, i = j, j
	}
	if end < 0 {
		return analyzer.Edit{}, false
	}
	at := ls.Start + end
	return analyzer.Edit{Path: src.Path, Span: source.Span{Start: at, End: at}, NewText: ", " + code}, true
}

// inBlockScalar reports whether a YAML line lies inside a block scalar
// (`key: |` or `key: >-` and the more indented lines below it).
func inBlockScalar(src *source.File, line int) bool {
	width := func(s string) int { return len(s) - len(strings.TrimLeft(s, " \t")) }
	cur := src.Slice(src.LineSpan(line))
	if strings.TrimSpace(cur) == "" {
		return false
	}
	w := width(cur)
	for i := line - 1; i >= 0; i-- {
		l := src.Slice(src.LineSpan(i))
		if strings.TrimSpace(l) == "" || width(l) >= w {
			continue
		}
		v := strings.TrimSpace(l)
		if k := strings.Index(v, " #"); k >= 0 {
			v = strings.TrimSpace(v[:k])
		}
		v = strings.TrimRight(v, "0123456789+-")
		return strings.HasSuffix(v, "|") || strings.HasSuffix(v, ">")
	}
	return false
}

// lastParsed keeps the request file IgnoreFixes parsed last: the editor
// asks for the fixes of several findings of one text in a row.
var lastParsed struct {
	sync.Mutex
	src  *source.File
	file *httpfile.File
}

func parsedRequests(src *source.File) *httpfile.File {
	lastParsed.Lock()
	defer lastParsed.Unlock()
	if lastParsed.src != src {
		lastParsed.src, lastParsed.file = src, httpfile.Parse(src)
	}
	return lastParsed.file
}

// isRequestFile reports whether path names a .http/.rest file.
func isRequestFile(path string) bool {
	k, _ := classifyName(path)
	return k == link.KindHTTP
}

// takesHashComments reports whether a `#` line is a comment in the file:
// request files, YAML, dotenv.
func takesHashComments(path string) bool {
	if isRequestFile(path) {
		return true
	}
	base := strings.ToLower(filepath.Base(path))
	switch strings.ToLower(filepath.Ext(path)) {
	case ".yaml", ".yml":
		return true
	}
	return base == ".env" || strings.HasPrefix(base, ".env.") || strings.HasSuffix(base, ".env")
}
