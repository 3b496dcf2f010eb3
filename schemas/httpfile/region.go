package httpfile

import (
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
)

// A large file is parsed in regions on all cores. A `###` line ends every
// block, so the text from one `###` line to the next holds whole requests
// and the parser's state at such a line is known: the state after a
// separator. Each region is read by its own parser, from its first line to
// the start of the next region, and the results are joined in order: the
// requests, variables, separators and problems of the whole file, with
// every span a byte offset in the whole file.
//
// A region starts at a `###` line that a pre-scan finds outside `{% %}`
// handler scripts and `/* */` comments. The pre-scan does not know every
// rule of the parser (a `{{ … }}` script block also holds `###` lines), so
// each region checks at its end that the parser did not read the next
// `###` line as part of a multi-line construct; the file is otherwise
// parsed again in one piece, as it is when it would reach a reading limit.

// minRegion is the size of the smallest region: below twice that a file is
// parsed in one piece.
const minRegion = 64 << 10

// regionsPerCore is how many regions each core gets, so that a core slowed
// by other work does not hold the others back.
const regionsPerCore = 4

// parseRegions parses f's text from start in regions of at least minSize
// bytes, in parallel, and reports whether it did (false: f is unchanged
// and must be parsed in one piece).
func parseRegions(f *File, start int, opts Options, minSize int) bool {
	text := f.Src.Text
	cores := runtime.GOMAXPROCS(0)
	n := min(cores*regionsPerCore, (len(text)-start)/minSize)
	if cores < 2 || n < 2 {
		return false
	}
	starts := regionStarts(text, start, (len(text)-start)/n)
	if len(starts) < 2 {
		return false
	}
	eol := firstEOL(text[start:])
	parts := make([]*parser, len(starts))
	ok := make([]bool, len(starts))
	each(len(starts), func(i int) {
		p := newParser(&File{Src: f.Src}, opts)
		if i > 0 {
			p.eol = eol // what the lines before the region set
		}
		limit := len(text)
		if i+1 < len(starts) {
			limit = starts[i+1]
		}
		p.run(starts[i], limit)
		ok[i] = p.endRegion(i+1 == len(starts))
		parts[i] = p
	})
	requests, lines := 0, 0
	for i, p := range parts {
		if !ok[i] || p.stop {
			return false
		}
		requests += len(p.f.Requests)
		lines += p.lines
	}
	// Alone, each region counts the `###` line it starts with; in one
	// piece that line may not count (after a body): when the sum reaches a
	// limit, the parse in one piece says where the reading stops.
	if requests > MaxRequests || lines > MaxLines {
		return false
	}
	if requests > 0 {
		f.Requests = make([]*Request, 0, requests)
	}
	for _, p := range parts {
		r := p.f
		f.Requests = append(f.Requests, r.Requests...)
		f.Vars = append(f.Vars, r.Vars...)
		f.Separators = append(f.Separators, r.Separators...)
		f.Problems = append(f.Problems, r.Problems...)
		f.JetBrainsScripts = f.JetBrainsScripts || r.JetBrainsScripts
	}
	return true
}

// endRegion ends the block of the region's last lines as the next
// region's `###` line would, or as the end of the file does. It reports
// false when that `###` line would have been read as part of a multi-line
// construct (a script or comment closed after it).
func (p *parser) endRegion(last bool) bool {
	if !last && p.ml != nil {
		if p.ml.closeTok != "" {
			return false
		}
		p.closeML(p.mlEnd())
	}
	p.endBlock()
	return true
}

// regionStarts returns where the regions of text begin: start, then
// `###` lines about size bytes apart, outside `{% %}` handler scripts and
// `/* */` comments that start a line.
func regionStarts(text string, start, size int) []int {
	starts := []int{start}
	pos, want := start, start+size
	// The next script and comment openers at or after pos (-1: none left).
	script, comment := indexFrom(text, start, "{%"), leadingComment(text, start)
	for want < len(text) {
		// The next `###` line from want on.
		from := max(pos, want-1)
		k := strings.Index(text[from:], "\n###")
		if k < 0 {
			break
		}
		sep := from + k + 1
		// A script or comment that opens before it hides it when it closes
		// after it.
		open, closer := script, "%}"
		if comment >= 0 && (open < 0 || comment < open) {
			open, closer = comment, "*/"
		}
		if open < 0 || open >= sep {
			starts = append(starts, sep)
			pos, want = sep+3, sep+size
			continue
		}
		c := strings.Index(text[open+2:], closer)
		if c < 0 {
			break // unterminated: it may run to the end
		}
		pos = open + 2 + c + len(closer)
		if script >= 0 && script < pos {
			script = indexFrom(text, pos, "{%")
		}
		if comment >= 0 && comment < pos {
			comment = leadingComment(text, pos)
		}
	}
	return starts
}

// indexFrom returns the index of the first tok in text[from:] (-1: none).
func indexFrom(text string, from int, tok string) int {
	if i := strings.Index(text[from:], tok); i >= 0 {
		return from + i
	}
	return -1
}

// leadingComment returns the index of the first `/*` in text[from:] that
// only blanks precede on its line (-1: none).
func leadingComment(text string, from int) int {
	for {
		i := indexFrom(text, from, "/*")
		if i < 0 || lineLeading(text, i) {
			return i
		}
		from = i + 2
	}
}

// lineLeading reports whether only blanks precede s[i] on its line.
func lineLeading(s string, i int) bool {
	for j := i - 1; j >= 0; j-- {
		switch s[j] {
		case ' ', '\t':
		case '\n', '\r':
			return true
		default:
			return false
		}
	}
	return true
}

// firstEOL returns the first line terminator of text ("" when it has
// none).
func firstEOL(text string) string {
	i := strings.IndexAny(text, "\r\n")
	switch {
	case i < 0:
		return ""
	case text[i] == '\n':
		return "\n"
	case i+1 < len(text) && text[i+1] == '\n':
		return "\r\n"
	}
	return "\r"
}

// each calls f(i) for i in [0, n) on up to GOMAXPROCS goroutines and
// returns when every call has returned. A panic in f is raised again on
// the caller's goroutine.
func each(n int, f func(i int)) {
	workers := min(runtime.GOMAXPROCS(0), n)
	var (
		next     atomic.Int64
		wg       sync.WaitGroup
		panicked atomic.Pointer[any]
	)
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() {
				if v := recover(); v != nil {
					panicked.CompareAndSwap(nil, &v)
				}
			}()
			for panicked.Load() == nil {
				i := int(next.Add(1)) - 1
				if i >= n {
					return
				}
				f(i)
			}
		}()
	}
	wg.Wait()
	if v := panicked.Load(); v != nil {
		panic(*v)
	}
}
