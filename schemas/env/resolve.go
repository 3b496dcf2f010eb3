package env

import (
	"sort"
	"strings"

	"github.com/gw403/gw403-lsp/schemas/httpfile"
	"github.com/gw403/gw403-lsp/schemas/source"
)

// Resolver expands the templates of one request in one environment.
//
// A `{{name}}` is looked up in this order (REST Client's and httpyac's):
// the request's own variables (`@name = value` above its request line, the
// last one winning), the file's variables (the first definition in the
// file winning, as REST Client does), then the environment (Set.Lookup:
// env-specific, `$shared`, dotenv). Variable values are expanded in turn;
// a cycle leaves the variable unresolved.
//
// Never resolved: `{{$processEnv X}}` and `{{$env.X}}` (the real process
// environment is not read: its value exists only where the request is
// sent), system variables (`{{$guid}}`, `{{$timestamp}}` …), request
// variables (`{{login.response.body.$.token}}`), REST Client prompt
// variables (`# @prompt name`) and httpyac JavaScript expressions. They
// stay in the text as written and make the expansion incomplete.
type Resolver struct {
	file *httpfile.File
	req  *httpfile.Request
	set  *Set
	env  string
	// EnvFirst gives environment values precedence over file and request
	// variables, as JetBrains' HTTP Client documents.
	EnvFirst bool
}

// NewResolver returns a resolver for req (which may be nil for
// file-level values) of file f, with environment env of set ("" for no
// environment; set may be nil).
func NewResolver(f *httpfile.File, req *httpfile.Request, set *Set, env string) *Resolver {
	return &Resolver{file: f, req: req, set: set, env: env}
}

// Range is a half-open byte range of an Expansion's Text.
type Range struct{ Start, End int }

// Use is one variable an expansion used or tried to use.
type Use struct {
	// Name is the variable: the name of `{{name}}`, the key of
	// `{{$dotenv KEY}}` / `{{$processEnv KEY}}` / `{{$shared name}}`.
	Name string
	Kind httpfile.VarKind
	// Ref is the reference as written in the expanded template (Depth 0);
	// nil for references found inside variable values.
	Ref *httpfile.VarRef
	// Origin says where the value came from; for an unresolved
	// `$processEnv` its Kind is SourceProcessEnv, otherwise zero.
	Origin   Origin
	Resolved bool
	// Depth is 0 for references of the expanded template, n for those
	// inside the value of a depth n-1 variable.
	Depth int
	// Cycle is true when the variable refers to itself (directly or not).
	Cycle bool
}

// Part maps a range of the expanded text back to the template: literal
// text maps byte for byte, a reference maps to its whole `{{…}}`.
type Part struct {
	Text   Range
	Source source.Span
	// Ref is nil for literal text.
	Ref *httpfile.VarRef
}

// Expansion is the result of expanding a template.
type Expansion struct {
	// Text is the expanded text; what could not be resolved is left as
	// written (`{{$guid}}`, `{{unknown}}`).
	Text string
	// Complete is true when every reference was resolved to a static
	// value.
	Complete bool
	// Unresolved are the variables that could not be resolved, each once,
	// in order: names of `{{name}}` (and cycles), "$dotenv KEY",
	// "$processEnv KEY", "$env.KEY", "$shared name".
	Unresolved []string
	// Missing are the ranges of Text left as written because a variable
	// could not be resolved; Dynamic those left as written because their
	// value exists only at run time (system and request variables,
	// expressions).
	Missing []Range
	Dynamic []Range
	// Secrets are the ranges of Text whose value is secret.
	Secrets []Range
	// Uses are the variables used, depth first, in order.
	Uses []Use
	// Parts cover Text in order (top-level literal runs and references).
	Parts []Part
	// Env is the environment the expansion was made in.
	Env string
}

// Masked returns Text with every secret range replaced by "****".
func (e Expansion) Masked() string {
	if len(e.Secrets) == 0 {
		return e.Text
	}
	rs := append([]Range(nil), e.Secrets...)
	sort.Slice(rs, func(i, j int) bool { return rs[i].Start < rs[j].Start })
	var b strings.Builder
	at := 0
	for i := 0; i < len(rs); {
		cur := rs[i]
		for i++; i < len(rs) && rs[i].Start <= cur.End; i++ { // merge overlaps
			cur.End = max(cur.End, rs[i].End)
		}
		if cur.End <= at || cur.Start >= cur.End {
			continue
		}
		b.WriteString(e.Text[at:max(cur.Start, at)])
		b.WriteString("****")
		at = cur.End
	}
	b.WriteString(e.Text[at:])
	return b.String()
}

// SourceSpan maps a range of Text to the template's source: exact inside
// literal text, the whole reference for text that came from a variable.
// ok is false when the range is empty or outside Text.
func (e Expansion) SourceSpan(start, end int) (source.Span, bool) {
	if start < 0 || end > len(e.Text) || start >= end {
		return source.Span{}, false
	}
	var out source.Span
	found := false
	for _, p := range e.Parts {
		if p.Text.End <= start || p.Text.Start >= end {
			continue
		}
		var s source.Span
		if p.Ref != nil || p.Source.Len() != p.Text.End-p.Text.Start {
			s = p.Source
		} else {
			a, b := max(start, p.Text.Start), min(end, p.Text.End)
			s = source.Span{Start: p.Source.Start + a - p.Text.Start, End: p.Source.Start + b - p.Text.Start}
		}
		if !found {
			out, found = s, true
		} else {
			out.Start, out.End = min(out.Start, s.Start), max(out.End, s.End)
		}
	}
	return out, found
}

// maxExpandDepth bounds nesting of variables in variables.
const maxExpandDepth = 16

// Expand expands t, a template of the request file (a header value, the
// body, …) or of an environment value.
func (r *Resolver) Expand(t httpfile.Template) Expansion {
	return r.ExpandWith(t, nil)
}

// ExpandWith is Expand building the expansion's lists (Parts, Uses,
// Missing, Dynamic, Unresolved; not Text) in the memory of s, when s is
// not nil: the result is then valid only until the next expansion with s.
// For callers that expand many templates in turn and keep only what they
// derive from each expansion.
func (r *Resolver) ExpandWith(t httpfile.Template, s *Scratch) Expansion {
	var off func(int) int
	if len(t.Raw) == t.Span.Len() {
		off = func(i int) int { return t.Span.Start + i }
	}
	return r.expand(t, off, s)
}

// ExpandTarget expands the request's target (request line URL plus query
// continuation lines), mapping literal text back through
// Request.TargetOffset.
func (r *Resolver) ExpandTarget() Expansion {
	return r.ExpandTargetWith(nil)
}

// ExpandTargetWith is ExpandTarget with the lists of the result in the
// memory of s (see ExpandWith).
func (r *Resolver) ExpandTargetWith(s *Scratch) Expansion {
	if r.req == nil {
		return Expansion{Env: r.env, Complete: true}
	}
	return r.expand(r.req.Target, r.req.TargetOffset, s)
}

// Scratch is memory for the lists of one expansion at a time (see
// ExpandWith). The zero value is ready to use; a Scratch is not safe for
// concurrent use.
type Scratch struct {
	parts             []Part
	uses              []Use
	missing, dynamic  []Range
	unresolved, stack []string
}

func (r *Resolver) expand(t httpfile.Template, off func(int) int, s *Scratch) Expansion {
	x := &expander{r: r, refs: len(t.Refs)}
	if s != nil {
		x.s = *s
	}
	x.e = Expansion{Env: r.env, Parts: takeParts(x.s.parts, 2*len(t.Refs)+1)}
	if len(t.Refs) > 0 {
		// One use per reference, and room for one inside a value ({{apiKey}}
		// = {{$dotenv API_KEY}}).
		x.e.Uses = takeUses(x.s.uses, len(t.Refs)+1)
	}
	x.stack = x.s.stack[:0]
	x.b.Grow(len(t.Raw) + 16*len(t.Refs))
	x.template(t, 0, off, false)
	x.e.Text = x.b.String()
	x.e.Complete = len(x.e.Unresolved) == 0 && len(x.e.Dynamic) == 0
	if s != nil { // keep the lists' memory for the next expansion
		s.parts, s.stack = x.e.Parts, x.stack
		if x.e.Uses != nil {
			s.uses = x.e.Uses
		}
		if x.e.Missing != nil {
			s.missing = x.e.Missing
		}
		if x.e.Dynamic != nil {
			s.dynamic = x.e.Dynamic
		}
		if x.e.Unresolved != nil {
			s.unresolved = x.e.Unresolved
		}
	}
	return x.e
}

// takeParts returns buf emptied when it holds n parts, else a new list.
func takeParts(buf []Part, n int) []Part {
	if cap(buf) >= n {
		return buf[:0]
	}
	return make([]Part, 0, n)
}

// takeUses returns buf emptied when it holds n uses, else a new list.
func takeUses(buf []Use, n int) []Use {
	if cap(buf) >= n {
		return buf[:0]
	}
	return make([]Use, 0, n)
}

type expander struct {
	r     *Resolver
	e     Expansion
	b     strings.Builder
	stack []string
	refs  int     // references of the expanded template: a first guess at its ranges
	s     Scratch // memory for the lists
}

// appendRange appends r to rs, making room for n ranges on the first one
// (in buf's memory when it has room).
func appendRange(rs []Range, r Range, n int, buf []Range) []Range {
	if rs == nil {
		if cap(buf) >= max(n, 1) {
			rs = buf[:0]
		} else {
			rs = make([]Range, 0, max(n, 1))
		}
	}
	return append(rs, r)
}

// template writes the expansion of t. off maps an index of t.Raw to the
// source (top level only; nil when unknown). unescape applies REST
// Client's file-variable escapes (\n, \r, \t, \x) to literal text.
func (x *expander) template(t httpfile.Template, depth int, off func(int) int, unescape bool) {
	top := depth == 0
	raw, shift := rawRefs(t) // raw's spans + shift are offsets into t.Raw
	paired := len(raw) == len(t.Refs)
	prev := 0
	literal := func(a, b int) {
		if a >= b {
			return
		}
		start := x.b.Len()
		s := t.Raw[a:b]
		if unescape {
			s = unescapeFileVar(s)
		}
		x.b.WriteString(s)
		if top {
			src := t.Span
			if off != nil && !unescape {
				src = source.Span{Start: off(a), End: off(b)}
			}
			x.e.Parts = append(x.e.Parts, Part{Text: Range{start, x.b.Len()}, Source: src})
		}
	}
	for i, rr := range raw {
		a, b := rr.Span.Start+shift, rr.Span.End+shift
		literal(prev, a)
		ref := rr
		if paired {
			ref = t.Refs[i]
		}
		start := x.b.Len()
		x.ref(ref, t.Raw[a:b], depth)
		if top {
			src := t.Span
			if paired && off != nil {
				src = ref.Span
			}
			x.e.Parts = append(x.e.Parts, Part{Text: Range{start, x.b.Len()}, Source: src, Ref: ref})
		}
		prev = b
	}
	literal(prev, len(t.Raw))
}

// rawRefs returns t's references and the shift that makes their spans
// offsets into t.Raw. When the template's span covers Raw byte for byte
// (the common case: one line of the file) they are t.Refs themselves;
// otherwise Raw is parsed again.
func rawRefs(t httpfile.Template) ([]*httpfile.VarRef, int) {
	if t.Span.Len() == len(t.Raw) {
		ok := true
		for _, r := range t.Refs {
			if r.Span.Start < t.Span.Start || r.Span.End > t.Span.End {
				ok = false
				break
			}
		}
		if ok {
			return t.Refs, -t.Span.Start
		}
	}
	return httpfile.ParseTemplate(t.Raw, 0).Refs, 0
}

func unescapeFileVar(s string) string {
	if strings.IndexByte(s, '\\') < 0 {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c != '\\' || i+1 >= len(s) {
			b.WriteByte(c)
			continue
		}
		i++
		switch s[i] {
		case 'n':
			b.WriteByte('\n')
		case 'r':
			b.WriteByte('\r')
		case 't':
			b.WriteByte('\t')
		default:
			b.WriteByte(s[i])
		}
	}
	return b.String()
}

func (x *expander) topRef(ref *httpfile.VarRef, depth int) *httpfile.VarRef {
	if depth == 0 {
		return ref
	}
	return nil
}

func (x *expander) unresolved(name string, rawText string) {
	start := x.b.Len()
	x.b.WriteString(rawText)
	x.e.Missing = appendRange(x.e.Missing, Range{start, x.b.Len()}, x.refs, x.s.missing)
	for _, u := range x.e.Unresolved {
		if u == name {
			return
		}
	}
	if x.e.Unresolved == nil {
		if n := max(x.refs, 1); cap(x.s.unresolved) >= n {
			x.e.Unresolved = x.s.unresolved[:0]
		} else {
			x.e.Unresolved = make([]string, 0, n)
		}
	}
	x.e.Unresolved = append(x.e.Unresolved, name)
}

func (x *expander) ref(ref *httpfile.VarRef, rawText string, depth int) {
	use := Use{Name: ref.Name, Kind: ref.Kind, Ref: x.topRef(ref, depth), Depth: depth}
	switch ref.Kind {
	case httpfile.VarUser:
		x.variable(use, rawText)
	case httpfile.VarShared:
		v, ok := x.r.set.Lookup("$shared", ref.Name)
		if !ok || v.Origin.Env != "$shared" {
			x.e.Uses = append(x.e.Uses, use)
			x.unresolved("$shared "+ref.Name, rawText)
			return
		}
		x.value(use, v.Origin, v.Template, rawText, false)
	case httpfile.VarDotenv:
		name := ref.Name
		if strings.HasPrefix(name, "%") { // the key is the value of a variable
			sub := x.r.expand(httpfile.Template{Raw: "{{" + name[1:] + "}}"}, nil, nil)
			if !sub.Complete {
				x.e.Uses = append(x.e.Uses, use)
				x.unresolved("$dotenv "+name, rawText)
				return
			}
			name = sub.Text
		}
		use.Name = name
		v, ok := x.r.set.DotEnv(name)
		if !ok {
			x.e.Uses = append(x.e.Uses, use)
			x.unresolved("$dotenv "+name, rawText)
			return
		}
		o := v.Origin
		o.Secret = true
		x.value(use, o, v.Template, rawText, false)
	case httpfile.VarProcessEnv:
		use.Origin = Origin{Kind: SourceProcessEnv, Secret: true}
		x.e.Uses = append(x.e.Uses, use)
		label := "$processEnv " + ref.Name
		if strings.HasPrefix(ref.Inner, "$env.") {
			label = "$env." + ref.Name
		}
		x.unresolved(label, rawText)
	default: // system, request, expression, shell: known only at run time
		x.e.Uses = append(x.e.Uses, use)
		start := x.b.Len()
		x.b.WriteString(rawText)
		x.e.Dynamic = appendRange(x.e.Dynamic, Range{start, x.b.Len()}, x.refs, x.s.dynamic)
	}
}

// variable resolves `{{name}}`.
func (x *expander) variable(use Use, rawText string) {
	name := use.Name
	for _, s := range x.stack {
		if s == name {
			use.Cycle = true
			x.e.Uses = append(x.e.Uses, use)
			x.unresolved(name, rawText)
			return
		}
	}
	if use.Depth >= maxExpandDepth {
		x.e.Uses = append(x.e.Uses, use)
		x.unresolved(name, rawText)
		return
	}
	o, t, fileVar, ok := x.lookup(name)
	if !ok {
		x.e.Uses = append(x.e.Uses, use)
		if x.prompted(name) { // the client asks for it when sending
			start := x.b.Len()
			x.b.WriteString(rawText)
			x.e.Dynamic = appendRange(x.e.Dynamic, Range{start, x.b.Len()}, x.refs, x.s.dynamic)
			return
		}
		x.unresolved(name, rawText)
		return
	}
	x.value(use, o, t, rawText, fileVar)
}

// value writes a resolved variable's value, expanding references inside it.
func (x *expander) value(use Use, o Origin, t httpfile.Template, rawText string, fileVar bool) {
	use.Origin = o
	use.Resolved = true
	x.e.Uses = append(x.e.Uses, use)
	x.stack = append(x.stack, use.Name)
	start := x.b.Len()
	x.template(t, use.Depth+1, nil, fileVar)
	x.stack = x.stack[:len(x.stack)-1]
	if o.Secret && x.b.Len() > start {
		x.e.Secrets = append(x.e.Secrets, Range{start, x.b.Len()})
	}
}

// prompted reports whether the request declares name as a REST Client
// prompt variable (`# @prompt name [description]`).
func (x *expander) prompted(name string) bool {
	if x.r.req == nil {
		return false
	}
	for _, m := range x.r.req.Meta {
		if m.Key == "prompt" {
			if w, _, _ := strings.Cut(strings.TrimSpace(m.Value), " "); w == name {
				return true
			}
		}
	}
	return false
}

// lookup finds a variable's definition.
func (x *expander) lookup(name string) (Origin, httpfile.Template, bool, bool) {
	r := x.r
	fromEnv := func() (Origin, httpfile.Template, bool, bool) {
		if v, ok := r.set.Lookup(r.env, name); ok {
			return v.Origin, v.Template, false, true
		}
		return Origin{}, httpfile.Template{}, false, false
	}
	if r.EnvFirst {
		if o, t, fv, ok := fromEnv(); ok {
			return o, t, fv, ok
		}
	}
	path := ""
	if r.file != nil && r.file.Src != nil {
		path = r.file.Src.Path
	}
	if r.req != nil {
		for i := len(r.req.Vars) - 1; i >= 0; i-- {
			if v := r.req.Vars[i]; v.Name == name {
				return Origin{Kind: SourceRequestVar, Path: path, Span: v.Value.Span, NameSpan: v.NameSpan}, v.Value, true, true
			}
		}
	}
	if r.file != nil {
		if v := r.file.FileVar(name); v != nil {
			return Origin{Kind: SourceFileVar, Path: path, Span: v.Value.Span, NameSpan: v.NameSpan}, v.Value, true, true
		}
	}
	if !r.EnvFirst {
		return fromEnv()
	}
	return Origin{}, httpfile.Template{}, false, false
}
