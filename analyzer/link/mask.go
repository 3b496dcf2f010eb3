package link

import (
	"sort"
	"strings"

	"github.com/gw403/gw403-lsp/analyzer/msg"
)

// secretMask replaces a private value.
const secretMask = "****"

// MinMaskedValue is the shortest private value masked by its value in
// free text: shorter ones ("1", "dev") would mask unrelated words.
const MinMaskedValue = 4

// MaskValues returns s with every occurrence of each value (compared
// without regard to ASCII case: hosts are lower-cased in messages)
// replaced by "****", longest values first. Values shorter than four bytes
// are not looked for.
func MaskValues(s string, values []string) string {
	if s == "" || len(values) == 0 {
		return s
	}
	vs := make([]string, 0, len(values))
	for _, v := range values {
		if len(v) >= MinMaskedValue && v != secretMask {
			vs = append(vs, v)
		}
	}
	sort.Slice(vs, func(i, j int) bool { return len(vs[i]) > len(vs[j]) })
	for _, v := range vs {
		s = replaceFold(s, v)
	}
	return s
}

// replaceFold replaces the occurrences of v in s, ASCII case ignored.
func replaceFold(s, v string) string {
	ls, lv := asciiLower(s), asciiLower(v)
	if !strings.Contains(ls, lv) {
		return s
	}
	var b strings.Builder
	at := 0
	for {
		i := strings.Index(ls[at:], lv)
		if i < 0 {
			break
		}
		b.WriteString(s[at : at+i])
		b.WriteString(secretMask)
		at += i + len(lv)
	}
	b.WriteString(s[at:])
	return b.String()
}

// asciiLower lower-cases ASCII letters only, so byte offsets are kept.
func asciiLower(s string) string {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= 'A' && c <= 'Z' {
			b := []byte(s)
			for j := i; j < len(b); j++ {
				if c := b[j]; c >= 'A' && c <= 'Z' {
					b[j] = c + 'a' - 'A'
				}
			}
			return string(b)
		}
	}
	return s
}

// secretTexts returns the values of u that came from a private source:
// each secret piece, and the host when a secret piece makes part of it.
func secretTexts(u *URL) []string {
	if u == nil || u.Exp == nil {
		return nil
	}
	var out []string
	for _, p := range u.Exp.Pieces {
		if p.Secret && !p.Unknown {
			out = append(out, p.Text)
		}
	}
	if len(out) > 0 && u.HostEnd > u.HostStart && u.Exp.secretIn(u.HostStart, u.HostEnd) {
		out = append(out, u.Host, u.HostInfo.Name)
	}
	return out
}

// maskText masks the private values of u in both languages of t.
func maskText(t msg.Text, u *URL) msg.Text {
	vals := secretTexts(u)
	if len(vals) == 0 {
		return t
	}
	return msg.Text{EN: MaskValues(t.EN, vals), JA: MaskValues(t.JA, vals)}
}
