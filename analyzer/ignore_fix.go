package analyzer

import (
	"path/filepath"
	"strings"
	"sync"

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
func IgnoreFixes(src *source.File, d Diagnostic) []Fix {
	if src == nil || d.Code == "" || d.Code == "GW001" || !takesHashComments(src.Path) {
		return nil
	}
	text := src.Text
	line := src.LineOf(min(d.Span.Start, len(text)))
	at := src.LineStart(line)
	if isRequestFile(src.Path) {
		for _, r := range parsedRequests(src).Requests {
			start := r.Span.Start
			if r.Separator != nil {
				start = min(start, r.Separator.Span.Start)
			}
			if start <= d.Span.Start && d.Span.Start <= r.Span.End && r.LineSpan.End > r.LineSpan.Start {
				at = src.LineStart(src.LineOf(r.LineSpan.Start))
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
	fileFix := Fix{
		Title: T("Ignore %s in this file", "%s をこのファイル全体で無視", d.Code),
		Edits: []Edit{{Path: src.Path, Span: source.Span{Start: top, End: top},
			NewText: "# gw403-ignore-file: " + d.Code + " " + IgnoreReason + "\n"}},
	}
	if !isRequestFile(src.Path) && inBlockScalar(src, line) {
		// A comment there would be part of the text: only the file form.
		return []Fix{fileFix}
	}
	what := "this request"
	whatJA := "このリクエスト"
	if !isRequestFile(src.Path) {
		what, whatJA = "this line", "この行"
	}
	return []Fix{
		{
			Title: Text{EN: "Ignore " + d.Code + " for " + what, JA: d.Code + " を" + whatJA + "で無視"},
			Edits: []Edit{{Path: src.Path, Span: source.Span{Start: at, End: at},
				NewText: indent + "# gw403-ignore: " + d.Code + " " + IgnoreReason + "\n"}},
		},
		fileFix,
	}
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
	return k == KindHTTP
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
