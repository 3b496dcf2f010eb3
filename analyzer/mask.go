package analyzer

import (
	"context"
	"sort"
	"strings"

	"github.com/gw403/gw403-lsp/schemas/env"
)

// Values from a private source (the private env file, dotenv files, the
// process environment) are shown as "****" wherever they appear: in URLs
// (Expanded.Display) by their ranges, and in texts built from them (a link
// reason naming the host, a captured URL `explain` prints) by their value.

// secretMask replaces a private value.
const secretMask = "****"

// minMaskedValue is the shortest private value masked by its value in
// free text: shorter ones ("1", "dev") would mask unrelated words.
const minMaskedValue = 4

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
		if len(v) >= minMaskedValue && v != secretMask {
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
func maskText(t Text, u *URL) Text {
	vals := secretTexts(u)
	if len(vals) == 0 {
		return t
	}
	return Text{EN: MaskValues(t.EN, vals), JA: MaskValues(t.JA, vals)}
}

// SecretValues returns the values the workspace's env files define from a
// private source, for output that prints text the analyzer did not build
// itself (`explain` prints a captured request, which may hold the same
// key): every value of http-client.private.env.json, the values of dotenv
// files (all private, many of them plain settings such as STAGE=prod)
// from eight bytes on.
func (w *Workspace) SecretValues(ctx context.Context) []string {
	snap := w.snapshot(ctx)
	seen := map[string]bool{}
	var out []string
	add := func(v *env.Value) {
		if v == nil || !v.Origin.Secret || strings.Contains(v.Text, "{{") || len(v.Text) < minMaskedValue || seen[v.Text] {
			return
		}
		if v.Origin.Kind != env.SourcePrivateEnvJSON && len(v.Text) < 8 {
			return
		}
		if v.Kind != env.ValueString && v.Kind != env.ValueNumber {
			return
		}
		seen[v.Text] = true
		out = append(out, v.Text)
	}
	for _, p := range snap.sortedPaths() {
		ef := snap.Files[p].ext.Env
		if ef == nil {
			continue
		}
		for _, e := range ef.Envs {
			for _, v := range e.Vars {
				add(v)
			}
		}
		for _, v := range ef.Vars {
			add(v)
		}
	}
	return out
}
