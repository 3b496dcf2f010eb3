package workspace

import (
	"fmt"
	"regexp"
	"sort"
	"strings"

	"github.com/gw403/gw403-lsp/analyzer"
	"github.com/gw403/gw403-lsp/analyzer/link"
	"github.com/gw403/gw403-lsp/schemas/source"
	"github.com/gw403/gw403-lsp/schemas/terraform"
)

// ignoreRE matches a suppression comment: `# gw403-ignore: GW101, GW102 reason`
// or `// gw403-ignore GW101`; with no code it silences every rule.
var ignoreRE = regexp.MustCompile(`(?:^|\s|#|//)gw403-ignore(?:-file)?\b:?\s*((?:(?:GW\d{3}|[a-z][a-z0-9-]+)\s*,?\s*)*)`)

// supsKey memoizes a request file's suppressions on its FileData.
type supsKey struct{}

// suppression is one gw403-ignore comment.
type suppression struct {
	line  int      // 0-based line of the comment
	codes []string // empty = all
	file  bool     // gw403-ignore-file: the whole file
}

// suppressions finds the gw403-ignore comments of a file.
func suppressions(src *source.File) []suppression {
	if !strings.Contains(src.Text, "gw403-ignore") {
		return nil
	}
	var out []suppression
	// Visit only the lines that mention gw403-ignore: from the start of a
	// line, the next mention is on the first such line.
	for at := 0; at < len(src.Text); {
		j := strings.Index(src.Text[at:], "gw403-ignore")
		if j < 0 {
			break
		}
		i := src.LineOf(at + j)
		at = src.LineStart(i + 1)
		line := src.Slice(src.LineSpan(i))
		k := strings.Index(line, "gw403-ignore")
		if k < 0 {
			continue
		}
		before := line[:k]
		if !strings.Contains(before, "#") && !strings.Contains(before, "//") {
			continue // not in a comment
		}
		m := ignoreRE.FindStringSubmatch(line[k:])
		if m == nil {
			continue
		}
		s := suppression{line: i, file: strings.HasPrefix(line[k:], "gw403-ignore-file")}
		for _, f := range strings.FieldsFunc(m[1], func(r rune) bool { return r == ',' || r == ' ' || r == '\t' }) {
			s.codes = append(s.codes, f)
		}
		// Words after the codes are a free-text reason: only words that are
		// rule codes or known slugs count as codes.
		var codes []string
		for _, c := range s.codes {
			if strings.HasPrefix(strings.ToUpper(c), "GW") || analyzer.Lookup(c) != nil {
				codes = append(codes, c)
			} else {
				break
			}
		}
		s.codes = codes
		out = append(out, s)
	}
	return out
}

func (s suppression) covers(d analyzer.Diagnostic) bool {
	if len(s.codes) == 0 {
		return true
	}
	for _, c := range s.codes {
		if strings.EqualFold(c, d.Code) || strings.EqualFold(c, d.Slug) {
			return true
		}
	}
	return false
}

// finish applies configuration and suppression comments to a file's
// findings: rule selection, severities, `rules.disable`, gw403-ignore.
func (w *Workspace) finish(snap *link.Snapshot, path string, src *source.File, diags []analyzer.Diagnostic) []analyzer.Diagnostic {
	w.mu.Lock()
	opts := w.opts
	w.mu.Unlock()
	if len(diags) == 0 {
		return diags
	}
	w.mu.Lock()
	fd := w.httpCache[path] // a request file parsed from this text
	w.mu.Unlock()
	if fd != nil && (fd.HTTP == nil || fd.Src.Text != src.Text) {
		fd = nil
	}
	var sups []suppression
	if fd != nil {
		sups = fd.Memo(supsKey{}, func() any { return suppressions(src) }).([]suppression)
	} else {
		sups = suppressions(src)
	}
	var fileSups []suppression
	for _, s := range sups {
		if s.file {
			fileSups = append(fileSups, s)
		}
	}
	var reqLines reqRanges // http: the line ranges of the requests
	if len(sups) > 0 && fd != nil {
		reqLines = requestFirstLines(fd, src)
	}
	out := diags[:0]
	for _, d := range diags {
		r := analyzer.Lookup(d.Code)
		if r != nil && !w.enabled(snap, opts, r) {
			continue
		}
		if sev, ok := w.severity(snap, opts, d.Code); ok {
			if sev == analyzer.Off {
				continue
			}
			d.Severity = sev
		}
		if suppressed(sups, fileSups, src, d, reqLines) {
			continue
		}
		if len(d.Fixes) > 0 {
			d.Fixes = terraformSafeFixes(snap, d.Fixes)
		}
		out = append(out, d)
	}
	return out
}

// enabled applies --select/--ignore and rules.disable.
func (w *Workspace) enabled(snap *link.Snapshot, opts Options, r *analyzer.Rule) bool {
	if len(opts.Select) > 0 && !r.Matches(opts.Select) {
		return false
	}
	if r.Matches(opts.Ignore) {
		return false
	}
	if snap.Config != nil && r.Matches(snap.Config.Disable) {
		return false
	}
	return true
}

// severity returns an overridden severity for code, from the options first,
// then the configuration.
func (w *Workspace) severity(snap *link.Snapshot, opts Options, code string) (analyzer.Severity, bool) {
	if s, ok := opts.Severity[code]; ok {
		return s, true
	}
	if snap.Config != nil {
		if v, ok := snap.Config.Severity[code]; ok {
			if s, err := analyzer.ParseSeverity(v); err == nil {
				return s, true
			}
		}
	}
	return 0, false
}

// suppressed reports whether a gw403-ignore comment covers d: on the
// finding's line or the line above, anywhere between the request's
// separator (or the line just above it) and the finding, or a
// gw403-ignore-file comment.
// sups are in line order; fileSups are its gw403-ignore-file comments.
func suppressed(sups, fileSups []suppression, src *source.File, d analyzer.Diagnostic, reqFirst reqRanges) bool {
	if len(sups) == 0 {
		return false
	}
	for _, s := range fileSups {
		if s.covers(d) {
			return true
		}
	}
	// The comments that can cover d are on the lines from the one above
	// the finding (or just above its request's separator) to the finding.
	line := src.LineOf(d.Span.Start)
	from := line - 1
	if first, inReq := reqFirst.first(line); inReq {
		from = min(from, first-1)
	}
	i := sort.Search(len(sups), func(i int) bool { return sups[i].line >= from })
	for ; i < len(sups) && sups[i].line <= line; i++ {
		if sups[i].covers(d) {
			return true
		}
	}
	return false
}

// reqRanges are the 0-based line ranges [first, last] of a file's
// requests, in order.
type reqRanges [][2]int

// first returns the first line of the request that holds line.
func (rs reqRanges) first(line int) (int, bool) {
	i := sort.Search(len(rs), func(i int) bool { return rs[i][1] >= line })
	if i < len(rs) && rs[i][0] <= line {
		return rs[i][0], true
	}
	return 0, false
}

// requestFirstLines returns the line range of each request, from its
// separator (or first line) to its end.
func requestFirstLines(fd *link.FileData, src *source.File) reqRanges {
	out := make(reqRanges, 0, len(fd.HTTP.Requests))
	// The offsets come in file order: walk forward from the last line
	// found, and search only after a long or backward step.
	line, n := 0, src.LineCount()
	lineOf := func(off int) int {
		if off >= src.LineStart(line) {
			for range 64 {
				if line+1 >= n || src.LineStart(line+1) > off {
					return line
				}
				line++
			}
		}
		line = src.LineOf(off)
		return line
	}
	for _, r := range fd.HTTP.Requests {
		start := r.Span.Start
		if r.Separator != nil {
			start = r.Separator.Span.Start
		}
		a := lineOf(start)
		out = append(out, [2]int{a, lineOf(r.Span.End)})
	}
	return out
}

// terraformSafeFixes drops fixes that would leave a Terraform file
// unparsable: rules that edit a document read through the model (a
// jsonencode() body, a policy) write YAML, which is HCL only when it
// replaces a quoted string.
func terraformSafeFixes(snap *link.Snapshot, fixes []analyzer.Fix) []analyzer.Fix {
	out := make([]analyzer.Fix, 0, len(fixes))
	for _, f := range fixes {
		ok := true
		byPath := map[string][]analyzer.Edit{}
		for _, e := range f.Edits {
			if fd := snap.Files[e.Path]; fd != nil && fd.Kind == link.KindTerraform {
				byPath[e.Path] = append(byPath[e.Path], e)
			}
		}
		for p, es := range byPath {
			text, err := applyEdits(snap.Files[p].Src.Text, es)
			if err != nil {
				ok = false
				break
			}
			if _, problems := terraform.Parse(source.NewFile(p, text)); len(problems) > 0 {
				ok = false
				break
			}
		}
		if ok {
			out = append(out, f)
		}
	}
	if len(out) == len(fixes) {
		return fixes
	}
	return out
}

// applyEdits applies non-overlapping edits to text.
func applyEdits(text string, es []analyzer.Edit) (string, error) {
	sorted := append([]analyzer.Edit(nil), es...)
	sort.Slice(sorted, func(i, j int) bool { return sorted[i].Span.Start > sorted[j].Span.Start })
	end := len(text)
	for _, e := range sorted {
		if e.Span.Start < 0 || e.Span.End > end || e.Span.Start > e.Span.End {
			return "", fmt.Errorf("overlapping or out-of-range edit %v", e.Span)
		}
		text = text[:e.Span.Start] + e.NewText + text[e.Span.End:]
		end = e.Span.Start
	}
	return text, nil
}
