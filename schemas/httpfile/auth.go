package httpfile

import (
	"strings"

	"github.com/gw403/gw403-lsp/schemas/source"
)

// word is a blank-separated word of a header value; a `{{…}}` reference
// with blanks inside (`{{$processEnv KEY}}`) stays one word.
type word struct{ s, e int }

// splitWords appends the words of raw to ws.
func splitWords(ws []word, raw string) []word {
	i := 0
	for i < len(raw) {
		for i < len(raw) && isSpace(raw[i]) {
			i++
		}
		if i >= len(raw) {
			break
		}
		st := i
		for i < len(raw) && !isSpace(raw[i]) {
			if raw[i] == '{' && i+1 < len(raw) && raw[i+1] == '{' {
				if j := strings.Index(raw[i+2:], "}}"); j >= 0 {
					i += 2 + j + 2
					continue
				}
			}
			i++
		}
		ws = append(ws, word{st, i})
	}
	return ws
}

// colonOutsideBraces returns the index of the first ':' of w that is not
// inside a `{{…}}` reference, or -1.
func colonOutsideBraces(w string) int {
	for i := 0; i < len(w); i++ {
		switch w[i] {
		case ':':
			return i
		case '{':
			if i+1 < len(w) && w[i+1] == '{' {
				if j := strings.Index(w[i+2:], "}}"); j >= 0 {
					i += 2 + j + 1
				}
			}
		}
	}
	return -1
}

// token returns the word raw[s:e] of the header value v; its references
// are the ones of v that lie inside it (shared, not copied).
func token(v *Template, s, e int) Token {
	base := v.Span.Start
	span := source.Span{Start: base + s, End: base + e}
	t := Token{Text: Template{Raw: v.Raw[s:e], Span: span}, Span: span}
	i := 0
	for i < len(v.Refs) && v.Refs[i].Span.Start < span.Start {
		i++
	}
	j := i
	for j < len(v.Refs) && v.Refs[j].Span.End <= span.End {
		j++
	}
	if j > i {
		t.Text.Refs = v.Refs[i:j]
	}
	return t
}

// parseAuth fills h.AWS or h.Basic for the dialect Authorization lines.
func parseAuth(h *Header) {
	raw := h.Value.Raw
	var buf [8]word // an AWS line has up to 7 words
	ws := splitWords(buf[:0], raw)
	if len(ws) == 0 {
		return
	}
	scheme := raw[ws[0].s:ws[0].e]
	switch {
	case strings.EqualFold(scheme, "AWS"):
		h.AWS = parseAWS(&h.Value, ws)
	case strings.EqualFold(scheme, "Basic"), strings.EqualFold(scheme, "Digest"):
		h.Basic = parseBasic(&h.Value, ws)
	}
}

var awsOptionKeys = [...]string{"token", "region", "service"}

func isAWSOptionKey(k string) bool {
	for _, o := range awsOptionKeys {
		if k == o {
			return true
		}
	}
	return false
}

// isAWSOptionWord reports whether w is `token:…`, `region:…` or
// `service:…`.
func isAWSOptionWord(w string) bool {
	c := strings.IndexByte(w, ':')
	return c > 0 && isAWSOptionKey(w[:c])
}

// parseAWS reads `AWS <id> <secret> [token:<t>] [region:<r>] [service:<s>]`
// as REST Client and httpyac do: the first two words are the credentials,
// the others `key:value` options (keys are case-sensitive).
func parseAWS(v *Template, ws []word) *AWSAuth {
	raw, base := v.Raw, v.Span.Start
	a := &AWSAuth{}
	end := base + len(raw)
	a.AccessKeyID.Span = source.Span{Start: end, End: end}
	a.Secret.Span = a.AccessKeyID.Span
	i := 1
	if i < len(ws) && !isAWSOptionWord(raw[ws[i].s:ws[i].e]) {
		a.AccessKeyID = token(v, ws[i].s, ws[i].e)
		i++
		if i < len(ws) && !isAWSOptionWord(raw[ws[i].s:ws[i].e]) {
			a.Secret = token(v, ws[i].s, ws[i].e)
			i++
		}
	}
	var opts []AWSOption
	for ; i < len(ws); i++ {
		w := raw[ws[i].s:ws[i].e]
		c := colonOutsideBraces(w)
		if c <= 0 || !isOptionKey(w[:c]) {
			a.Extra = append(a.Extra, token(v, ws[i].s, ws[i].e))
			continue
		}
		if opts == nil { // the options of the line in one allocation
			opts = make([]AWSOption, 0, len(ws)-i)
			a.Options = make([]*AWSOption, 0, len(ws)-i)
		}
		opts = append(opts, AWSOption{
			Key:  w[:c],
			Span: source.Span{Start: base + ws[i].s, End: base + ws[i].e},
		})
		o := &opts[len(opts)-1]
		vs := ws[i].s + c + 1
		if vs == ws[i].e && isAWSOptionKey(o.Key) && i+1 < len(ws) && !isAWSOptionWord(raw[ws[i+1].s:ws[i+1].e]) {
			// `region: us-east-1`: REST Client reads an empty region.
			o.SpaceAfterColon = true
			i++
			o.Value = token(v, ws[i].s, ws[i].e)
			o.Span.End = base + ws[i].e
		} else {
			o.Value = token(v, vs, ws[i].e)
		}
		a.Options = append(a.Options, o)
	}
	return a
}

func isOptionKey(k string) bool {
	for i := 0; i < len(k); i++ {
		c := k[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' || c == '-') {
			return false
		}
	}
	return k != ""
}

// parseBasic reads `Basic user password` and `Basic user:password` (and
// Digest likewise); a single word without a colon (already base64) is not
// the dialect form.
func parseBasic(v *Template, ws []word) *BasicAuth {
	raw := v.Raw
	b := &BasicAuth{Scheme: raw[ws[0].s:ws[0].e]}
	switch {
	case len(ws) >= 3:
		b.User = token(v, ws[1].s, ws[1].e)
		b.Password = token(v, ws[2].s, ws[len(ws)-1].e)
	case len(ws) == 2:
		w := raw[ws[1].s:ws[1].e]
		c := colonOutsideBraces(w)
		if c < 0 {
			return nil
		}
		b.User = token(v, ws[1].s, ws[1].s+c)
		b.Password = token(v, ws[1].s+c+1, ws[1].e)
	default:
		return nil
	}
	return b
}
