package analyzer

import (
	"fmt"
	"sort"
	"strings"
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

// SafeEdits chooses, per file, the edits of the safe fixes of diags that can
// be applied together: fixes are taken in diagnostic order and a fix whose
// edits overlap an already chosen edit is left for a later round. A fix is
// all or nothing, across files. chosen counts the fixes taken.
func SafeEdits(diags []Diagnostic) (byPath map[string][]Edit, chosen int) {
	byPath = map[string][]Edit{}
	for _, d := range diags {
		for _, f := range d.Fixes {
			if !f.Safe || len(f.Edits) == 0 {
				continue
			}
			if conflicts(byPath, f.Edits) {
				break
			}
			for _, e := range f.Edits {
				byPath[e.Path] = append(byPath[e.Path], e)
			}
			chosen++
			break // one fix per diagnostic
		}
	}
	return byPath, chosen
}

func conflicts(byPath map[string][]Edit, edits []Edit) bool {
	for i, e := range edits {
		for _, o := range byPath[e.Path] {
			if overlaps(e, o) {
				return true
			}
		}
		for _, o := range edits[:i] {
			if o.Path == e.Path && overlaps(e, o) {
				return true
			}
		}
	}
	return false
}

// overlaps treats two insertions at the same offset as conflicting (their
// order would be arbitrary), and an insertion inside a replaced range too.
func overlaps(a, b Edit) bool {
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
