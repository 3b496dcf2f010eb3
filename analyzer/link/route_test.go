package link

import (
	"strings"
	"testing"
)

// matchPathSplit is the reference matchPath: it splits the template first.
func matchPathSplit(template string, segs []Segment, unknownTail bool) (bool, int) {
	if template == "$default" {
		return true, 0
	}
	tsegs := splitTemplate(template)
	score := 0
	for i, ts := range tsegs {
		if strings.HasPrefix(ts, "{") && strings.HasSuffix(ts, "+}") {
			if len(segs) > i || unknownTail {
				return true, score
			}
			return false, 0
		}
		if i >= len(segs) {
			return unknownTail, score
		}
		s := segs[i]
		switch {
		case strings.HasPrefix(ts, "{") && strings.HasSuffix(ts, "}"):
			score += 2
		case s.Unknown:
			score += 2
		case ts == s.Text:
			score += 3
		default:
			return false, 0
		}
	}
	if len(segs) > len(tsegs) {
		return false, 0
	}
	return true, score + 1
}

func TestMatchPathAgreesWithSplitting(t *testing.T) {
	templates := []string{
		"", "/", "//", "$default", "/items", "items", "/items/", "//items//{id}", "/items/{id}",
		"/items/{id}/detail", "/{proxy+}", "/items/{proxy+}", "/注文/{id}", "/a/b/c", "/{a}/{b}",
	}
	paths := [][]Segment{
		nil,
		{{Text: "items"}},
		{{Text: "items"}, {Text: "42"}},
		{{Text: "items"}, {Text: "42"}, {Text: "detail"}},
		{{Text: "items"}, {Unknown: true}},
		{{Unknown: true}},
		{{Text: "注文"}, {Text: "1"}},
		{{Text: "a"}, {Text: "b"}, {Text: "c"}},
		{{Text: "other"}},
	}
	for _, tmpl := range templates {
		for _, segs := range paths {
			for _, tail := range []bool{false, true} {
				gotOK, gotScore := matchPath(tmpl, segs, tail)
				wantOK, wantScore := matchPathSplit(tmpl, segs, tail)
				if gotOK != wantOK || gotScore != wantScore {
					t.Errorf("matchPath(%q, %v, %v) = %v, %d, want %v, %d", tmpl, segs, tail, gotOK, gotScore, wantOK, wantScore)
				}
			}
		}
	}
}

func BenchmarkMatchPath(b *testing.B) {
	segs := []Segment{{Text: "svc042"}, {Text: "orders"}, {Text: "1001"}}
	b.ReportAllocs()
	for b.Loop() {
		matchPath("/svc042/orders/{id}", segs, false)
		matchPath("/svc041/orders", segs, false)
	}
}
