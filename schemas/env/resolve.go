package env

import (
	"sort"
	"strings"
	"sync"

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
// a cycle, through any kind of reference (`{{$shared x}}`, `{{$dotenv X}}`,
// the key of `{{$dotenv %name}}`), leaves the variable unresolved, and so
// does an expansion past a Limit. The limits that apply to a request as a
// whole count every expansion of one Resolver: make one per request. A
// Resolver is not safe for concurrent use.
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
	// spent is what the resolver's expansions have taken of the request's
	// budget: bytes written by references, references expanded inside
	// values.
	spent, nested int
	// vars and origins are the file and request variables looked up and
	// their Origins, made once for the Uses of every expansion.
	vars    []*httpfile.Var
	origins []*Origin
	byVar   map[*httpfile.Var]*Origin // once vars is long
	// With record set (ExpandShared), looked are the names of the
	// `{{name}}`s looked up.
	record bool
	looked []string
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
	// Ref is the reference as written in the expanded template (Depth 0);
	// nil for references found inside variable values.
	Ref *httpfile.VarRef
	// origin is where the value came from (see Origin); nil when
	// nothing was found. It points at the defining value's Origin in the
	// Set, or at one made once per file or request variable: a Use stays
	// small to copy (48 bytes).
	origin *Origin
	// Depth is 0 for references of the expanded template, n for those
	// inside the value of a depth n-1 variable.
	Depth    int
	Kind     httpfile.VarKind
	Resolved bool
	// Cycle is true when the variable refers to itself (directly or not).
	Cycle bool
}

// Origin says where the value came from; for an unresolved
// `$processEnv` its Kind is SourceProcessEnv, otherwise zero.
func (u Use) Origin() Origin {
	if u.origin == nil {
		return Origin{}
	}
	return *u.origin
}

// Part maps a range of the expanded text back to the template: literal
// text maps byte for byte, a reference maps to its whole `{{…}}`.
type Part struct {
	Text   Range
	Source source.Span
	// Ref is nil for literal text.
	Ref *httpfile.VarRef
	// For a reference: Unknown is true when some of its text was left as
	// written (a Missing or Dynamic range lies inside), Secret when some
	// of it is secret.
	Unknown, Secret bool
	// use is 1 + the index in Uses of the reference's resolved use, 0 when
	// it was not resolved (Expansion.Origin).
	use int
}

// Origin returns where the value of a reference part came from: the
// Origin of its use; zero for literal text and references not resolved.
func (e Expansion) Origin(p Part) Origin {
	if p.use == 0 {
		return Origin{}
	}
	return e.Uses[p.use-1].Origin()
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
	// Overflows are the references left unresolved because expanding them
	// went past a limit (see Limit).
	Overflows []Overflow
	// shared is set on an expansion made by ExpandShared: what it took of
	// the budget and the `{{name}}`s it looked up.
	shared *sharedCost
}

// sharedCost is what Resolver.Fits checks of an ExpandShared expansion.
type sharedCost struct {
	spent, nested int
	looked        []string
}

// Limit is one of the bounds of variable expansion. A reference whose
// expansion would go past one is left unresolved, as written, and
// reported in Expansion.Overflows: a few hundred bytes of variables that
// refer to each other ten times over would otherwise expand to gigabytes.
type Limit uint8

const (
	// LimitValue: the expanded value of one variable is at most
	// MaxValueSize bytes.
	LimitValue Limit = iota + 1
	// LimitRequest: the references of one request (its URL, headers and
	// whatever else one Resolver expands) write at most MaxRequestText
	// bytes in all.
	LimitRequest
	// LimitNested: at most MaxNestedRefs references inside variable values
	// are expanded for one request.
	LimitNested
)

// The limits of expansion. Real values are a host, a path, a token: far
// below them (API Gateway refuses headers over 10 KB). They bound the
// work of one request, and so of a file of 10,000 requests that each use
// the same hostile variable: text written (kept or rolled back) and
// references looked up.
const (
	MaxValueSize   = 64 << 10
	MaxRequestText = 256 << 10
	MaxNestedRefs  = 1024
)

// String describes the limit for messages.
func (l Limit) String() string {
	switch l {
	case LimitValue:
		return "64 KiB per expanded variable value"
	case LimitRequest:
		return "256 KiB of variable values per request"
	case LimitNested:
		return "1,024 nested variable references per request"
	}
	return "no limit"
}

// Overflow is a reference left unresolved because its expansion went past
// a limit.
type Overflow struct {
	// Name is the variable as Unresolved names it ("host", "$dotenv KEY").
	Name string
	// Ref is the reference of the expanded template.
	Ref *httpfile.VarRef
	// Origin is where the variable is defined (zero when the limit was hit
	// before it was looked up).
	Origin Origin
	Limit  Limit
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
	var off func(int) int
	if len(t.Raw) == t.Span.Len() {
		off = func(i int) int { return t.Span.Start + i }
	}
	return r.expand(t, off)
}

// ExpandShared expands t as any request of f would in environment env of
// set, for a template that many requests write alike (a header value
// such as `x-api-key: {{apiKey}}`): Fits says for which. The expansion is
// meant to be shared: its lists must never be modified.
func ExpandShared(f *httpfile.File, set *Set, env string, t httpfile.Template) Expansion {
	r := &Resolver{file: f, set: set, env: env, record: true}
	e := r.Expand(t)
	e.shared = &sharedCost{spent: r.spent, nested: r.nested, looked: r.looked}
	return e
}

// Fits reports whether x, made by ExpandShared of r's file, set and
// environment, is what r.Expand returns for a template of r's request
// with the same text and references, but for the spans of that text; it
// then takes from r's budget what r.Expand would have. It does not fit
// when x went past a limit or would go past r's budget, when r's request
// defines a variable x looked up (or x looked up many), or when a
// variable x left unresolved may be one the request prompts for.
func (r *Resolver) Fits(x Expansion) bool {
	c := x.shared
	if c == nil || r.EnvFirst || len(x.Overflows) > 0 ||
		r.spent+c.spent > MaxRequestText || r.nested+c.nested > MaxNestedRefs {
		return false
	}
	if r.req != nil {
		if len(r.req.Vars) > 0 && len(c.looked) > 64 {
			return false
		}
		for _, v := range r.req.Vars {
			for _, n := range c.looked {
				if n == v.Name {
					return false
				}
			}
		}
		if len(x.Unresolved) > 0 {
			for _, m := range r.req.Meta {
				if m.Key == "prompt" {
					return false
				}
			}
		}
	}
	r.spent += c.spent
	r.nested += c.nested
	return true
}

// ExpandTarget expands the request's target (request line URL plus query
// continuation lines), mapping literal text back through
// Request.TargetOffset.
func (r *Resolver) ExpandTarget() Expansion {
	if r.req == nil {
		return Expansion{Env: r.env, Complete: true}
	}
	return r.expand(r.req.Target, r.req.TargetOffset)
}

func (r *Resolver) expand(t httpfile.Template, off func(int) int) Expansion {
	m := memories.Get().(*memory)
	defer memories.Put(m)
	x := &expander{r: r, m: m, buf: m.buf[:0], stack: m.stack[:0]}
	x.e = Expansion{Env: r.env, Parts: m.parts[:0]}
	if len(t.Refs) > 0 {
		x.e.Uses = m.uses[:0]
	}
	x.template(t, 0, off, false)
	e := x.e
	e.Text = string(x.buf)
	e.Complete = len(e.Unresolved) == 0 && len(e.Dynamic) == 0
	// The result owns its lists; the memory keeps what they grew to.
	e.Parts, e.Uses = owned(e.Parts), owned(e.Uses)
	e.Missing, e.Dynamic, e.Unresolved = owned(e.Missing), owned(e.Dynamic), owned(e.Unresolved)
	m.keep(x)
	return e
}

// memory is where an expansion builds its text and lists; the lists of
// the result are copies at their length. Kept between expansions in
// memories, it saves the allocations of growing the lists (most of the
// memory a check of a large request file allocates): nothing outside
// expand sees it.
type memory struct {
	buf               []byte
	parts             []Part
	uses              []Use
	missing, dynamic  []Range
	unresolved, stack []string
}

var memories = sync.Pool{New: func() any { return new(memory) }}

// keep takes the lists x grew, emptied, for the next expansion.
func (m *memory) keep(x *expander) {
	if cap(x.buf) <= 4*MaxValueSize {
		m.buf = x.buf[:0]
	}
	m.stack = x.stack[:0]
	m.parts = x.e.Parts[:0]
	if x.e.Uses != nil {
		m.uses = x.e.Uses[:0]
	}
	if x.e.Missing != nil {
		m.missing = x.e.Missing[:0]
	}
	if x.e.Dynamic != nil {
		m.dynamic = x.e.Dynamic[:0]
	}
	if x.e.Unresolved != nil {
		clear(x.e.Unresolved)
		m.unresolved = x.e.Unresolved[:0]
	}
	clear(x.e.Uses)
	clear(x.e.Parts)
	clear(x.stack)
}

// owned returns a copy of s at its length (nil for nil).
func owned[T any](s []T) []T {
	if s == nil {
		return nil
	}
	return append(make([]T, 0, len(s)), s...)
}

type expander struct {
	r     *Resolver
	m     *memory // where the lists are built
	e     Expansion
	buf   []byte   // the expanded text
	stack []string // the variables being expanded ("name", "$shared name", "$dotenv KEY")
	// base is the nesting depth of the expansion this one serves (the
	// key of `{{$dotenv %name}}`); 0 for a template's own expansion.
	base int
	// refStart is where the text of the top-level reference being
	// expanded starts (-1 outside one); over is set when that reference
	// went past a limit: everything stops until it is rolled back.
	refStart int
	over     Limit
	// seen indexes Unresolved once it is long.
	seen map[string]bool
}

// write appends s to the text, checking the limits inside a reference.
func (x *expander) write(s string) {
	x.buf = append(x.buf, s...)
	if x.refStart < 0 || x.over != 0 {
		return
	}
	switch n := len(x.buf) - x.refStart; {
	case n > MaxValueSize:
		x.over = LimitValue
	case x.r.spent+n > MaxRequestText:
		x.over = LimitRequest
	}
}

// appendRange appends r to rs, starting rs in buf's memory.
func appendRange(rs []Range, r Range, buf []Range) []Range {
	if rs == nil {
		rs = buf[:0]
	}
	return append(rs, r)
}

// template writes the expansion of t. off maps an index of t.Raw to the
// source (top level only; nil when unknown). unescape applies REST
// Client's file-variable escapes (\n, \r, \t, \x) to literal text.
func (x *expander) template(t httpfile.Template, depth int, off func(int) int, unescape bool) {
	top := depth == 0
	if top {
		x.refStart = -1
	}
	raw, shift := rawRefs(t) // raw's spans + shift are offsets into t.Raw
	paired := len(raw) == len(t.Refs)
	prev := 0
	literal := func(a, b int) {
		if a >= b {
			return
		}
		start := len(x.buf)
		s := t.Raw[a:b]
		if unescape {
			s = unescapeFileVar(s)
		}
		x.write(s)
		if top {
			src := t.Span
			if off != nil && !unescape {
				src = source.Span{Start: off(a), End: off(b)}
			}
			x.e.Parts = append(x.e.Parts, Part{Text: Range{start, len(x.buf)}, Source: src})
		}
	}
	for i, rr := range raw {
		if x.over != 0 {
			return
		}
		a, b := rr.Span.Start+shift, rr.Span.End+shift
		literal(prev, a)
		ref := rr
		if paired {
			ref = t.Refs[i]
		}
		prev = b
		if !top {
			x.ref(ref, t.Raw[a:b], depth)
			continue
		}
		src := t.Span
		if paired && off != nil {
			src = ref.Span
		}
		x.topRef(ref, t.Raw[a:b], src)
	}
	if x.over == 0 {
		literal(prev, len(t.Raw))
	}
}

// topRef writes the expansion of a reference of the expanded template and
// its part. A reference that goes past a limit is rolled back and left as
// written.
func (x *expander) topRef(ref *httpfile.VarRef, rawText string, src source.Span) {
	start := len(x.buf)
	uses, missing, dynamic, secrets, unresolved := len(x.e.Uses), len(x.e.Missing), len(x.e.Dynamic), len(x.e.Secrets), len(x.e.Unresolved)
	x.refStart = start
	x.ref(ref, rawText, 0)
	x.refStart = -1
	p := Part{Text: Range{start, len(x.buf)}, Source: src, Ref: ref}
	if lim := x.over; lim != 0 {
		x.over = 0
		x.r.spent += len(x.buf) - start // the work was done
		use := x.e.Uses[uses]
		use.Resolved = false
		x.e.Uses = append(x.e.Uses[:uses], use)
		x.e.Missing, x.e.Dynamic, x.e.Secrets = x.e.Missing[:missing], x.e.Dynamic[:dynamic], x.e.Secrets[:secrets]
		for _, u := range x.e.Unresolved[unresolved:] {
			delete(x.seen, u)
		}
		x.e.Unresolved = x.e.Unresolved[:unresolved]
		x.buf = x.buf[:start]
		name := unresolvedName(ref)
		x.unresolved(name, rawText)
		// One overflow per variable too large, one per budget spent.
		dup := false
		for _, o := range x.e.Overflows {
			dup = dup || o.Limit == lim && (o.Name == name || lim != LimitValue)
		}
		if !dup {
			x.e.Overflows = append(x.e.Overflows, Overflow{Name: name, Ref: ref, Origin: use.Origin(), Limit: lim})
		}
		p.Text.End = len(x.buf)
		p.Unknown = true
		x.e.Parts = append(x.e.Parts, p)
		return
	}
	x.r.spent += len(x.buf) - start
	p.Unknown = len(x.e.Missing) > missing || len(x.e.Dynamic) > dynamic
	p.Secret = len(x.e.Secrets) > secrets
	if x.e.Uses[uses].Resolved {
		p.use = uses + 1
	}
	x.e.Parts = append(x.e.Parts, p)
}

// unresolvedName is how Unresolved names a reference.
func unresolvedName(ref *httpfile.VarRef) string {
	switch ref.Kind {
	case httpfile.VarUser:
		return ref.Name
	case httpfile.VarShared:
		return "$shared " + ref.Name
	case httpfile.VarDotenv:
		return "$dotenv " + ref.Name
	case httpfile.VarProcessEnv:
		if strings.HasPrefix(ref.Inner, "$env.") {
			return "$env." + ref.Name
		}
		return "$processEnv " + ref.Name
	}
	return ref.Inner
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

// refAt is ref at depth 0 (a reference of the expanded template), nil
// inside values.
func refAt(ref *httpfile.VarRef, depth int) *httpfile.VarRef {
	if depth == 0 {
		return ref
	}
	return nil
}

func (x *expander) unresolved(name string, rawText string) {
	start := len(x.buf)
	x.write(rawText)
	x.e.Missing = appendRange(x.e.Missing, Range{start, len(x.buf)}, x.m.missing)
	if x.seen != nil { // many names: a line of 100,000 different {{xN}}
		if x.seen[name] {
			return
		}
		x.seen[name] = true
	} else {
		for _, u := range x.e.Unresolved {
			if u == name {
				return
			}
		}
		if len(x.e.Unresolved) >= 32 {
			x.seen = make(map[string]bool, 64)
			for _, u := range x.e.Unresolved {
				x.seen[u] = true
			}
			x.seen[name] = true
		}
	}
	if x.e.Unresolved == nil {
		x.e.Unresolved = x.m.unresolved[:0]
	}
	x.e.Unresolved = append(x.e.Unresolved, name)
}

// dynamic writes a reference whose value exists only at run time.
func (x *expander) dynamic(rawText string) {
	start := len(x.buf)
	x.write(rawText)
	x.e.Dynamic = appendRange(x.e.Dynamic, Range{start, len(x.buf)}, x.m.dynamic)
}

func (x *expander) ref(ref *httpfile.VarRef, rawText string, depth int) {
	use := Use{Name: ref.Name, Kind: ref.Kind, Ref: refAt(ref, depth), Depth: depth}
	if depth > 0 || x.base > 0 {
		if x.r.nested++; x.r.nested > MaxNestedRefs {
			x.e.Uses = append(x.e.Uses, use)
			if x.refStart >= 0 {
				x.over = LimitNested
			} else {
				x.unresolved(unresolvedName(ref), rawText)
			}
			return
		}
	}
	switch ref.Kind {
	case httpfile.VarUser:
		x.variable(use, rawText)
	case httpfile.VarShared:
		label := "$shared " + ref.Name
		if !x.enter(use, label, rawText) {
			return
		}
		v := x.r.set.lookup("$shared", ref.Name)
		if v == nil || v.Origin.Env != "$shared" {
			x.e.Uses = append(x.e.Uses, use)
			x.unresolved(label, rawText)
			return
		}
		x.value(use, label, &v.Origin, v.Template, false)
	case httpfile.VarDotenv:
		name := ref.Name
		if strings.HasPrefix(name, "%") { // the key is the value of a variable
			key, ok := x.key(name[1:], depth)
			if !ok {
				x.e.Uses = append(x.e.Uses, use)
				x.unresolved("$dotenv "+name, rawText)
				return
			}
			name = key
		}
		use.Name = name
		label := "$dotenv " + name
		if !x.enter(use, label, rawText) {
			return
		}
		v := x.r.set.dotEnv(name)
		if v == nil {
			x.e.Uses = append(x.e.Uses, use)
			x.unresolved(label, rawText)
			return
		}
		o := &v.Origin
		if !o.Secret { // dotenv values are secret as parsed
			c := *o
			c.Secret = true
			o = &c
		}
		x.value(use, label, o, v.Template, false)
	case httpfile.VarProcessEnv:
		// Never read, whatever the key (a `%name` key is not even expanded).
		use.origin = &processEnvOrigin
		x.e.Uses = append(x.e.Uses, use)
		x.unresolved(unresolvedName(ref), rawText)
	default: // system, request, expression, shell: known only at run time
		x.e.Uses = append(x.e.Uses, use)
		x.dynamic(rawText)
	}
}

// processEnvOrigin is the Origin of every `$processEnv` / `$env` use.
var processEnvOrigin = Origin{Kind: SourceProcessEnv, Secret: true}

// key expands `{{name}}` for the key of `{{$dotenv %name}}`, as one more
// level of the current expansion: the variables being expanded stay
// cycles and the depth and budget go on.
func (x *expander) key(name string, depth int) (string, bool) {
	c := &expander{r: x.r, m: new(memory), base: x.base + depth + 1, stack: append([]string(nil), x.stack...)}
	c.template(httpfile.Template{Raw: "{{" + name + "}}"}, 0, nil, false)
	if len(c.e.Unresolved) > 0 || len(c.e.Dynamic) > 0 || len(c.e.Overflows) > 0 {
		return "", false
	}
	return string(c.buf), true
}

// enter checks that the variable labelled label can be expanded: it is
// not being expanded already (a cycle, through any kind of reference) and
// the nesting is not too deep. When it cannot, the reference is left as
// written and enter returns false.
func (x *expander) enter(use Use, label, rawText string) bool {
	for _, s := range x.stack {
		if s == label {
			use.Cycle = true
			x.e.Uses = append(x.e.Uses, use)
			x.unresolved(label, rawText)
			return false
		}
	}
	if x.base+use.Depth >= maxExpandDepth {
		x.e.Uses = append(x.e.Uses, use)
		x.unresolved(label, rawText)
		return false
	}
	return true
}

// variable resolves `{{name}}`.
func (x *expander) variable(use Use, rawText string) {
	name := use.Name
	if !x.enter(use, name, rawText) {
		return
	}
	o, t, fileVar, ok := x.lookup(name)
	if !ok {
		x.e.Uses = append(x.e.Uses, use)
		if x.prompted(name) { // the client asks for it when sending
			x.dynamic(rawText)
			return
		}
		x.unresolved(name, rawText)
		return
	}
	x.value(use, name, o, t, fileVar)
}

// value writes a resolved variable's value, expanding references inside it.
func (x *expander) value(use Use, label string, o *Origin, t httpfile.Template, fileVar bool) {
	use.origin = o
	use.Resolved = true
	x.e.Uses = append(x.e.Uses, use)
	x.stack = append(x.stack, label)
	start := len(x.buf)
	x.template(t, use.Depth+1, nil, fileVar)
	x.stack = x.stack[:len(x.stack)-1]
	if o.Secret && len(x.buf) > start {
		x.e.Secrets = append(x.e.Secrets, Range{start, len(x.buf)})
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
func (x *expander) lookup(name string) (*Origin, httpfile.Template, bool, bool) {
	r := x.r
	if r.record {
		r.looked = append(r.looked, name)
	}
	fromEnv := func() (*Origin, httpfile.Template, bool, bool) {
		if v := r.set.lookup(r.env, name); v != nil {
			return &v.Origin, v.Template, false, true
		}
		return nil, httpfile.Template{}, false, false
	}
	if r.EnvFirst {
		if o, t, fv, ok := fromEnv(); ok {
			return o, t, fv, ok
		}
	}
	if r.req != nil {
		for i := len(r.req.Vars) - 1; i >= 0; i-- {
			if v := r.req.Vars[i]; v.Name == name {
				return r.varOrigin(v, SourceRequestVar), v.Value, true, true
			}
		}
	}
	if r.file != nil {
		if v := r.file.FileVar(name); v != nil {
			return r.varOrigin(v, SourceFileVar), v.Value, true, true
		}
	}
	if !r.EnvFirst {
		return fromEnv()
	}
	return nil, httpfile.Template{}, false, false
}

// varOrigin returns the Origin of a file or request variable, made on
// its first use by the resolver.
func (r *Resolver) varOrigin(v *httpfile.Var, kind SourceKind) *Origin {
	if r.byVar != nil {
		if o := r.byVar[v]; o != nil {
			return o
		}
	} else {
		for i, w := range r.vars {
			if w == v {
				return r.origins[i]
			}
		}
	}
	path := ""
	if r.file != nil && r.file.Src != nil {
		path = r.file.Src.Path
	}
	o := &Origin{Kind: kind, Path: path, Span: v.Value.Span, NameSpan: v.NameSpan}
	switch {
	case r.byVar != nil:
		r.byVar[v] = o
	case len(r.vars) < 16:
		r.vars, r.origins = append(r.vars, v), append(r.origins, o)
	default: // many variables: a request of 10,000 different {{xN}}
		r.byVar = make(map[*httpfile.Var]*Origin, 64)
		for i, w := range r.vars {
			r.byVar[w] = r.origins[i]
		}
		r.byVar[v] = o
		r.vars, r.origins = nil, nil
	}
	return o
}
