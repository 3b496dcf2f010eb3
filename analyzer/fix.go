package analyzer

import (
	"fmt"
	"sort"
	"strings"

	"github.com/gw403/gw403-lsp/analyzer/msg"
)

// ApplyEdits applies edits (all for one file) to text. Edits must not
// overlap; insertions at the same offset keep their given order. Inserted
// line breaks follow the file's style: in a CRLF file, "\n" in NewText
// becomes "\r\n".
func ApplyEdits(text string, edits []Edit) (string, error) {
	if len(edits) == 0 {
		return text, nil
	}
	sorted := make([]Edit, len(edits))
	copy(sorted, edits)
	sort.SliceStable(sorted, func(i, j int) bool { return sorted[i].Span.Start < sorted[j].Span.Start })
	var b strings.Builder
	b.Grow(len(text) + 64)
	last := 0
	for _, e := range sorted {
		if e.Span.Start < last || e.Span.End < e.Span.Start || e.Span.End > len(text) {
			return "", fmt.Errorf("edit %v overlaps another edit or lies outside the file (%d bytes)", e.Span, len(text))
		}
		b.WriteString(text[last:e.Span.Start])
		b.WriteString(e.TextFor(text))
		last = e.Span.End
	}
	b.WriteString(text[last:])
	return b.String(), nil
}

// TextFor returns NewText with line breaks in the style of the file text
// it applies to: "\n" becomes "\r\n" in a CRLF file. Every writer of
// edits (--fix, the editor) goes through it.
func (e Edit) TextFor(text string) string {
	if UsesCRLF(text) {
		return toCRLF(e.NewText)
	}
	return e.NewText
}

// UsesCRLF reports whether the text's first line break is CRLF.
func UsesCRLF(text string) bool {
	i := strings.IndexByte(text, '\n')
	return i > 0 && text[i-1] == '\r'
}

func toCRLF(s string) string {
	if !strings.Contains(s, "\n") {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\n' && (i == 0 || s[i-1] != '\r') {
			b.WriteByte('\r')
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// FixPlan is one round of fixes chosen by ChooseFixes: the edits per file
// and how many fixes they make.
type FixPlan struct {
	Edits map[string][]Edit
	Fixes int
	// Chosen are the fixes taken, in diagnostic order, and Diags the
	// indexes of their diagnostics.
	Chosen []Fix
	Diags  []int
	// Unsafe counts the chosen fixes that are not safe.
	Unsafe int
}

// ChooseFixes is the one fix policy of `check --fix`, `check
// --unsafe-fixes` and the editor's source.fixAll: for each diagnostic in
// order it takes its first applicable fix (the first safe one; with
// unsafe, the first safe one or else the first fix), and only that one.
// A fix is taken whole, across files, or not at all: a fix whose edits
// overlap an edit already taken waits for a later round (the caller checks
// again and asks again). Two insertions at the same offset overlap (their
// order would be arbitrary), and so does an insertion inside a replaced
// range.
func ChooseFixes(diags []Diagnostic, unsafe bool) FixPlan {
	plan := FixPlan{Edits: map[string][]Edit{}}
	for i, d := range diags {
		f := applicableFix(d.Fixes, unsafe)
		if f == nil || conflicts(plan.Edits, f.Edits) {
			continue
		}
		for _, e := range f.Edits {
			plan.Edits[e.Path] = append(plan.Edits[e.Path], e)
		}
		plan.Fixes++
		plan.Chosen = append(plan.Chosen, *f)
		plan.Diags = append(plan.Diags, i)
		if !f.Safe {
			plan.Unsafe++
		}
	}
	return plan
}

// applicableFix is the fix ChooseFixes would apply for a diagnostic.
func applicableFix(fixes []Fix, unsafe bool) *Fix {
	for i := range fixes {
		if fixes[i].Safe && len(fixes[i].Edits) > 0 {
			return &fixes[i]
		}
	}
	if unsafe {
		for i := range fixes {
			if len(fixes[i].Edits) > 0 {
				return &fixes[i]
			}
		}
	}
	return nil
}

// FixCounts counts the diagnostics a fix could be applied to: with a safe
// fix, and with only unsafe ones (what --unsafe-fixes would add).
func FixCounts(diags []Diagnostic) (safe, unsafeOnly int) {
	for _, d := range diags {
		switch f := applicableFix(d.Fixes, true); {
		case f == nil:
		case f.Safe:
			safe++
		default:
			unsafeOnly++
		}
	}
	return safe, unsafeOnly
}

// SafeEdits is ChooseFixes without unsafe fixes: the edits per file and
// the number of fixes.
func SafeEdits(diags []Diagnostic) (byPath map[string][]Edit, chosen int) {
	p := ChooseFixes(diags, false)
	return p.Edits, p.Fixes
}

func conflicts(byPath map[string][]Edit, edits []Edit) bool {
	for i, e := range edits {
		for _, o := range byPath[e.Path] {
			if e.Overlaps(o) {
				return true
			}
		}
		for _, o := range edits[:i] {
			if o.Path == e.Path && e.Overlaps(o) {
				return true
			}
		}
	}
	return false
}

// Overlaps reports whether two edits conflict: overlapping ranges, two
// insertions at the same offset (their order would be arbitrary), or an
// insertion inside a replaced range.
func (a Edit) Overlaps(b Edit) bool {
	if a.Span.Start == b.Span.Start {
		return true
	}
	if a.Span.IsEmpty() {
		return a.Span.Start > b.Span.Start && a.Span.Start < b.Span.End
	}
	if b.Span.IsEmpty() {
		return b.Span.Start > a.Span.Start && b.Span.Start < a.Span.End
	}
	return a.Span.Overlaps(b.Span)
}

// UnsafeTitle is the title of a fix as the editor shows it: an unsafe fix
// says so.
func (f Fix) UnsafeTitle() msg.Text {
	if f.Safe || strings.Contains(f.Title.EN, "(unsafe") {
		return f.Title
	}
	return msg.T("%s (unsafe)", "%s（安全でない修正）", f.Title)
}

// AlsoChanges is the title of a fix made unsafe because it changes n
// other things (requests, APIs) besides its finding's: "Insert stage v1
// (unsafe: also changes 5 other requests)".
func AlsoChanges(t msg.Text, n int, one, many, ja string) msg.Text {
	what := many
	if n == 1 {
		what = one
	}
	return msg.T("%s (unsafe: also changes %d other %s)", "%s（安全でない修正: 他の %d 件の%sも変わります）",
		t, n, msg.Text{EN: what, JA: ja})
}
