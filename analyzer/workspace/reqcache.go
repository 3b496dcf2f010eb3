package workspace

import (
	"strings"

	"github.com/gw403/gw403-lsp/analyzer"
	"github.com/gw403/gw403-lsp/analyzer/link"
	"github.com/gw403/gw403-lsp/schemas/httpfile"
	"github.com/gw403/gw403-lsp/schemas/source"
)

// The request cache keeps the findings of each request of a request file,
// keyed by the request's text and by the few facts of the rest of the file
// that request rules read. A keystroke then re-checks only the request it
// changed; requests after it move by the edit's length and are shifted,
// not re-checked. The cache is valid for one definitions snapshot and one
// set of options, and holds only the requests of each file's last check.
// Only a workspace whose files are checked again (Options.Recheck: the
// language server, check --fix) builds it: a single check would copy every
// finding for nobody.

// reqReuse is one check of a request file through the cache: the findings
// kept from the file's last check, and those of this check to keep for
// the next. Distinct requests are looked up and kept from several
// goroutines at once.
type reqReuse struct {
	fd      *link.FileData
	fileCtx string
	old     map[string]cachedReq // the last check's, when its context is the same
	keys    []string             // each request's text
	fresh   []cachedReq          // each request's findings to keep, where isFresh
	isFresh []bool
}

// openReqCache starts a check of the request file fd in envs through the
// cache.
func (w *Workspace) openReqCache(snap *link.Snapshot, fd *link.FileData, envs []string) *reqReuse {
	n := len(fd.HTTP.Requests)
	r := &reqReuse{fd: fd, fileCtx: fileContext(fd, envs), keys: make([]string, n), fresh: make([]cachedReq, n), isFresh: make([]bool, n)}
	w.mu.Lock()
	if w.reqCacheSnap != snap {
		w.reqCache, w.reqCacheSnap = map[string]fileReqs{}, snap
	}
	if c := w.reqCache[fd.Path]; c.file == r.fileCtx {
		r.old = c.byText
	}
	w.mu.Unlock()
	return r
}

// region is the text of request i: it runs to the next request, since a
// fix may insert at the blank line after its headers.
func (r *reqReuse) region(i int) source.Span {
	reqs := r.fd.HTTP.Requests
	start, end := reqStart(reqs[i]), len(r.fd.Src.Text)
	if i+1 < len(reqs) {
		end = reqStart(reqs[i+1])
	}
	return source.Span{Start: start, End: max(end, reqs[i].Span.End)}
}

// lookup sets perReq[i] and links[i] from the last check when request i
// is unchanged, and reports whether it did.
func (r *reqReuse) lookup(i int, perReq [][]analyzer.Diagnostic, links []link.State) bool {
	span := r.region(i)
	r.keys[i] = r.fd.Src.Slice(span)
	c, ok := r.old[r.keys[i]]
	if !ok {
		return false
	}
	perReq[i], links[i] = c.at(r.fd, span.Start), c.link
	r.fresh[i], r.isFresh[i] = c, true
	return true
}

// keep keeps the findings of request i, just checked, for the next check.
func (r *reqReuse) keep(i int, ds []analyzer.Diagnostic, l link.State) {
	if c, ok := toCache(ds, r.fd, r.region(i)); ok {
		c.link = l
		r.fresh[i], r.isFresh[i] = c, true
	}
}

// closeReqCache keeps the findings of this check for the next, unless the
// snapshot changed meanwhile.
func (w *Workspace) closeReqCache(snap *link.Snapshot, r *reqReuse) {
	next := make(map[string]cachedReq, len(r.keys))
	for i, ok := range r.isFresh {
		if ok {
			next[r.keys[i]] = r.fresh[i]
		}
	}
	w.mu.Lock()
	if w.reqCacheSnap == snap {
		w.reqCache[r.fd.Path] = fileReqs{file: r.fileCtx, byText: next}
	}
	w.mu.Unlock()
}

// fileReqs are the cached findings of one request file's requests: a
// request's outcome is identified by the file's context and the request's
// text.
type fileReqs struct {
	file   string               // fileContext of the file
	byText map[string]cachedReq // by the request's text, from its separator to its end
}

// cachedReq is a request's findings. Their spans in the request file are
// relative to an anchor: the request's start, or the start of a file
// variable's definition (a fix may edit `@baseUrl = …`). anchors holds, in
// the order visitSpans visits them, -1 for the request or the variable's
// index in File.Vars (the key holds every variable's text, so the index
// names the same definition wherever it moved).
type cachedReq struct {
	diags   []analyzer.Diagnostic
	anchors []int
	link    link.State
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
func fileContext(fd *link.FileData, envs []string) string {
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

// toCache makes a request's findings relative to their anchors. It
// reports false when a finding refers to the request file outside the
// request and outside every file variable: it may depend on more than the
// key.
func toCache(ds []analyzer.Diagnostic, fd *link.FileData, span source.Span) (cachedReq, bool) {
	c := cachedReq{diags: make([]analyzer.Diagnostic, len(ds))}
	ok := true
	for i, d := range ds {
		d = copyDiag(d)
		visitSpans(&d, fd.Path, func(s *source.Span) {
			if s.Start >= span.Start && s.End <= span.End {
				c.anchors = append(c.anchors, -1)
				*s = s.Shift(-span.Start)
				return
			}
			for k, v := range fd.HTTP.Vars {
				if s.Start >= v.Span.Start && s.End <= v.Span.End {
					c.anchors = append(c.anchors, k)
					*s = s.Shift(-v.Span.Start)
					return
				}
			}
			ok = false
		})
		if !ok {
			return cachedReq{}, false
		}
		c.diags[i] = d
	}
	return c, true
}

// at places cached findings at a request that starts at start, in the file
// fd as it is now.
func (c cachedReq) at(fd *link.FileData, start int) []analyzer.Diagnostic {
	out := make([]analyzer.Diagnostic, len(c.diags))
	n := 0
	for i, d := range c.diags {
		d = copyDiag(d)
		visitSpans(&d, fd.Path, func(s *source.Span) {
			if k := c.anchors[n]; k >= 0 {
				*s = s.Shift(fd.HTTP.Vars[k].Span.Start)
			} else {
				*s = s.Shift(start)
			}
			n++
		})
		out[i] = d
	}
	return out
}

// visitSpans calls f on every span of d that lies in the file at path: the
// finding's, its related locations', its fixes' edits', in that order.
func visitSpans(d *analyzer.Diagnostic, path string, f func(*source.Span)) {
	if d.Path == path {
		f(&d.Span)
	}
	for i := range d.Related {
		if d.Related[i].Path == path {
			f(&d.Related[i].Span)
		}
	}
	for i := range d.Fixes {
		for j := range d.Fixes[i].Edits {
			if d.Fixes[i].Edits[j].Path == path {
				f(&d.Fixes[i].Edits[j].Span)
			}
		}
	}
}

// copyDiag copies the slices of d that visitSpans may change.
func copyDiag(d analyzer.Diagnostic) analyzer.Diagnostic {
	d.Related = append([]analyzer.Related(nil), d.Related...)
	fixes := make([]analyzer.Fix, len(d.Fixes))
	for i, f := range d.Fixes {
		f.Edits = append([]analyzer.Edit(nil), f.Edits...)
		fixes[i] = f
	}
	if d.Fixes != nil {
		d.Fixes = fixes
	}
	return d
}
