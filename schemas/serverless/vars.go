package serverless

import (
	"regexp"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/gw403/gw403-lsp/schemas/yamlpos"
)

// Limits of one resolution: real files nest variables a few levels; the
// limits only stop hostile input (self-references, deep nesting).
const (
	maxVarDepth  = 16
	maxVarSteps  = 2000
	maxVarOutput = 64 << 10 // bytes a resolved value may have
)

type resolver struct {
	s     *Service
	steps int
	// stageUnknown resolves the stage variables to nothing (used while
	// reading provider.stage itself).
	stageUnknown bool
	// stage, when set, is the stage the variables resolve for (another
	// stage the file can be deployed to, see StagesOf).
	forStage string
}

// resolve replaces every ${…} of text, innermost first.
func (r *resolver) resolve(text string, depth int) (string, []string, bool) {
	var params []string
	var b strings.Builder
	for {
		r.steps++
		if depth > maxVarDepth || r.steps > maxVarSteps {
			return "", nil, false
		}
		i := strings.Index(text, "${")
		if i < 0 {
			b.WriteString(text)
			return b.String(), params, true
		}
		end := closing(text, i+2)
		if end < 0 {
			b.WriteString(text) // not a variable: an unclosed ${
			return b.String(), params, true
		}
		inner, ps, ok := r.resolve(text[i+2:end], depth+1) // nested: ${self:custom.${sls:stage}}
		if !ok {
			return "", nil, false
		}
		params = appendNew(params, ps...)
		v, ps, ok := r.expr(inner, depth+1)
		if !ok {
			return "", nil, false
		}
		params = appendNew(params, ps...)
		b.WriteString(text[:i])
		b.WriteString(v)
		if b.Len() > maxVarOutput {
			return "", nil, false // a value that doubles itself level after level
		}
		text = text[end+1:]
	}
}

// closing returns the index of the } that closes a ${ whose content starts
// at from, or -1.
func closing(t string, from int) int {
	depth := 0
	for i := from; i < len(t); i++ {
		switch {
		case t[i] == '$' && i+1 < len(t) && t[i+1] == '{':
			depth++
			i++
		case t[i] == '}':
			if depth == 0 {
				return i
			}
			depth--
		}
	}
	return -1
}

// expr resolves the content of one variable: `source:address` with
// comma-separated fallbacks (another source, a quoted string, a number).
func (r *resolver) expr(e string, depth int) (string, []string, bool) {
	var used []string
	for _, part := range splitTop(e) {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		if v, ok := literal(part); ok {
			return v, used, true
		}
		v, ps, ok := r.source(part, depth)
		if ok {
			return v, appendNew(used, ps...), true
		}
		used = appendNew(used, strings.TrimSpace(part))
	}
	return "", nil, false
}

// splitTop splits at commas outside quotes and parentheses.
func splitTop(e string) []string {
	var out []string
	depth, q, start := 0, byte(0), 0
	for i := 0; i < len(e); i++ {
		c := e[i]
		switch {
		case q != 0:
			if c == q {
				q = 0
			}
		case c == '\'' || c == '"':
			q = c
		case c == '(':
			depth++
		case c == ')':
			depth--
		case c == ',' && depth == 0:
			out = append(out, e[start:i])
			start = i + 1
		}
	}
	return append(out, e[start:])
}

// literal reads a quoted string, a number or a boolean fallback.
func literal(p string) (string, bool) {
	if len(p) >= 2 && (p[0] == '\'' || p[0] == '"') && p[len(p)-1] == p[0] {
		return p[1 : len(p)-1], true
	}
	if _, err := strconv.ParseFloat(p, 64); err == nil {
		return p, true
	}
	if p == "true" || p == "false" {
		return p, true
	}
	return "", false
}

// source resolves one `source:address` reference.
func (r *resolver) source(p string, depth int) (string, []string, bool) {
	src, addr, ok := strings.Cut(p, ":")
	if !ok {
		return "", nil, false
	}
	src, addr = strings.TrimSpace(src), strings.TrimSpace(addr)
	switch src {
	case "sls":
		if addr == "stage" {
			return r.stage()
		}
	case "opt":
		// CLI options are not known; --stage falls back to the file's.
		if addr == "stage" && r.forStage != "" {
			return r.forStage, r.s.Stage.Params(), true
		}
		return "", nil, false
	case "self":
		return r.self(addr, depth)
	case "aws":
		if addr == "region" && r.s.Region != "" {
			return r.s.Region, nil, true
		}
	}
	return "", nil, false // env, ssm, cf, s3, file(…), param … : not static
}

// stage is the value of ${sls:stage}.
func (r *resolver) stage() (string, []string, bool) {
	st := r.s.Stage
	if r.forStage != "" {
		return r.forStage, st.Params(), true
	}
	if r.stageUnknown || !st.Known {
		return "", nil, false
	}
	return st.Name, st.Params(), true
}

// self resolves ${self:a.b.c} in the service file.
func (r *resolver) self(addr string, depth int) (string, []string, bool) {
	switch addr {
	case "provider.stage":
		return r.stage()
	case "service", "service.name":
		if r.s.Name != "" && !strings.Contains(r.s.Name, "${") {
			return r.s.Name, nil, true
		}
	}
	n := r.s.Doc.Root
	if addr != "" {
		for _, k := range strings.Split(addr, ".") {
			n = yamlpos.Resolve(n)
			switch {
			case yamlpos.IsMap(n):
				n = yamlpos.Value(n, k)
			case yamlpos.IsSeq(n):
				i, err := strconv.Atoi(k)
				items := yamlpos.Items(n)
				if err != nil || i < 0 || i >= len(items) {
					return "", nil, false
				}
				n = items[i]
			default:
				return "", nil, false
			}
		}
	}
	n = yamlpos.Resolve(n)
	if n == nil || n.Kind != yaml.ScalarNode || n.Tag == "!!null" {
		return "", nil, false
	}
	return r.resolve(n.Value, depth+1)
}

func appendNew(set []string, names ...string) []string {
next:
	for _, n := range names {
		for _, s := range set {
			if s == n {
				continue next
			}
		}
		set = append(set, n)
	}
	return set
}

// ResolveForStage resolves text as a deployment to stage would: the
// stage variables (${sls:stage}, ${opt:stage}, ${self:provider.stage})
// are that stage.
func (s *Service) ResolveForStage(text, stage string) (string, []string, bool) {
	if !strings.Contains(text, "${") {
		return text, nil, true
	}
	r := &resolver{s: s, forStage: stage}
	return r.resolve(text, 0)
}

// stageKeyRE finds a lookup keyed by the stage: ${self:custom.domains.${sls:stage}}.
var stageKeyRE = regexp.MustCompile(`\$\{self:([A-Za-z0-9_.\-]+)\.\$\{(?:sls:stage|opt:stage[^}]*|self:provider\.stage)\}\}`)

// StagesOf returns the stages other than the file's default that text
// names by a per-stage lookup (the keys of custom.domains in
// ${self:custom.domains.${sls:stage}}), when the stage is not pinned.
func (s *Service) StagesOf(text string) []string {
	if s.Stage.Pinned || s.Doc == nil {
		return nil
	}
	var out []string
	for _, m := range stageKeyRE.FindAllStringSubmatch(text, 4) {
		n := s.Doc.Root
		for _, k := range strings.Split(m[1], ".") {
			n = yamlpos.Value(yamlpos.Resolve(n), k)
		}
		for _, p := range yamlpos.Pairs(yamlpos.Resolve(n)) {
			k := p.Key.Value
			if k != "" && k != s.Stage.Name && !strings.Contains(k, "${") {
				out = appendNew(out, k)
			}
		}
	}
	return out
}
