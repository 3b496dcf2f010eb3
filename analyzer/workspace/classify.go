package workspace

import (
	"path/filepath"
	"strings"

	"github.com/gw403/gw403-lsp/analyzer/link"
	"github.com/gw403/gw403-lsp/schemas/terraform"
)

// Which files are read as what (DESIGN.md, "Which files are read as
// what"): a file is classified by its name first and, for YAML and JSON,
// by a cheap look at its top-level keys, before any full parse. A file
// that is not one we read is skipped silently; only a file we read that is
// malformed gets a GW001.
//
// The tables below are the one place to teach the analyzer a new kind of
// file: add a nameRule (checked in order, first match wins) and, for a
// format decided by content, a contentRule.

// nameRule classifies a file by its name. match gets the lower-case base
// name and the slash-separated lower-case path.
type nameRule struct {
	match func(base, path string) bool
	kind  link.FileKind
	// candidate: YAML/JSON whose kind is decided by sniffing the content
	// (kind is then KindOther until sniffed).
	candidate bool
}

// notOurs are YAML/JSON files that are never templates, OpenAPI documents
// or env files, whatever they hold.
var notOurs = map[string]bool{
	"package.json": true, "package-lock.json": true, "tsconfig.json": true, "jsconfig.json": true,
	"composer.json": true, "composer.lock": true, "launch.json": true, "tasks.json": true,
	"extensions.json": true, "cdk.context.json": true,
	"samconfig.yaml": true, "samconfig.yml": true, "samconfig.json": true,
	".pre-commit-config.yaml": true, ".pre-commit-hooks.yaml": true, "pnpm-lock.yaml": true,
	"appspec.yml": true, "appspec.yaml": true, "appspec.json": true,
	"docker-compose.yml": true, "docker-compose.yaml": true, "compose.yml": true, "compose.yaml": true,
	".gitlab-ci.yml": true, "bitbucket-pipelines.yml": true, "azure-pipelines.yml": true,
	"mkdocs.yml": true, "_config.yml": true, "codecov.yml": true, ".travis.yml": true,
	"dependabot.yml": true, "renovate.json": true, ".eslintrc.json": true, ".prettierrc.json": true,
	"chart.yaml": true, "values.yaml": true, "kustomization.yaml": true, "kustomization.yml": true,
	"pubspec.yaml": true, "environment.yml": true, "environment.yaml": true,
	// SAM local --env-vars (function → variables) and event payloads.
	"env.json": true, ".env.json": true, "locals.json": true,
}

// notOursPath reports files that are not ours by where they are: CI
// workflows, CodeBuild specs, vendored SDK data.
func notOursPath(base, path string) bool {
	switch {
	case strings.HasPrefix(base, "buildspec") && isYAMLName(base),
		strings.HasPrefix(base, "docker-compose") && isYAMLName(base),
		strings.Contains(path, "/.github/workflows/"), strings.HasPrefix(path, ".github/workflows/"),
		strings.Contains(path, "/.github/actions/"), strings.Contains(path, "/.circleci/"),
		strings.Contains(path, "/botocore/data/"):
		return true
	}
	return false
}

func isYAMLName(base string) bool {
	return strings.HasSuffix(base, ".yaml") || strings.HasSuffix(base, ".yml")
}

// nameRules are checked in order; the first match wins.
var nameRules = []nameRule{
	{match: func(b, _ string) bool { return strings.HasSuffix(b, ".http") || strings.HasSuffix(b, ".rest") }, kind: link.KindHTTP},
	{match: func(b, _ string) bool {
		return b == "http-client.env.json" || b == "http-client.private.env.json" || b == ".httpyac.json"
	}, kind: link.KindEnv},
	{match: func(b, p string) bool { return b == "settings.json" && strings.HasSuffix(p, ".vscode/settings.json") }, kind: link.KindEnv},
	// dotenv: `.env`, `.env.<name>` and httpyac's `<name>.env`; never
	// `.env.json` (SAM local's --env-vars JSON) or other JSON/YAML.
	{match: func(b, _ string) bool {
		return (b == ".env" || strings.HasPrefix(b, ".env.") || strings.HasSuffix(b, ".env")) &&
			!strings.HasSuffix(b, ".json") && !isYAMLName(b)
	}, kind: link.KindEnv},
	{match: func(b, _ string) bool { return b == ".gw403.yaml" || b == ".gw403.yml" }, kind: link.KindConfig},
	// Terraform configurations and variable files (*.tf, *.tfvars).
	{match: func(b, _ string) bool { return terraform.IsTerraformName(b) }, kind: link.KindTerraform},
	{match: func(b, _ string) bool { return b == "serverless.yml" || b == "serverless.yaml" }, kind: link.KindServerless},
	// A CDK app: its synthesized templates are listed with it (cdkTemplates).
	{match: func(b, _ string) bool { return b == "cdk.json" }, kind: link.KindCDKApp},
	{match: func(b, p string) bool { return notOurs[b] || notOursPath(b, p) }, kind: link.KindOther},
	{match: func(b, _ string) bool {
		return isYAMLName(b) || strings.HasSuffix(b, ".json") || strings.HasSuffix(b, ".template")
	}, kind: link.KindOther, candidate: true},
}

// classifyName classifies a path by its name alone.
func classifyName(path string) (kind link.FileKind, candidate bool) {
	base := strings.ToLower(filepath.Base(path))
	slash := "/" + strings.ToLower(filepath.ToSlash(path))
	for _, r := range nameRules {
		if r.match(base, slash) {
			return r.kind, r.candidate
		}
	}
	return link.KindOther, false
}

// sniffLimit is how much of a YAML file sniff looks at: top-level keys of
// a template come early, and a megabyte of YAML is already unusual.
const sniffLimit = 1 << 20

// sniff decides whether a YAML/JSON text is a template or an OpenAPI
// document from its top-level keys, without parsing it: JSON is scanned
// (strings and nesting only, nothing is decoded or allocated), YAML is
// read line by line at column 0.
func sniff(text string) link.FileKind {
	if strings.IndexByte(text[:min(len(text), 4096)], 0) >= 0 {
		return link.KindOther // binary; text in another encoding (Shift_JIS) is sniffed and gets its GW001
	}
	body := strings.TrimPrefix(text, "\ufeff")
	trim := strings.TrimLeft(body, " \t\r\n")
	if strings.HasPrefix(trim, "{") {
		return sniffJSON(trim)
	}
	if strings.HasPrefix(trim, "[") {
		return link.KindOther // a JSON array is neither
	}
	if len(body) > sniffLimit {
		body = body[:sniffLimit]
	}
	return sniffYAML(body)
}

// contentKeys is what the top level of a document says about it.
type contentKeys struct {
	version, openapi bool
	samTransform     bool
	// resources: the Resources entries are mappings with a Type naming
	// AWS:: or Custom:: (the test appspec.yml and friends fail).
	resources bool
}

func (k contentKeys) kind() link.FileKind {
	switch {
	case k.version, k.samTransform, k.resources:
		return link.KindTemplate
	case k.openapi:
		return link.KindOpenAPI
	}
	return link.KindOther
}

// sniffYAML reads the top-level keys of a block YAML document.
func sniffYAML(text string) link.FileKind {
	var k contentKeys
	inResources, inTransform := false, false
	resIndent := -1 // indentation of the Resources entries
	entryIsMap := false
	for len(text) > 0 {
		line := text
		if i := strings.IndexByte(text, '\n'); i >= 0 {
			line, text = text[:i], text[i+1:]
		} else {
			text = ""
		}
		line = strings.TrimRight(line, "\r")
		content := strings.TrimLeft(line, " ")
		if content == "" || content[0] == '#' {
			continue
		}
		indent := len(line) - len(content)
		if indent == 0 && content != "---" && !strings.HasPrefix(content, "- ") {
			inResources, inTransform = false, false
			key, val := topKey(content)
			switch key {
			case "AWSTemplateFormatVersion":
				k.version = true
			case "Transform":
				inTransform = true
				if strings.Contains(val, "AWS::Serverless") {
					k.samTransform = true
				}
			case "Resources":
				inResources = true
				resIndent, entryIsMap = -1, false
				k.resources = strings.HasPrefix(val, "{") && flowTyped(val)
			case "openapi", "swagger":
				k.openapi = true
			}
			continue
		}
		switch {
		case inTransform && strings.Contains(content, "AWS::Serverless"):
			k.samTransform = true
		case inResources:
			if resIndent < 0 {
				resIndent = indent
			}
			if indent == resIndent {
				// An entry: `LogicalId:` (a list item `- x:` is appspec's shape).
				entryIsMap = !strings.HasPrefix(content, "-") && strings.HasSuffix(strings.TrimRight(stripComment(content), " "), ":")
				if _, val := topKey(content); !strings.HasPrefix(content, "-") && strings.HasPrefix(val, "{") && flowTyped(val) {
					k.resources = true // `Api: {Type: AWS::…, Properties: {…}}`
				}
				continue
			}
			if entryIsMap && indent > resIndent {
				if key, val := topKey(content); key == "Type" {
					v := strings.Trim(val, `'" `)
					if strings.HasPrefix(v, "AWS::") || strings.HasPrefix(v, "Custom::") {
						k.resources = true
					}
				}
			}
		}
		if k.version || k.samTransform || k.resources {
			break
		}
	}
	return k.kind()
}

// flowTyped reports whether a flow mapping's text has a Type naming a
// resource type.
func flowTyped(v string) bool {
	for _, sep := range []string{"Type: ", "Type: '", `Type: "`, `"Type": "`} {
		for _, p := range []string{"AWS::", "Custom::"} {
			if strings.Contains(v, sep+p) {
				return true
			}
		}
	}
	return false
}

// topKey splits `key: value` (the key may be quoted).
func topKey(line string) (key, val string) {
	i := strings.Index(line, ":")
	if i < 0 {
		return "", ""
	}
	key = strings.Trim(line[:i], `"' `)
	return key, strings.TrimSpace(stripComment(line[i+1:]))
}

func stripComment(s string) string {
	if i := strings.Index(s, " #"); i >= 0 {
		return s[:i]
	}
	return s
}

// sniffJSON reads the top-level keys of a JSON object by scanning it:
// strings are skipped, nesting is counted, and only the values of the
// keys that decide the kind are looked into. Malformed JSON is sniffed as
// far as it goes (the parser reports the error).
func sniffJSON(t string) link.FileKind {
	var k contentKeys
	depth := 0
	expectKey := false
	for i := 0; i < len(t); i++ {
		switch c := t[i]; c {
		case '{', '[':
			depth++
			expectKey = c == '{' && depth == 1
		case '}', ']':
			depth--
			if depth <= 0 {
				return k.kind()
			}
		case ',':
			expectKey = depth == 1
		case '"':
			end := skipJSONString(t, i)
			if depth == 1 && expectKey {
				key := t[i+1 : max(i+1, end-1)]
				expectKey = false
				vStart, vEnd := jsonValueSpan(t, end)
				val := t[vStart:vEnd]
				switch key {
				case "AWSTemplateFormatVersion":
					k.version = true
				case "Transform":
					k.samTransform = strings.Contains(val, "AWS::Serverless")
				case "Resources":
					k.resources = strings.HasPrefix(val, "{") && (strings.Contains(val, `"AWS::`) || strings.Contains(val, `"Custom::`))
				case "openapi", "swagger":
					k.openapi = true
				}
				if k.version || k.samTransform || k.resources {
					return link.KindTemplate
				}
				i = vEnd - 1
				continue
			}
			i = end - 1
		}
	}
	return k.kind()
}

// skipJSONString returns the offset just after the string that starts
// at t[i] == '"'.
func skipJSONString(t string, i int) int {
	for j := i + 1; j < len(t); j++ {
		switch t[j] {
		case '\\':
			j++
		case '"':
			return j + 1
		}
	}
	return len(t)
}

// jsonValueSpan returns the span of the value after a key that ends at
// from (the colon and blanks are skipped); a malformed value gives an
// empty span.
func jsonValueSpan(t string, from int) (start, end int) {
	i := from
	for i < len(t) && (t[i] == ' ' || t[i] == '\t' || t[i] == '\r' || t[i] == '\n' || t[i] == ':') {
		i++
	}
	start = i
	if i >= len(t) {
		return start, start
	}
	switch t[i] {
	case '"':
		return start, skipJSONString(t, i)
	case '{', '[':
		depth := 0
		for j := i; j < len(t); j++ {
			switch t[j] {
			case '"':
				j = skipJSONString(t, j) - 1
			case '{', '[':
				depth++
			case '}', ']':
				depth--
				if depth == 0 {
					return start, j + 1
				}
			}
		}
		return start, len(t)
	}
	for i < len(t) && t[i] != ',' && t[i] != '}' {
		i++
	}
	return start, i
}

// forgetNotOursLocked records YAML/JSON files that sniffing found not to be
// ours and drops their text: a vendored SDK tree is tens of megabytes that
// nothing needs again. check skips them until they change.
func (w *Workspace) forgetNotOursLocked(paths []string) {
	if w.notOurs == nil {
		w.notOurs = map[string]bool{}
	}
	for _, p := range paths {
		if _, open := w.overlays[p]; open {
			continue
		}
		w.notOurs[p] = true
		delete(w.disk, p)
	}
}
