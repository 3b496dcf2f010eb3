package httpfile

import (
	"strings"

	"github.com/gw403/gw403-lsp/schemas/source"
)

// ParseTemplate returns the template for text, which starts at byte offset
// base of its file. References are `{{…}}` pairs on one line; `\{{` (an
// httpyac escape) is not a reference. ParseTemplate is also used for
// values read from environment files.
func ParseTemplate(text string, base int) Template {
	return (*arena)(nil).template(text, base)
}

// arena hands out the parser's small objects from chunks, which keeps a
// parse of a large file to a few allocations per request. A nil arena
// allocates each object on its own.
type arena struct {
	refs    []VarRef
	headers []Header
	reqs    []Request
	seps    []Separator
	metas   []Meta
	cmts    []Comment
	lines   []Line
	scratch []*VarRef
}

// grab returns a pointer to a fresh zero element of *chunk, starting a new
// chunk when it is full.
func grab[T any](chunk *[]T) *T {
	if len(*chunk) == cap(*chunk) {
		*chunk = make([]T, 0, arenaChunk)
	}
	*chunk = (*chunk)[:len(*chunk)+1]
	return &(*chunk)[len(*chunk)-1]
}

const arenaChunk = 256

func (a *arena) newRef() *VarRef {
	if a == nil {
		return new(VarRef)
	}
	if len(a.refs) == cap(a.refs) {
		a.refs = make([]VarRef, 0, arenaChunk)
	}
	a.refs = a.refs[:len(a.refs)+1]
	return &a.refs[len(a.refs)-1]
}

func (a *arena) newHeader() *Header {
	if a == nil {
		return new(Header)
	}
	if len(a.headers) == cap(a.headers) {
		a.headers = make([]Header, 0, arenaChunk)
	}
	a.headers = a.headers[:len(a.headers)+1]
	return &a.headers[len(a.headers)-1]
}

func (a *arena) newRequest() *Request {
	if len(a.reqs) == cap(a.reqs) {
		a.reqs = make([]Request, 0, arenaChunk/4)
	}
	a.reqs = a.reqs[:len(a.reqs)+1]
	return &a.reqs[len(a.reqs)-1]
}

// clip returns a copy of s at its length (nil when s is empty): the
// parser collects a template's references and a request's headers in
// memory it reuses.
func clip[T any](s []T) []T {
	if len(s) == 0 {
		return nil
	}
	return append(make([]T, 0, len(s)), s...)
}

// template returns the template for text at base.
func (a *arena) template(text string, base int) Template {
	t := Template{Raw: text, Span: source.Span{Start: base, End: base + len(text)}}
	if strings.Index(text, "{{") < 0 {
		return t
	}
	if a == nil {
		t.Refs = appendRefs(nil, nil, text, 0, base)
		return t
	}
	a.scratch = appendRefs(a, a.scratch[:0], text, 0, base)
	t.Refs = clip(a.scratch)
	return t
}

// appendRefs appends the references found in text[from:] to refs; base is
// the file offset of text[0].
func appendRefs(a *arena, refs []*VarRef, text string, from, base int) []*VarRef {
	i := from
	for {
		k := strings.Index(text[i:], "{{")
		if k < 0 {
			return refs
		}
		open := i + k
		if open > 0 && text[open-1] == '\\' { // httpyac escape \{{
			i = open + 2
			continue
		}
		closeRel := strings.Index(text[open+2:], "}}")
		if closeRel < 0 {
			return refs
		}
		inner := text[open+2 : open+2+closeRel]
		if nl := lineBreak(inner); nl >= 0 {
			// A reference never spans lines: look again after the break.
			i = open + 2 + nl
			continue
		}
		// "{{{x}}}" : prefer the innermost opening braces.
		for len(inner) > 0 && inner[0] == '{' {
			open++
			inner = inner[1:]
		}
		end := open + 2 + len(inner) + 2
		ref := a.newRef()
		classifyRef(ref, inner)
		ref.Span = source.Span{Start: base + open, End: base + end}
		refs = append(refs, ref)
		i = end
	}
}

func lineBreak(s string) int {
	for i := 0; i < len(s); i++ {
		if s[i] == '\n' || s[i] == '\r' {
			return i
		}
	}
	return -1
}

// classifyRef fills r for the text between the braces.
func classifyRef(r *VarRef, inner string) {
	in := strings.TrimSpace(inner)
	r.Inner = in
	if in == "" {
		r.Kind = VarExpr
		return
	}
	if in[0] == '$' {
		fn, rest := splitWord(in)
		switch {
		case fn == "$processEnv" || fn == "$dotenv" || fn == "$shared":
			switch fn {
			case "$processEnv":
				r.Kind = VarProcessEnv
			case "$dotenv":
				r.Kind = VarDotenv
			default:
				r.Kind = VarShared
			}
			name, _ := splitWord(rest)
			r.Name = name
			return
		case strings.HasPrefix(fn, "$env.") && len(fn) > len("$env.") && isNameString(fn[len("$env."):]):
			r.Kind = VarProcessEnv
			r.Name = fn[len("$env."):]
			return
		case fn == "$shell" || fn == "$exec" || fn == "$command":
			r.Kind = VarShell
			r.Name = fn
			return
		}
		// $guid, $uuid, $random.uuid, $randomInt 1 5, $datetime iso8601,
		// $random.integer(1, 5), $auth.token("id") …
		name := fn
		if p := strings.IndexByte(name, '('); p > 0 {
			name = name[:p]
		}
		if len(name) > 1 && isNameString(name[1:]) {
			r.Kind = VarSystem
			r.Name = name
			return
		}
		r.Kind = VarExpr
		r.Name = in
		return
	}
	if isNameString(in) {
		if i := strings.IndexByte(in, '.'); i > 0 {
			seg := in[i+1:]
			if strings.HasPrefix(seg, "response.") || strings.HasPrefix(seg, "request.") {
				r.Kind = VarRequest
				r.Name = in[:i]
				return
			}
		}
		r.Kind = VarUser
		r.Name = in
		return
	}
	// name.response.body.$.items[0].id and friends.
	if i := strings.IndexByte(in, '.'); i > 0 && isNameString(in[:i]) {
		seg := in[i+1:]
		if strings.HasPrefix(seg, "response.") || strings.HasPrefix(seg, "request.") {
			r.Kind = VarRequest
			r.Name = in[:i]
			return
		}
	}
	r.Kind = VarExpr
	r.Name = in
	return
}

// isNameString reports whether s is a variable name: letters, digits, `_`,
// `-` and `.` (the JetBrains rule), non-empty.
func isNameString(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c == '_' || c == '-' || c == '.' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= 0x80) {
			return false
		}
	}
	return true
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\f' || c == '\v' }

// splitWord returns the first whitespace-separated word of s (s has no
// leading space) and the rest without leading space.
func splitWord(s string) (string, string) {
	i := 0
	for i < len(s) && !isSpace(s[i]) {
		i++
	}
	w := s[:i]
	for i < len(s) && isSpace(s[i]) {
		i++
	}
	return w, s[i:]
}
