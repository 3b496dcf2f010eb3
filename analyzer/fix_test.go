package analyzer

import (
	"testing"

	"github.com/gw403/gw403-lsp/analyzer/msg"
	"github.com/gw403/gw403-lsp/schemas/source"
)

// TestChooseFixesOverlap: the one policy of --fix and source.fixAll on
// overlapping edits. A fix that overlaps one taken before waits for the
// next round; two insertions at one offset overlap (their order would be
// arbitrary); touching ranges do not.
func TestChooseFixesOverlap(t *testing.T) {
	sp := func(a, b int) source.Span { return source.Span{Start: a, End: b} }
	first := Diagnostic{Fixes: []Fix{{Safe: true, Edits: []Edit{{Path: "/a", Span: sp(10, 20)}, {Path: "/a", Span: sp(30, 30)}}}}}
	tests := []struct {
		edit source.Span
		path string
		want bool // taken with the first fix
	}{
		{sp(0, 5), "/a", true},
		{sp(5, 10), "/a", true},   // touching
		{sp(15, 25), "/a", false}, // overlapping
		{sp(12, 12), "/a", false}, // insertion inside a replacement
		{sp(10, 10), "/a", false}, // insertion at its start: same offset
		{sp(30, 30), "/a", false}, // two insertions at one offset
		{sp(25, 35), "/a", false}, // replacement around an insertion
		{sp(15, 25), "/b", true},  // another file
	}
	for _, tt := range tests {
		second := Diagnostic{Fixes: []Fix{{Safe: true, Edits: []Edit{{Path: tt.path, Span: tt.edit}}}}}
		plan := ChooseFixes([]Diagnostic{first, second}, false)
		if got := plan.Fixes == 2; got != tt.want {
			t.Errorf("edit %v in %s: taken = %v, want %v", tt.edit, tt.path, got, tt.want)
		}
	}
}

// TestChooseFixesApplicability: --fix takes the first safe fix of a
// finding; --unsafe-fixes also takes the first fix of a finding that has
// only unsafe ones; a fix is taken whole across files or not at all.
func TestChooseFixesApplicability(t *testing.T) {
	sp := func(a, b int) source.Span { return source.Span{Start: a, End: b} }
	unsafe := Fix{Title: msg.Text{EN: "u"}, Edits: []Edit{{Path: "/a", Span: sp(0, 1)}}}
	safe := Fix{Title: msg.Text{EN: "s"}, Safe: true, Edits: []Edit{{Path: "/a", Span: sp(2, 3)}}}
	multi := Fix{Title: msg.Text{EN: "m"}, Safe: true, Edits: []Edit{{Path: "/b", Span: sp(0, 0)}, {Path: "/a", Span: sp(2, 3)}}}
	diags := []Diagnostic{{Fixes: []Fix{unsafe, safe}}, {Fixes: []Fix{unsafe}}, {Fixes: []Fix{multi}}}
	p := ChooseFixes(diags, false)
	if p.Fixes != 1 || p.Chosen[0].Title.EN != "s" || len(p.Edits["/b"]) != 0 {
		t.Errorf("safe only: %+v, want the safe fix alone (the two-file fix overlaps it: neither of its edits)", p)
	}
	p = ChooseFixes(diags, true)
	if p.Fixes != 2 || p.Unsafe != 1 || p.Chosen[0].Title.EN != "s" || p.Chosen[1].Title.EN != "u" {
		t.Errorf("with unsafe: %+v, want the first finding's safe fix and the second's unsafe one", p)
	}
	p = ChooseFixes(diags[1:2], true)
	if p.Fixes != 1 || p.Unsafe != 1 {
		t.Errorf("unsafe only: %+v, want it taken with --unsafe-fixes", p)
	}
	if s, u := FixCounts(diags); s != 2 || u != 1 {
		t.Errorf("FixCounts = %d, %d, want 2 safe, 1 unsafe only", s, u)
	}
}
