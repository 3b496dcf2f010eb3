package env

import (
	"strings"

	"github.com/gw403/gw403-lsp/schemas/httpfile"
	"github.com/gw403/gw403-lsp/schemas/source"
)

// ParseEnvJSON parses a JetBrains `http-client.env.json` (private=false)
// or `http-client.private.env.json` (private=true): environments are the
// top-level keys (`$shared` included, `$schema` ignored); values may be
// strings, numbers, bools, null, or objects (also flattened as "a.b");
// `SSLConfiguration` and `Security.Auth` are read into their own fields.
// Values of the private file are Secret. Comments and trailing commas are
// accepted. On a syntax error the Problem points at it and what was read
// before it is kept.
func ParseEnvJSON(src *source.File, private bool) (*EnvFile, []Problem) {
	kind := SourceEnvJSON
	if private {
		kind = SourcePrivateEnvJSON
	}
	f := &EnvFile{Path: src.Path, Kind: kind}
	root, problems := parseJSON(src)
	b := builder{src: src, f: f, secret: private}
	if root != nil && root.kind != jObject {
		problems = append(problems, Problem{Path: src.Path, Span: root.span, Message: "an env file must hold a JSON object of environments"})
		return f, problems
	}
	problems = append(problems, b.envs(root)...)
	return f, problems
}

// ParseVSCodeSettings parses a VS Code `settings.json` (JSONC):
// `rest-client.environmentVariables` and `httpyac.environmentVariables`
// give environments (with `$shared`), `rest-client.certificates` the
// client certificates by host[:port].
func ParseVSCodeSettings(src *source.File) (*EnvFile, []Problem) {
	return parseSettings(src, SourceVSCodeSettings,
		[]string{"rest-client.environmentVariables", "httpyac.environmentVariables"},
		"rest-client.certificates")
}

// ParseHttpyacConfig parses an httpyac `.httpyac.json`: `environments`
// (with `$shared` and `$default`) and `clientCertificates` by host.
func ParseHttpyacConfig(src *source.File) (*EnvFile, []Problem) {
	return parseSettings(src, SourceHttpyacConfig, []string{"environments"}, "clientCertificates")
}

func parseSettings(src *source.File, kind SourceKind, envKeys []string, certKey string) (*EnvFile, []Problem) {
	f := &EnvFile{Path: src.Path, Kind: kind}
	root, problems := parseJSON(src)
	if root == nil {
		return f, problems
	}
	if root.kind != jObject {
		return f, append(problems, Problem{Path: src.Path, Span: root.span, Message: "a settings file must hold a JSON object"})
	}
	b := builder{src: src, f: f}
	for _, key := range envKeys {
		if n := root.get(key); n != nil {
			if n.kind != jObject {
				problems = append(problems, Problem{Path: src.Path, Span: n.span, Message: key + " must be an object of environments"})
				continue
			}
			problems = append(problems, b.envs(n)...)
		}
	}
	if n := root.get(certKey); n != nil {
		problems = append(problems, b.certs(n, certKey)...)
	}
	return f, problems
}

type builder struct {
	src    *source.File
	f      *EnvFile
	secret bool
}

func (b *builder) origin(env string, n *jnode, nameSpan source.Span) Origin {
	return Origin{Kind: b.f.Kind, Path: b.f.Path, Span: n.span, NameSpan: nameSpan, Env: env, Secret: b.secret}
}

// envs reads an object of environments.
func (b *builder) envs(root *jnode) []Problem {
	var problems []Problem
	if root == nil {
		return nil
	}
	for _, m := range root.members {
		if m.key == "$schema" {
			continue
		}
		if m.val.kind != jObject {
			problems = append(problems, Problem{Path: b.f.Path, Span: m.val.span, Message: "environment " + quote(m.key) + " must be an object of variables"})
			continue
		}
		e := &Environment{Name: m.key, NameSpan: m.keySpan}
		for _, v := range m.val.members {
			switch v.key {
			case "SSLConfiguration":
				if v.val.kind == jObject {
					e.SSL = b.ssl(e.Name, v.val)
					continue
				}
			case "Security":
				if auth := v.val.get("Auth"); auth != nil && auth.kind == jObject {
					e.Auth = b.auth(e.Name, auth)
					continue
				}
			}
			e.Vars = b.addValue(e.Vars, e.Name, v.key, v.keySpan, v.val)
		}
		b.f.Envs = append(b.f.Envs, e)
	}
	return problems
}

// addValue appends the variable (and, for objects, its flattened members).
func (b *builder) addValue(vars []*Value, env, name string, nameSpan source.Span, n *jnode) []*Value {
	v := b.value(env, name, nameSpan, n)
	vars = append(vars, v)
	if n.kind == jObject {
		for _, m := range n.members {
			vars = b.addValue(vars, env, name+"."+m.key, m.keySpan, m.val)
		}
	}
	return vars
}

func (b *builder) value(env, name string, nameSpan source.Span, n *jnode) *Value {
	v := &Value{Name: name, Origin: b.origin(env, n, nameSpan)}
	switch n.kind {
	case jString:
		v.Kind = ValueString
		v.Text = n.str
		v.Template = stringTemplate(n)
		return v
	case jNumber:
		v.Kind = ValueNumber
	case jBool:
		v.Kind = ValueBool
	case jNull:
		v.Kind = ValueNull
		v.Template = httpfile.Template{Span: n.span}
		return v
	case jObject:
		v.Kind = ValueObject
	case jArray:
		v.Kind = ValueArray
	}
	if n.kind == jObject || n.kind == jArray {
		v.Text = b.src.Slice(n.span)
	} else {
		v.Text = n.str
	}
	v.Template = httpfile.Template{Raw: v.Text, Span: n.span}
	return v
}

// stringTemplate returns the template of a JSON string value; reference
// spans point into the file when the string has no escapes.
func stringTemplate(n *jnode) httpfile.Template {
	if !n.escaped {
		return httpfile.ParseTemplate(n.str, n.span.Start+1)
	}
	t := httpfile.ParseTemplate(n.str, 0)
	t.Span = n.span
	for _, r := range t.Refs {
		r.Span = n.span
	}
	return t
}

func (b *builder) ssl(env string, n *jnode) *SSLConfig {
	c := &SSLConfig{Origin: b.origin(env, n, source.Span{})}
	path := func(m jmember) *Value {
		v := m.val
		if v.kind == jObject { // {"path": "cert.pem", "format": "PEM"}
			if p := v.get("path"); p != nil {
				v = p
			}
		}
		return b.value(env, m.key, m.keySpan, v)
	}
	for _, m := range n.members {
		switch m.key {
		case "clientCertificate":
			c.ClientCertificate = path(m)
		case "clientCertificateKey":
			c.ClientCertificateKey = path(m)
		case "hasCertificatePassphrase":
			c.HasCertificatePassphrase = m.val.kind == jBool && m.val.str == "true"
		case "verifyHostCertificate":
			if m.val.kind == jBool {
				on := m.val.str == "true"
				c.VerifyHostCertificate = &on
			}
		}
	}
	return c
}

func (b *builder) auth(env string, n *jnode) []*AuthConfig {
	var out []*AuthConfig
	for _, m := range n.members {
		a := &AuthConfig{ID: m.key, Origin: b.origin(env, m.val, m.keySpan)}
		for _, fm := range m.val.members {
			v := b.value(env, fm.key, fm.keySpan, fm.val)
			a.Fields = append(a.Fields, v)
			if fm.key == "Type" {
				a.Type = v.Text
			}
		}
		out = append(out, a)
	}
	return out
}

func (b *builder) certs(n *jnode, key string) []Problem {
	if n.kind != jObject {
		return []Problem{{Path: b.f.Path, Span: n.span, Message: key + " must be an object keyed by host"}}
	}
	var problems []Problem
	for _, m := range n.members {
		if m.val.kind != jObject {
			problems = append(problems, Problem{Path: b.f.Path, Span: m.val.span, Message: "certificate entry for " + quote(m.key) + " must be an object"})
			continue
		}
		c := &ClientCert{Host: m.key, Origin: b.origin("", m.val, m.keySpan)}
		for _, f := range m.val.members {
			v := b.value("", f.key, f.keySpan, f.val)
			switch f.key {
			case "cert":
				c.Cert = v
			case "key":
				c.Key = v
			case "pfx":
				c.Pfx = v
			case "passphrase":
				v.Origin.Secret = true
				c.Phase = v
			}
		}
		b.f.Certs = append(b.f.Certs, c)
	}
	return problems
}

func quote(s string) string { return `"` + s + `"` }

// ParseDotEnv parses a dotenv file: `KEY=value`, `export KEY=value`,
// `KEY: value`, single, double and back quotes (multi-line allowed; `\n`
// and `\r` expand inside double quotes), `#` comments (an unquoted value
// ends at `#`). All values are Secret. A line that is none of these is a
// Problem; parsing goes on.
func ParseDotEnv(src *source.File) (*EnvFile, []Problem) {
	f := &EnvFile{Path: src.Path, Kind: SourceDotEnv}
	var problems []Problem
	text := src.Text
	pos := 0
	if strings.HasPrefix(text, "\uFEFF") {
		pos = 3
	}
	for pos < len(text) {
		end := lineEnd(text, pos)
		next := nextLine(text, end)
		ts := pos
		for ts < end && (text[ts] == ' ' || text[ts] == '\t') {
			ts++
		}
		if ts == end || text[ts] == '#' {
			pos = next
			continue
		}
		k := ts
		if strings.HasPrefix(text[k:end], "export ") || strings.HasPrefix(text[k:end], "export\t") {
			k += len("export")
			for k < end && (text[k] == ' ' || text[k] == '\t') {
				k++
			}
		}
		ks := k
		for k < end && isDotEnvKeyChar(text[k]) {
			k++
		}
		ke := k
		for k < end && (text[k] == ' ' || text[k] == '\t') {
			k++
		}
		if ke == ks || k >= end || text[k] != '=' && text[k] != ':' {
			problems = append(problems, Problem{Path: src.Path, Span: source.Span{Start: ts, End: end}, Message: "not a KEY=value line"})
			pos = next
			continue
		}
		k++ // = or :
		for k < end && (text[k] == ' ' || text[k] == '\t') {
			k++
		}
		v := &Value{Name: text[ks:ke], Origin: Origin{Kind: SourceDotEnv, Path: src.Path, NameSpan: source.Span{Start: ks, End: ke}, Secret: true}}
		if k < end && (text[k] == '"' || text[k] == '\'' || text[k] == '`') {
			q := text[k]
			closeAt := findQuote(text, k+1, q)
			if closeAt < 0 {
				problems = append(problems, Problem{Path: src.Path, Span: source.Span{Start: k, End: k + 1}, Message: "unterminated quoted value"})
				v.Text = text[k+1 : end]
				v.Origin.Span = source.Span{Start: k, End: end}
				v.Template = httpfile.ParseTemplate(v.Text, k+1)
				f.Vars = append(f.Vars, v)
				pos = next
				continue
			}
			raw := text[k+1 : closeAt]
			v.Origin.Span = source.Span{Start: k, End: closeAt + 1}
			if q == '"' && (strings.Contains(raw, `\n`) || strings.Contains(raw, `\r`)) {
				v.Text = strings.NewReplacer(`\n`, "\n", `\r`, "\r").Replace(raw)
				v.Template = httpfile.ParseTemplate(v.Text, 0)
				v.Template.Span = v.Origin.Span
				for _, r := range v.Template.Refs {
					r.Span = v.Origin.Span
				}
			} else {
				v.Text = raw
				v.Template = httpfile.ParseTemplate(raw, k+1)
			}
			f.Vars = append(f.Vars, v)
			// The rest of the closing line may hold a comment.
			cend := lineEnd(text, closeAt)
			pos = nextLine(text, cend)
			continue
		}
		ve := end
		if h := strings.IndexByte(text[k:end], '#'); h >= 0 {
			ve = k + h
		}
		for ve > k && (text[ve-1] == ' ' || text[ve-1] == '\t') {
			ve--
		}
		v.Text = text[k:ve]
		v.Origin.Span = source.Span{Start: k, End: ve}
		v.Template = httpfile.ParseTemplate(v.Text, k)
		f.Vars = append(f.Vars, v)
		pos = next
	}
	return f, problems
}

func isDotEnvKeyChar(c byte) bool {
	return c == '_' || c == '.' || c == '-' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

// findQuote returns the index of the closing quote q at or after i, skipping
// backslash-escaped quotes, or -1.
func findQuote(text string, i int, q byte) int {
	for i < len(text) {
		switch text[i] {
		case '\\':
			i += 2
			continue
		case q:
			return i
		}
		i++
	}
	return -1
}

func lineEnd(text string, pos int) int {
	for i := pos; i < len(text); i++ {
		if text[i] == '\n' || text[i] == '\r' {
			return i
		}
	}
	return len(text)
}

func nextLine(text string, end int) int {
	if end >= len(text) {
		return len(text)
	}
	if text[end] == '\r' && end+1 < len(text) && text[end+1] == '\n' {
		return end + 2
	}
	return end + 1
}
