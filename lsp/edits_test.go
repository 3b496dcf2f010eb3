package lsp

import (
	"math/rand"
	"runtime"
	"slices"
	"strings"
	"testing"

	"go.lsp.dev/protocol"

	"github.com/gw403/gw403-lsp/schemas/source"
)

// naiveApply is the reference: each change rebuilds the text and its line
// index.
func naiveApply(text string, changes []contentChange, enc source.Encoding) (string, bool) {
	clamped := false
	for _, c := range changes {
		if c.Range == nil {
			text = c.Text
			continue
		}
		m := mapper{source.NewFile("", text), enc}
		sp, cl := m.span(*c.Range)
		clamped = clamped || cl
		text = text[:sp.Start] + c.Text + text[sp.End:]
	}
	return text, clamped
}

func rangeChange(l1, c1, l2, c2 int, text string) contentChange {
	return contentChange{Range: &protocol.Range{
		Start: protocol.Position{Line: uint32(l1), Character: uint32(c1)},
		End:   protocol.Position{Line: uint32(l2), Character: uint32(c2)},
	}, Text: text}
}

// TestApplyChangesMatchesRebuild applies random edit sequences — inserting
// and deleting CR, LF and CRLF (splitting and joining pairs), Japanese text
// and surrogate pairs, ranges past line and text ends, reversed ranges,
// full replacements — in each position encoding, and compares text, line
// index and the clamped flag with rebuilding after every change.
func TestApplyChangesMatchesRebuild(t *testing.T) {
	pieces := []string{"", "a", "\n", "\r", "\r\n", "東京", "😀", "GET /x\r\n", "{{k}}\n\r", "\n\n"}
	rng := rand.New(rand.NewSource(12))
	for _, enc := range []source.Encoding{source.UTF16, source.UTF8, source.Runes} {
		for round := 0; round < 300; round++ {
			text := "# 東京 😀\r\nGET https://x/\ry\n\nz"
			var changes []contentChange
			ref := text
			for i := 0; i < 1+rng.Intn(30); i++ {
				f := source.NewFile("", ref)
				lines := f.LineCount()
				l1, l2 := rng.Intn(lines+2), rng.Intn(lines+2)
				c := rangeChange(l1, rng.Intn(14), l2, rng.Intn(14), pieces[rng.Intn(len(pieces))]+pieces[rng.Intn(len(pieces))])
				if rng.Intn(40) == 0 {
					c = contentChange{Text: pieces[rng.Intn(len(pieces))]}
				}
				changes = append(changes, c)
				ref, _ = naiveApply(ref, []contentChange{c}, enc)
			}
			want, wantClamped := naiveApply(text, changes, enc)
			got, gotClamped := applyChanges(text, changes, enc)
			if got != want || gotClamped != wantClamped {
				t.Fatalf("enc %v round %d: got %q (clamped %v), want %q (clamped %v)", enc, round, got, gotClamped, want, wantClamped)
			}
			// The line index kept up to date matches a rebuilt one.
			buf := newEditBuffer(text)
			for _, c := range changes {
				if c.Range == nil {
					buf = newEditBuffer(c.Text) // a full replacement starts afresh, as in applyChanges
					continue
				}
				sp, _ := buf.span(*c.Range, enc)
				buf.replace(sp, c.Text)
				if ls := source.LineStarts(buf.String()); !slices.Equal(ls, buf.starts) {
					t.Fatalf("enc %v round %d: line starts %v, want %v for %q", enc, round, buf.starts, ls, buf.String())
				}
			}
		}
	}
}

// TestManyChangesInOneNotification applies one didChange of 20,000
// changes to a 1 MB document. Rebuilding the text and its line index per
// change allocated about 40 GB (13.5 s with the server blocked); applied
// in place it allocates a few copies of the document.
func TestManyChangesInOneNotification(t *testing.T) {
	var sb strings.Builder
	for i := 0; sb.Len() < 1<<20; i++ {
		sb.WriteString("GET https://a1b2c3d4e5.execute-api.ap-northeast-1.amazonaws.com/Prod/東京/{{id}}\r\n")
	}
	text := sb.String()
	lines := strings.Count(text, "\n")
	changes := make([]contentChange, 20000)
	for i := range changes {
		l := (i * 7919) % lines
		changes[i] = rangeChange(l, 10, l, 12, "xyz")
	}
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	got, clamped := applyChanges(text, changes, source.UTF16)
	runtime.ReadMemStats(&after)
	if clamped {
		t.Error("clamped")
	}
	if want := len(text) + len(changes); len(got) != want {
		t.Errorf("length %d, want %d", len(got), want)
	}
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 64<<20 {
		t.Errorf("20,000 changes to a 1 MB document allocated %d MB, want at most 64 MB", alloc>>20)
	}
	// Spot-check against the reference on a few of the changes.
	want, _ := naiveApply(text, changes[:50], source.UTF16)
	if got50, _ := applyChanges(text, changes[:50], source.UTF16); got50 != want {
		t.Error("the first 50 changes differ from the reference")
	}
}

// BenchmarkManyChanges measures one didChange of 20,000 changes to a 1 MB
// document.
func BenchmarkManyChanges(b *testing.B) {
	text := strings.Repeat("GET https://example.com/items/{{id}}\n", (1<<20)/37)
	lines := strings.Count(text, "\n")
	changes := make([]contentChange, 20000)
	for i := range changes {
		l := (i * 7919) % lines
		changes[i] = rangeChange(l, 4, l, 6, "xyz")
	}
	b.ReportAllocs()
	for b.Loop() {
		applyChanges(text, changes, source.UTF16)
	}
}
