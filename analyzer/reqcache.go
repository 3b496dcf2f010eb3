package analyzer

import (
	"strings"

	"github.com/gw403/gw403-lsp/schemas/httpfile"
	"github.com/gw403/gw403-lsp/schemas/source"
)

// The request cache keeps the findings of each request of a request file,
// keyed by the request's text and by the few facts of the rest of the file
// that request rules read. A keystroke then re-checks only the request it
// changed; requests after it move by the edit's length and are shifted,
// not re-checked. The cache is valid for one definitions snapshot and one
// set of options, and holds only the requests of each file's last check.

// reqKey identifies a request's outcome.
type reqKey struct {
	text string // the request's text, from its separator to its end
	file string // fileContext of the file
}

// cachedReq is a request's findings with spans in the request file made
// relative to the request's start.
type cachedReq struct {
	diags []Diagnostic
}

// reqStart is where a request's text begins: its separator line when it
// has one.
func reqStart(r *httpfile.Request) int {
	if r.Separator != nil && r.Separator.Span.Start < r.Span.Start {
		return r.Separator.Span.Start
	}
	return r.Span.Start
}

// fileContext summarizes what request rules read of the file beyond the
// request itself: the file variables (any request may use them), whether
// the file uses JetBrains handler scripts, and the environments it is
// evaluated in.
func fileContext(fd *FileData, envs []string) string {
	var b strings.Builder
	b.WriteString(strings.Join(envs, "\x1f"))
	b.WriteByte(0)
	if fd.HTTP.JetBrainsScripts {
		b.WriteString("jb")
	}
	for _, r := range fd.HTTP.Requests {
		for _, s := range r.PreScripts {
			if s.Syntax != "" {
				b.WriteString("<" + s.Syntax)
				break
			}
		}
		for _, s := range r.PostScripts {
			if s.Syntax != "" {
				b.WriteString(">" + s.Syntax)
				break
			}
		}
	}
	b.WriteByte(0)
	for _, v := range fd.HTTP.Vars {
		b.WriteString(fd.Src.Slice(v.Span))
		b.WriteByte('\n')
	}
	return b.String()
}

// toCache makes a request's findings relative to its start. It reports
// false when a finding refers to the request file outside the request (a
// fix editing a file variable): such findings depend on more than the key.
func toCache(ds []Diagnostic, path string, span source.Span) (cachedReq, bool) {
	in := func(p string, s source.Span) bool {
		return p != path || (s.Start >= span.Start && s.End <= span.End)
	}
	out := make([]Diagnostic, len(ds))
	for i, d := range ds {
		if !in(d.Path, d.Span) {
			return cachedReq{}, false
		}
		for _, r := range d.Related {
			if !in(r.Path, r.Span) {
				return cachedReq{}, false
			}
		}
		for _, f := range d.Fixes {
			for _, e := range f.Edits {
				if !in(e.Path, e.Span) {
					return cachedReq{}, false
				}
			}
		}
		out[i] = shiftDiag(d, path, -span.Start)
	}
	return cachedReq{diags: out}, true
}

// at places cached findings at a request that starts at start.
func (c cachedReq) at(path string, start int) []Diagnostic {
	out := make([]Diagnostic, len(c.diags))
	for i, d := range c.diags {
		out[i] = shiftDiag(d, path, start)
	}
	return out
}

// shiftDiag moves every span of d that lies in the file at path by delta,
// copying the slices it changes.
func shiftDiag(d Diagnostic, path string, delta int) Diagnostic {
	if d.Path == path {
		d.Span = d.Span.Shift(delta)
	}
	if len(d.Related) > 0 {
		rel := make([]Related, len(d.Related))
		for i, r := range d.Related {
			if r.Path == path {
				r.Span = r.Span.Shift(delta)
			}
			rel[i] = r
		}
		d.Related = rel
	}
	if len(d.Fixes) > 0 {
		fixes := make([]Fix, len(d.Fixes))
		for i, f := range d.Fixes {
			edits := make([]Edit, len(f.Edits))
			for j, e := range f.Edits {
				if e.Path == path {
					e.Span = e.Span.Shift(delta)
				}
				edits[j] = e
			}
			f.Edits = edits
			fixes[i] = f
		}
		d.Fixes = fixes
	}
	return d
}
