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
	t := Template{Raw: text, Span: source.Span{Start: base, End: base + len(text)}}
	t.Refs = appendRefs(nil, text, 0, base)
	return t
}

// appendRefs appends the references found in text[from:] to refs; base is
// the file offset of text[0].
func appendRefs(refs []*VarRef, text string, from, base int) []*VarRef {
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
		if nl := strings.IndexAny(inner, "\r\n"); nl >= 0 {
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
		ref := classifyRef(inner)
		ref.Span = source.Span{Start: base + open, End: base + end}
		refs = append(refs, ref)
		i = end
	}
}

// classifyRef returns the reference for the text between the braces.
func classifyRef(inner string) *VarRef {
	in := strings.TrimSpace(inner)
	r := &VarRef{Inner: in}
	if in == "" {
		r.Kind = VarExpr
		return r
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
			name, more := splitWord(rest)
			r.Name = name
			r.Args = fields(more)
			return r
		case strings.HasPrefix(fn, "$env.") && len(fn) > len("$env.") && isNameString(fn[len("$env."):]):
			r.Kind = VarProcessEnv
			r.Name = fn[len("$env."):]
			return r
		case fn == "$shell" || fn == "$exec" || fn == "$command":
			r.Kind = VarShell
			r.Name = fn
			r.Args = fields(rest)
			return r
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
			r.Args = fields(rest)
			return r
		}
		r.Kind = VarExpr
		r.Name = in
		return r
	}
	if isNameString(in) {
		if i := strings.IndexByte(in, '.'); i > 0 {
			seg := in[i+1:]
			if strings.HasPrefix(seg, "response.") || strings.HasPrefix(seg, "request.") {
				r.Kind = VarRequest
				r.Name = in[:i]
				return r
			}
		}
		r.Kind = VarUser
		r.Name = in
		return r
	}
	// name.response.body.$.items[0].id and friends.
	if i := strings.IndexByte(in, '.'); i > 0 && isNameString(in[:i]) {
		seg := in[i+1:]
		if strings.HasPrefix(seg, "response.") || strings.HasPrefix(seg, "request.") {
			r.Kind = VarRequest
			r.Name = in[:i]
			return r
		}
	}
	r.Kind = VarExpr
	r.Name = in
	return r
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

func fields(s string) []string {
	if strings.TrimSpace(s) == "" {
		return nil
	}
	return strings.Fields(s)
}
