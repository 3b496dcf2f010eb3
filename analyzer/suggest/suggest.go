// Package suggest decides "did you mean": which known name a word that
// names nothing was meant to be. Every finding that offers a stage, a path
// segment or a base path in place of the one written, and `explain` when
// it guesses a stage, ask Closest or Near, so they agree on one policy:
//
// A name is suggested only when it is clearly the intended one: its
// distance to the word, ignoring case and counting a swap of two adjacent
// characters as one edit, is at most 1 for names of up to 4 characters
// and at most 2 for longer ones, and less than the name's length (a name
// is never suggested for a word it shares nothing with).
package suggest

import (
	"sort"
	"strings"
	"unicode/utf8"
)

// Match is a name near a word.
type Match struct {
	Name  string
	Dist  int // Near's distance: 0 when the name differs only in case
	Index int // the name's index in the list given to Closest
}

// Closest returns the names near word (Near), nearest first, then in
// alphabetical order.
func Closest(word string, names []string) []Match {
	var out []Match
	for i, n := range names {
		if d, ok := Near(word, n); ok {
			out = append(out, Match{Name: n, Dist: d, Index: i})
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Dist != out[j].Dist {
			return out[i].Dist < out[j].Dist
		}
		return out[i].Name < out[j].Name
	})
	return out
}

// Near returns the distance between word and name ignoring case (0 when
// they differ only in case) and reports whether name is close enough to
// be suggested for word.
func Near(word, name string) (int, bool) {
	if strings.EqualFold(word, name) {
		return 0, true
	}
	d := Distance(strings.ToLower(word), strings.ToLower(name))
	return d, d <= Limit(name) && d < utf8.RuneCountInString(name)
}

// Limit is the largest distance at which a word counts as a misspelling of
// name: 1 for names of up to 4 characters, 2 for longer ones.
func Limit(name string) int {
	if utf8.RuneCountInString(name) <= 4 {
		return 1
	}
	return 2
}

// Distance is the optimal string alignment distance between a and b in
// characters: inserting, deleting or replacing a character, or swapping
// two adjacent ones, each counts one. Case counts.
func Distance(a, b string) int {
	if a == b {
		return 0
	}
	ra, rb := []rune(a), []rune(b)
	n := len(rb) + 1
	// Three rows of the classic table: two back (for swaps), one back,
	// and the one being filled.
	rows := make([]int, 3*n)
	prev2, prev, cur := rows[:n], rows[n:2*n], rows[2*n:]
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j < n; j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[n-1]
}
