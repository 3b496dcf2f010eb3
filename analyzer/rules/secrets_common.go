package rules

import (
	"path/filepath"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/gw403/gw403-lsp/analyzer"
	"github.com/gw403/gw403-lsp/analyzer/link"
	"github.com/gw403/gw403-lsp/analyzer/msg"
	"github.com/gw403/gw403-lsp/schemas/env"
	"github.com/gw403/gw403-lsp/schemas/source"
	"github.com/gw403/gw403-lsp/schemas/yamlpos"
)

// Helpers of the security rules GW501 and GW502. Nothing here ever puts a
// secret into a message; the move fixes carry the value in their edits,
// which is what moving it means.

// holdsSecretsByDesign reports whether a file is meant to hold secrets, so
// that GW501/GW502 stay quiet on it: `http-client.private.env.json`,
// dotenv files (`.env`, `.env.*`, `*.env`) and files git ignores.
func holdsSecretsByDesign(fd *link.FileData) bool {
	if fd.Ignored {
		return true
	}
	base := strings.ToLower(filepath.Base(fd.Path))
	if base == env.PrivateEnvJSONName || base == ".env" || strings.HasPrefix(base, ".env.") || strings.HasSuffix(base, ".env") {
		return true
	}
	if ef := fd.Env; ef != nil && (ef.Kind == env.SourcePrivateEnvJSON || ef.Kind == env.SourceDotEnv) {
		return true
	}
	return false
}

// secretKind says what a text holds.
type secretKind struct {
	keyID, tempKeyID, secret bool
}

func (k secretKind) any() bool { return k.keyID || k.tempKeyID || k.secret }

// describe names what was found, never the value.
func (k secretKind) describe() msg.Text {
	id := msg.Text{EN: "an AWS access key id (AKIA…)", JA: "AWS アクセスキー ID（AKIA…）"}
	if k.tempKeyID && !k.keyID {
		id = msg.Text{EN: "a temporary AWS access key id (ASIA…)", JA: "一時的な AWS アクセスキー ID（ASIA…）"}
	}
	switch {
	case (k.keyID || k.tempKeyID) && k.secret:
		return msg.T("%s and a secret access key", "%sとシークレットアクセスキー", id)
	case k.secret:
		return msg.Text{EN: "an AWS secret access key", JA: "AWS シークレットアクセスキー"}
	}
	return id
}

func isKeyChar(c byte) bool {
	return c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9'
}

// secretChars marks the bytes of [A-Za-z0-9/+].
var secretChars = func() (t [256]bool) {
	for c := 0; c < 256; c++ {
		t[c] = isKeyChar(byte(c)) || c == '/' || c == '+'
	}
	return t
}()

func isSecretChar(c byte) bool { return secretChars[c] }

// findKeyIDs returns the byte ranges of access key ids (AKIA…/ASIA…, 20
// characters, not part of a longer word) in s; AWS's documentation
// placeholders (…EXAMPLE) are not keys.
func findKeyIDs(s string) (ranges [][2]int, temp []bool) {
	for i := 0; i+20 <= len(s); i++ {
		if s[i] != 'A' {
			k := strings.IndexByte(s[i:], 'A')
			if k < 0 {
				break
			}
			i += k
			if i+20 > len(s) {
				break
			}
		}
		if !(strings.HasPrefix(s[i:], "AKIA") || strings.HasPrefix(s[i:], "ASIA")) {
			continue
		}
		if i > 0 && isKeyChar(s[i-1]) {
			continue
		}
		w := s[i : i+20]
		if !accessKeyIDRE.MatchString(w) || strings.HasSuffix(w, "EXAMPLE") {
			continue
		}
		if i+20 < len(s) && isKeyChar(s[i+20]) {
			continue
		}
		ranges = append(ranges, [2]int{i, i + 20})
		temp = append(temp, w[:4] == "ASIA")
		i += 19
	}
	return ranges, temp
}

// looksLikeSecretKey reports whether w (exactly 40 characters of
// [A-Za-z0-9/+]) has the mix of a secret access key: upper and lower case
// letters and a digit or symbol. Hex digests (git SHA-1s) and words do not.
func looksLikeSecretKey(w string) bool {
	if len(w) != 40 || strings.Contains(w, "EXAMPLE") {
		return false
	}
	var up, low, other bool
	for i := 0; i < len(w); i++ {
		c := w[i]
		switch {
		case c >= 'A' && c <= 'Z':
			up = true
		case c >= 'a' && c <= 'z':
			low = true
		case isSecretChar(c):
			other = true
		default:
			return false
		}
	}
	return up && low && other
}

// findSecretKeys returns the ranges of 40-character secret access keys in
// s that stand in a credential position: after the name of a secret access
// key (secretAccessKeyNames), or after an access key id (`AKIA… <secret>`).
// It looks at each maximal run of [A-Za-z0-9/+] once, so it is linear in
// len(s).
func findSecretKeys(s string, ids [][2]int) [][2]int {
	var out [][2]int
	secretAt, named := -1, false // where a secret key's name first appears, once needed
	for i := 0; i < len(s); {
		if !isSecretChar(s[i]) {
			i++
			continue
		}
		j := i
		for j < len(s) && isSecretChar(s[j]) {
			j++
		}
		if j-i == 40 && (j == len(s) || s[j] != '=') && looksLikeSecretKey(s[i:j]) {
			if !named {
				secretAt, named = secretNameAt(s), true
			}
			ctx := secretAt >= 0 && secretAt < i
			for _, r := range ids {
				if r[1] <= i && strings.TrimLeft(s[r[1]:i], " \t:,\"'") == "" {
					ctx = true
				}
			}
			if ctx {
				out = append(out, [2]int{i, j})
			}
		}
		i = j
	}
	return out
}

// secretKeyRuns returns the ranges of the maximal [A-Za-z0-9/+] runs of s
// that findSecretKeys would take for a secret key when the context says
// so: 40 characters with the mix of a secret key, not followed by '='.
// It reads one byte in 40 where the text has no long runs: every run of
// 40 characters that starts at or after i holds s[i+39] when it starts
// by then.
func secretKeyRuns(s string) [][2]int {
	var out [][2]int
	// i is where a run may start: 0, or after a byte that is not part of
	// one.
	for i := 0; i+40 <= len(s); {
		p := i + 39
		if !isSecretChar(s[p]) {
			i = p + 1
			continue
		}
		k, j := p, p+1 // the run through p: [k, j)
		for k > i && isSecretChar(s[k-1]) {
			k--
		}
		for j < len(s) && isSecretChar(s[j]) {
			j++
		}
		if j-k == 40 && (j == len(s) || s[j] != '=') && looksLikeSecretKey(s[k:j]) {
			out = append(out, [2]int{k, j})
		}
		i = j + 1
	}
	return out
}

// secretNameAt returns the offset in strings.ToLower(s) of the first
// secret access key name (secretAccessKeyNames), or -1.
func secretNameAt(s string) int {
	lower := strings.ToLower(s)
	at := -1
	for _, n := range secretAccessKeyNames {
		if k := strings.Index(lower, n); k >= 0 && (at < 0 || k < at) {
			at = k
		}
	}
	return at
}

// secretAccessKeyNames are (lower-case) parts of names that hold an AWS
// secret access key; other secrets (an OAuth client_secret) are not AWS's.
var secretAccessKeyNames = []string{"secretaccesskey", "secret_access_key", "secret-access-key", "secretkey", "secret_key", "aws_secret", "awssecret"}

// scanSecrets reports what AWS credentials text holds (context is text
// before it that names it, such as the variable name).
func scanSecrets(context, text string) secretKind {
	s := context + text
	ids, temp := findKeyIDs(s)
	var k secretKind
	for j := range ids {
		if ids[j][1] <= len(context) {
			continue
		}
		if temp[j] {
			k.tempKeyID = true
		} else {
			k.keyID = true
		}
	}
	for _, r := range findSecretKeys(s, ids) {
		if r[1] > len(context) {
			k.secret = true
		}
	}
	return k
}

// isAPIKeyVarName reports whether an env variable name is an API key's.
func isAPIKeyVarName(name string) bool {
	n := normVarName(name)
	return strings.HasSuffix(n, "apikey") || n == "xapikey"
}

// looksLikeRealAPIKey reports whether a literal x-api-key value could be a
// real API Gateway key: API Gateway keys are 20 to 128 characters, so
// shorter values are local test values; generated keys mix letters and
// digits, while placeholders ("set-in-http-client.private.env.json",
// "your-api-key-here", "<api-key>", "xxxx…") are words.
func looksLikeRealAPIKey(v string) bool {
	v = strings.TrimSpace(v)
	if len(v) < 20 || len(v) > 128 || strings.ContainsAny(v, " \t<>{}") {
		return false
	}
	l := strings.ToLower(v)
	for _, ph := range []string{"your", "here", "example", "placeholder", "changeme", "change-me", "xxxx", "dummy",
		"sample", "replace", "fake", "test-key", "testkey", "set-in", "private", "secret", "todo", "insert", "enter-", ".json", ".env"} {
		if strings.Contains(l, ph) {
			return false
		}
	}
	var letter, digit bool
	same := true
	for i := 0; i < len(v); i++ {
		c := v[i]
		switch {
		case c >= '0' && c <= '9':
			digit = true
		case c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z':
			letter = true
		}
		if c != v[0] {
			same = false
		}
	}
	return letter && digit && !same
}

// envVarLine is one offending env variable.
type envVarLine struct {
	env  *env.Environment
	val  *env.Value
	line int
}

// offendingEnvVars returns, one per line, the string variables of an env
// file for which match is true, in file order; several on one line come
// back together (the finding is per line).
func offendingEnvVars(fd *link.FileData, match func(*env.Value) bool) [][]envVarLine {
	ef := fd.Env
	if ef == nil {
		return nil
	}
	var out [][]envVarLine
	byLine := map[int]int{}
	for _, e := range ef.Envs {
		for _, v := range e.Vars {
			if v.Kind != env.ValueString || v.Origin.Span.IsEmpty() || !match(v) {
				continue
			}
			l := fd.Src.LineOf(v.Origin.Span.Start)
			if i, ok := byLine[l]; ok {
				out[i] = append(out[i], envVarLine{e, v, l})
				continue
			}
			byLine[l] = len(out)
			out = append(out, []envVarLine{{e, v, l}})
		}
	}
	return out
}

// runSecretRule is the Run of a rule that finds secrets written in
// committed files: inRequest looks at request files, inEnv at env files;
// files that hold secrets by design are skipped.
func runSecretRule(inRequest, inEnv func(*analyzer.Pass)) func(*analyzer.Pass) error {
	return func(p *analyzer.Pass) error {
		fd := p.File
		if fd.Src == nil || holdsSecretsByDesign(fd) {
			return nil
		}
		switch fd.Kind {
		case link.KindHTTP:
			inRequest(p)
		case link.KindEnv:
			inEnv(p)
		}
		return nil
	}
}

// reportEnvSecrets reports each line of offending env variables with the
// message message gives it, and, when the line holds one variable, the
// fix that moves it to the private env file.
func reportEnvSecrets(p *analyzer.Pass, lines [][]envVarLine, message func(vs []envVarLine) msg.Text) {
	for _, vs := range lines {
		first := vs[0]
		d := analyzer.Diagnostic{Span: first.val.Origin.Span, Message: message(vs)}
		if len(vs) == 1 {
			if f := moveToPrivateEnv(p.Snap, p.File, first.env, first.val); f != nil {
				d.Fixes = []analyzer.Fix{*f}
			}
		}
		p.Report(d)
	}
}

// moveToPrivateEnv returns the fix that moves one variable of a public
// `http-client.env.json` to the `http-client.private.env.json` beside it:
// delete it from the public file and add it, value token copied verbatim,
// to the same environment of the private file (creating the environment
// object when missing; not adding it when the private file already
// defines it; safe only when both values are equal). JetBrains, httpyac and kulala
// merge the private file over the public one, so requests resolve the
// same value. nil when the private file does not exist (a fix cannot
// create files) or either file cannot be edited safely.
func moveToPrivateEnv(snap *link.Snapshot, fd *link.FileData, e *env.Environment, v *env.Value) *analyzer.Fix {
	ef := fd.Env
	if ef == nil || ef.Kind != env.SourceEnvJSON {
		return nil
	}
	privPath := filepath.Join(filepath.Dir(fd.Path), env.PrivateEnvJSONName)
	priv := snap.Files[privPath]
	if priv == nil || priv.Src == nil || len(priv.Problems) > 0 {
		return nil
	}
	pubDoc, err := yamlpos.Parse(fd.Src)
	if err != nil || !pubDoc.JSON {
		return nil
	}
	privDoc, err := yamlpos.Parse(priv.Src)
	if err != nil || !privDoc.JSON {
		return nil
	}
	pubEnv := yamlpos.Value(docRoot(pubDoc), e.Name)
	if pubEnv == nil || pubEnv.Kind != yaml.MappingNode {
		return nil
	}
	if k, vn := yamlpos.Get(pubEnv, v.Name); k == nil || vn == nil || pubDoc.Span(vn) != v.Origin.Span {
		return nil // a nested or repeated key: not this simple move
	}
	del, err := pubDoc.DeleteKey(pubEnv, v.Name)
	if err != nil {
		return nil
	}
	edits := []analyzer.Edit{{Path: fd.Path, Span: del.Span, NewText: del.NewText}}
	raw := yamlpos.Raw(fd.Src.Slice(v.Origin.Span))
	privRoot := docRoot(privDoc)
	if privRoot == nil || privRoot.Kind != yaml.MappingNode {
		return nil
	}
	var ins yamlpos.Edit
	safe := true
	switch privEnv := yamlpos.Value(privRoot, e.Name); {
	case privEnv == nil:
		ins, err = privDoc.InsertKey(privRoot, e.Name, yamlpos.Map{{Key: v.Name, Value: raw}})
	case privEnv.Kind != yaml.MappingNode:
		return nil
	case yamlpos.Value(privEnv, v.Name) != nil:
		// The private file defines it too: deleting the public value is
		// enough. Clients disagree on which of two different values wins,
		// so that is only safe when they are equal.
		safe = priv.Src.Slice(privDoc.Span(yamlpos.Value(privEnv, v.Name))) == string(raw)
	default:
		ins, err = privDoc.InsertKey(privEnv, v.Name, raw)
	}
	if err != nil {
		return nil
	}
	if ins.NewText != "" || !ins.Span.IsEmpty() {
		edits = append(edits, analyzer.Edit{Path: privPath, Span: ins.Span, NewText: ins.NewText, Secret: true})
	}
	return &analyzer.Fix{
		Title:     msg.T("Move %q to %s", "%q を %s に移動", v.Name, env.PrivateEnvJSONName),
		Edits:     edits,
		Safe:      safe,
		Preferred: true,
	}
}

// docRoot returns the top-level node of a parsed document.
func docRoot(d *yamlpos.Doc) *yaml.Node {
	n := d.Root
	if n != nil && n.Kind == yaml.DocumentNode && len(n.Content) > 0 {
		n = n.Content[0]
	}
	return n
}

// envVarWhere names an env variable for a message: `"awsSecretAccessKey"
// (env dev)`.
func envVarWhere(e *env.Environment, v *env.Value) string {
	return `"` + v.Name + `" (env ` + e.Name + `)`
}

// trimmedLine returns the span of line l without leading blanks.
func trimmedLine(src *source.File, l int) source.Span {
	sp := src.LineSpan(l)
	t := src.Slice(sp)
	return source.Span{Start: sp.Start + len(t) - len(strings.TrimLeft(t, " \t")), End: sp.End}
}
