package workspace

import (
	"context"
	"sort"

	"github.com/gw403/gw403-lsp/analyzer"
	"github.com/gw403/gw403-lsp/analyzer/link"
	"github.com/gw403/gw403-lsp/analyzer/msg"
	"github.com/gw403/gw403-lsp/schemas/env"
	"github.com/gw403/gw403-lsp/schemas/httpfile"
	"github.com/gw403/gw403-lsp/schemas/source"
)

// A fix whose edit lands outside its finding's own request (a file
// variable `@host`, a value in an env file) changes every request that uses
// that definition. guardFixes keeps such a fix safe only when every other
// user has the same finding with the same edit; otherwise the fix becomes
// unsafe, its title says how many other requests it changes, and the
// rule's fallback (the same change on the request's own line) takes its
// place.

// reqRef names a request: its file and its index there.
type reqRef struct {
	path string
	idx  int
}

// defUse is a request's use of a definition: the span of the value it
// read.
type defUse struct {
	req  int
	span source.Span
	// quoted: span includes the JSON string's quotes, so an insertion
	// right after it does not change the value.
	quoted bool
}

// defUsesKey is the FileData memo key of definitionUses.
type defUsesKey struct{}

// definitionUses returns, by file, where each request of a request file
// reads variable values from, in every environment of the file: the
// values of file variables, env files, dotenv files, settings.
func definitionUses(fd *link.FileData) map[string][]defUse {
	return fd.Memo(defUsesKey{}, func() any {
		out := map[string][]defUse{}
		envs := fd.EnvNames
		if len(envs) == 0 {
			envs = []string{""}
		}
		for i, req := range fd.HTTP.Requests {
			seen := map[defUse]bool{}
			add := func(x env.Expansion) {
				for _, u := range x.Uses {
					o := u.Origin()
					if !u.Resolved || o.Path == "" {
						continue
					}
					du := defUse{i, o.Span, o.Kind.IsJSON()}
					if !seen[du] {
						seen[du] = true
						out[o.Path] = append(out[o.Path], du)
					}
				}
			}
			for _, e := range envs {
				res := env.NewResolver(fd.HTTP, req, fd.EnvSet, e)
				add(res.ExpandTarget())
				for _, h := range req.Headers {
					add(res.Expand(h.Value))
				}
				if req.Body != nil && req.Body.Kind != httpfile.BodyFile {
					add(res.Expand(req.Body.Text))
				}
			}
		}
		return out
	}).(map[string][]defUse)
}

// usersOf returns the requests that read a value the edit changes.
func (w *Workspace) usersOf(ctx context.Context, snap *link.Snapshot, fd *link.FileData, e analyzer.Edit) []reqRef {
	var out []reqRef
	collect := func(f *link.FileData) {
		for _, u := range definitionUses(f)[e.Path] {
			if changesValue(u, e.Span) {
				out = append(out, reqRef{f.Path, u.req})
			}
		}
	}
	if e.Path == fd.Path {
		// A file variable: only this file reads it.
		collect(fd)
		return dedupRefs(out)
	}
	w.mu.Lock()
	files := w.listLocked()
	w.mu.Unlock()
	for _, f := range files {
		if f.Kind != link.KindHTTP || ctx.Err() != nil {
			continue
		}
		other := fd
		if f.Path != fd.Path {
			src := w.lookupSource(f.Path)
			if src == nil {
				continue
			}
			other = w.httpData(snap, f.Path, src)
			if other.HTTP == nil || other.HTTP.Binary {
				continue
			}
		}
		collect(other)
	}
	return dedupRefs(out)
}

// changesValue reports whether an edit of span s changes the value u read:
// it replaces some of it, or inserts inside it or at its ends (inside the
// quotes of a JSON string).
func changesValue(u defUse, s source.Span) bool {
	if !s.IsEmpty() {
		return s.Start < u.span.End && u.span.Start < s.End
	}
	start, end := u.span.Start, u.span.End
	if u.quoted {
		start, end = start+1, end-1
	}
	return start <= s.Start && s.Start <= end
}

func dedupRefs(rs []reqRef) []reqRef {
	sort.Slice(rs, func(i, j int) bool {
		if rs[i].path != rs[j].path {
			return rs[i].path < rs[j].path
		}
		return rs[i].idx < rs[j].idx
	})
	out := rs[:0]
	for i, r := range rs {
		if i == 0 || r != rs[i-1] {
			out = append(out, r)
		}
	}
	return out
}

// requestIndexAt returns the index of the request of fd that holds offset off,
// or -1.
func requestIndexAt(fd *link.FileData, off int) int {
	reqs := fd.HTTP.Requests
	i := sort.Search(len(reqs), func(i int) bool { return reqStart(reqs[i]) > off }) - 1
	if i < 0 {
		return -1
	}
	return i
}

// ownEdit reports whether an edit lands in the request's own text: from
// its separator to the end of its body (or its header insertion point).
func ownEdit(fd *link.FileData, req int, e analyzer.Edit) bool {
	if req < 0 || e.Path != fd.Path {
		return false
	}
	r := fd.HTTP.Requests[req]
	end := max(r.Span.End, r.HeaderInsert)
	return reqStart(r) <= e.Span.Start && e.Span.End <= end && !fileVarAt(fd, e.Span)
}

// atFinding reports whether an edit changes the text the finding points
// at: a finding about a definition itself (a secret in a file variable)
// owns its edit there.
func atFinding(d analyzer.Diagnostic, e analyzer.Edit) bool {
	return e.Path == d.Path && e.Span.Start < d.Span.End && d.Span.Start < e.Span.End
}

// fileVarAt reports whether a span lies in a file variable definition.
func fileVarAt(fd *link.FileData, s source.Span) bool {
	for _, v := range fd.HTTP.Vars {
		if v.Span.Start <= s.Start && s.End <= v.Span.End {
			return true
		}
	}
	return false
}

// guardFixes applies the rule above to the findings of a request file.
func (w *Workspace) guardFixes(ctx context.Context, snap *link.Snapshot, fd *link.FileData, diags []analyzer.Diagnostic) []analyzer.Diagnostic {
	if fd == nil || fd.HTTP == nil || fd.HTTP.Binary {
		return diags
	}
	// The findings by request, to tell whether another request needs the
	// same edit: this file's, and those of other request files that read
	// the definition (checked without this guard, so never in a loop).
	type fileFindings struct {
		diags []analyzer.Diagnostic
		byReq map[int][]int
	}
	index := func(f *link.FileData, ds []analyzer.Diagnostic) fileFindings {
		ff := fileFindings{diags: ds, byReq: map[int][]int{}}
		for i, d := range ds {
			if d.Path == f.Path {
				r := requestIndexAt(f, d.Span.Start)
				ff.byReq[r] = append(ff.byReq[r], i)
			}
		}
		return ff
	}
	findings := map[string]fileFindings{fd.Path: index(fd, diags)}
	findingsOf := func(path string) fileFindings {
		if ff, ok := findings[path]; ok {
			return ff
		}
		var ff fileFindings
		if src := w.lookupSource(path); src != nil {
			if other := w.httpData(snap, path, src); other.HTTP != nil && !other.HTTP.Binary {
				diags, _ := w.checkHTTP(ctx, snap, path, src)
				ff = index(other, w.finish(snap, path, src, diags))
			}
		}
		findings[path] = ff
		return ff
	}
	needs := func(other reqRef, code string, e analyzer.Edit) bool {
		ff := findingsOf(other.path)
		for _, j := range ff.byReq[other.idx] {
			if ff.diags[j].Code != code {
				continue
			}
			for _, f := range ff.diags[j].Fixes {
				if !f.Safe {
					continue // the edit would not be safe for that request
				}
				for _, o := range f.Edits {
					if o == e {
						return true
					}
				}
			}
		}
		return false
	}
	type editAt struct {
		path string
		span source.Span
	}
	users := map[editAt][]reqRef{}
	usersOf := func(e analyzer.Edit) []reqRef {
		k := editAt{e.Path, e.Span}
		if u, ok := users[k]; ok {
			return u
		}
		u := w.usersOf(ctx, snap, fd, e)
		users[k] = u
		return u
	}
	out := diags
	for i, d := range diags {
		if d.Path != fd.Path || len(d.Fixes) == 0 {
			continue
		}
		own := requestIndexAt(fd, d.Span.Start)
		demoted, fallbacks := false, false
		wasDemoted := make([]bool, len(d.Fixes))
		fixes := make([]analyzer.Fix, len(d.Fixes))
		copy(fixes, d.Fixes)
		for k := range fixes {
			f := &fixes[k]
			if f.Fallback {
				fallbacks = true
				continue
			}
			others := map[reqRef]bool{}
			for _, e := range f.Edits {
				if ownEdit(fd, own, e) || atFinding(d, e) {
					continue
				}
				for _, u := range usersOf(e) {
					if (u != reqRef{fd.Path, own}) && !needs(u, d.Code, e) {
						others[u] = true
					}
				}
			}
			if len(others) == 0 {
				continue
			}
			demoted, wasDemoted[k] = true, true
			f.Safe, f.Preferred = false, false
			f.Title = unsafeTitle(f.Title, len(others))
		}
		if !demoted && !fallbacks {
			continue
		}
		// A fallback follows its fix: it comes first when that fix was
		// demoted, and is dropped otherwise.
		var kept, rest []analyzer.Fix
		primaryDemoted := false
		for k, f := range fixes {
			switch {
			case !f.Fallback:
				primaryDemoted = wasDemoted[k]
				rest = append(rest, f)
			case primaryDemoted:
				kept = append(kept, f)
			}
		}
		kept = append(kept, rest...)
		if &out[0] == &diags[0] {
			out = append([]analyzer.Diagnostic(nil), diags...)
		}
		for k := range kept {
			kept[k].Fallback = false
		}
		out[i].Fixes = kept
	}
	return out
}

// unsafeTitle is a fix title that says the fix changes n other requests.
func unsafeTitle(t msg.Text, n int) msg.Text {
	return analyzer.AlsoChanges(t, n, "request", "requests", "リクエスト")
}
