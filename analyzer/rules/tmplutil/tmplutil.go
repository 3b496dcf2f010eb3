// Package tmplutil holds what the template rules (GW2xx) share: finding
// the YAML node behind a model fact, building edits of templates, reading
// resource policies and the dependency graph of a template.
package tmplutil

import (
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/gw403/gw403-lsp/analyzer"
	"github.com/gw403/gw403-lsp/analyzer/link"
	"github.com/gw403/gw403-lsp/analyzer/msg"
	"github.com/gw403/gw403-lsp/schemas/apimodel"
	"github.com/gw403/gw403-lsp/schemas/openapi"
	"github.com/gw403/gw403-lsp/schemas/source"
	"github.com/gw403/gw403-lsp/schemas/template"
	"github.com/gw403/gw403-lsp/schemas/yamlpos"
)

// Now is the current time, for policies limited to a time window.
var Now = time.Now

// DocAt returns the parsed YAML/JSON document of a template or OpenAPI file
// of the snapshot, or nil.
func DocAt(snap *link.Snapshot, path string) *yamlpos.Doc {
	if t := snap.Template(path); t != nil {
		return t.Doc
	}
	if fd := snap.Files[path]; fd != nil {
		if d := fd.OpenAPI; d != nil {
			return d.Src
		}
		if s := fd.Serverless; s != nil {
			return s.Doc
		}
	}
	return nil
}

// NodeAt returns the document and the node a model Loc points at (nil when
// the Loc does not span exactly one node; the innermost node when several
// share the span). It descends from the root into the nodes whose span
// holds the Loc's, so it costs the nodes along the way and their siblings,
// not the whole document.
func NodeAt(snap *link.Snapshot, loc apimodel.Loc) (*yamlpos.Doc, *yaml.Node) {
	if loc.IsZero() {
		return nil, nil
	}
	d := DocAt(snap, loc.Path)
	if d == nil || d.Root == nil {
		return nil, nil
	}
	return d, d.FindNode(loc.Span)
}

// KeyOf returns the mapping key whose value is n, or nil. It looks in the
// mappings whose span holds n's, and in the whole document only when
// those do not hold it.
func KeyOf(d *yamlpos.Doc, n *yaml.Node) *yaml.Node {
	if d == nil || n == nil || d.Root == nil {
		return nil
	}
	sp := d.Span(n)
	if k := keyOf(d, n, func(m *yaml.Node) bool {
		s := d.Span(m)
		return s.End >= sp.Start && s.Start <= sp.End
	}); k != nil {
		return k
	}
	return keyOf(d, n, func(*yaml.Node) bool { return true })
}

// keyOf returns the key whose value is n in the mappings of d, descending
// only into the nodes for which enter is true.
func keyOf(d *yamlpos.Doc, n *yaml.Node, enter func(*yaml.Node) bool) *yaml.Node {
	var key *yaml.Node
	yamlpos.Walk(d.Root, 0, func(c *yaml.Node, _ int) bool {
		if key != nil || !enter(c) {
			return false
		}
		if c.Kind == yaml.MappingNode {
			for i := 1; i < len(c.Content); i += 2 {
				if c.Content[i] == n {
					key = c.Content[i-1]
					return false
				}
			}
		}
		return true
	})
	return key
}

// ResourceOf returns the resource with that logical id of the template at
// path, or nil.
func ResourceOf(snap *link.Snapshot, path, id string) *template.Resource {
	if t := snap.Template(path); t != nil && id != "" {
		return t.Resource(id)
	}
	return nil
}

// ResourceAround returns the resource of t whose span holds sp, or nil.
func ResourceAround(t *template.Template, sp source.Span) *template.Resource {
	for _, r := range t.Resources {
		if r.Span.Start <= sp.Start && sp.End <= r.Span.End {
			return r
		}
	}
	return nil
}

// APIResource returns the template resource that declares a (nil for
// standalone OpenAPI documents and implicit SAM APIs).
func APIResource(snap *link.Snapshot, a *apimodel.API) *template.Resource {
	if a.LogicalID == "" || a.Origin == apimodel.SAMImplicit {
		return nil
	}
	return ResourceOf(snap, a.File, a.LogicalID)
}

// Created reports whether resource r of t exists (its Condition is not
// known to be false).
func Created(t *template.Template, r *template.Resource) bool {
	if r.Condition == "" {
		return true
	}
	v, known := t.ConditionValue(r.Condition)
	return v || !known
}

// Conditional reports whether r may not exist (it has a Condition that is
// not known to be true).
func Conditional(t *template.Template, r *template.Resource) bool {
	if r.Condition == "" {
		return false
	}
	v, known := t.ConditionValue(r.Condition)
	return !(known && v)
}

// RefTo returns the logical id a Ref/GetAtt node names, or "".
func RefTo(t *template.Template, n *yaml.Node) string {
	if n == nil {
		return ""
	}
	if v := t.Eval(n); v.Kind == template.ResourceRef {
		return v.LogicalID
	}
	return ""
}

// HasType reports whether r has one of types.
func HasType(r *template.Resource, types []string) bool {
	for _, t := range types {
		if r.Type == t {
			return true
		}
	}
	return false
}

// ToEdits converts yamlpos edits of the file at path.
func ToEdits(path string, es ...yamlpos.Edit) []analyzer.Edit {
	out := make([]analyzer.Edit, len(es))
	for i, e := range es {
		out[i] = analyzer.Edit{Path: path, Span: e.Span, NewText: e.NewText}
	}
	return out
}

// LiteralScalar reports whether n is a scalar written without a tag (a
// plain or quoted value, not `!Ref X`), which a fix may rewrite in place.
func LiteralScalar(n *yaml.Node) bool {
	if n == nil || n.Kind != yaml.ScalarNode || n.Tag == "!!null" {
		return false
	}
	return n.Tag == "" || strings.HasPrefix(n.Tag, "!!")
}

// InsertPath returns an edit that sets keys[len-1] to value under m,
// creating the mappings keys[:len-1] that are missing. It fails when a key
// on the way holds something other than a mapping, or the last key exists.
func InsertPath(d *yamlpos.Doc, m *yaml.Node, keys []string, value any) (yamlpos.Edit, error) {
	cur := yamlpos.Resolve(m)
	i := 0
	for ; i < len(keys)-1; i++ {
		k, v := yamlpos.Get(cur, keys[i])
		if k == nil {
			break
		}
		v = yamlpos.Resolve(v)
		if v == nil || v.Kind != yaml.MappingNode {
			return yamlpos.Edit{}, errNotMapping
		}
		cur = v
	}
	if k, _ := yamlpos.Get(cur, keys[i]); k != nil {
		return yamlpos.Edit{}, errExists
	}
	val := value
	for j := len(keys) - 1; j > i; j-- {
		val = yamlpos.Map{{Key: keys[j], Value: val}}
	}
	return d.InsertKey(cur, keys[i], val)
}

type editError string

func (e editError) Error() string { return string(e) }

const (
	errNotMapping = editError("not a mapping")
	errExists     = editError("key exists")
)

// RawNode returns the source text of n for reuse in an inserted value, when
// it fits on one line.
func RawNode(d *yamlpos.Doc, n *yaml.Node) (yamlpos.Raw, bool) {
	s := d.File.Slice(d.Span(n))
	if s == "" || strings.ContainsAny(s, "\r\n") {
		return "", false
	}
	return yamlpos.Raw(s), true
}

// RefValue renders a reference to a resource for an inserted value:
// `!Ref X` in YAML, {"Ref": "X"} in JSON (kept on one line).
func RefValue(d *yamlpos.Doc, id string) yamlpos.Raw {
	if d.JSON {
		return yamlpos.Raw(`{"Ref": ` + strconv.Quote(id) + `}`)
	}
	return yamlpos.Raw("!Ref " + id)
}

// UniqueID returns base, or base followed by a number, that no resource of t
// uses.
func UniqueID(t *template.Template, base string, taken map[string]bool) string {
	id := base
	for i := 2; t.Resource(id) != nil || taken[id]; i++ {
		id = base + strconv.Itoa(i)
	}
	taken[id] = true
	return id
}

// Alnum keeps the letters and digits of s (logical ids allow no others).
func Alnum(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r < 128 && (r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// DefinitionUnknown reports an API whose OpenAPI definition exists but is
// not in the workspace (S3, a missing file, an unreadable include): it may
// hold a policy, authorizers or an endpoint configuration.
func DefinitionUnknown(a *apimodel.API) bool {
	return !a.DefinitionLoc.IsZero() && a.DefinitionFile == ""
}

// DefinitionDoc returns the OpenAPI document that defines a, or nil.
func DefinitionDoc(snap *link.Snapshot, a *apimodel.API) *openapi.Doc {
	if a.DefinitionFile == "" {
		return nil
	}
	if fd := snap.Files[a.DefinitionFile]; fd != nil && fd.OpenAPI != nil {
		return fd.OpenAPI
	}
	if a.Origin == apimodel.Terraform && snap.Terraform != nil {
		// A body written as jsonencode() of an HCL object (or a literal
		// heredoc): its nodes point into the .tf file.
		for _, r := range snap.Terraform.Resources {
			if r.Addr != a.LogicalID {
				continue
			}
			if d := r.Document(r.Attr("body")); d.Root != nil {
				return openapi.FromNode(d.Src, d.Root)
			}
		}
		return nil
	}
	t := snap.Template(a.DefinitionFile)
	if t == nil || a.DefinitionLoc.Path != a.DefinitionFile {
		return nil
	}
	n := t.Doc.FindNode(a.DefinitionLoc.Span)
	if n == nil || !yamlpos.IsMap(n) {
		return nil
	}
	return openapi.FromNode(t.Doc, n)
}

// KeyRequired returns the routes of a that require an API key, as a
// literal says (not a parameter a deployment may change).
func KeyRequired(snap *link.Snapshot, a *apimodel.API) []*apimodel.Route {
	var out []*apimodel.Route
	literal := map[apimodel.Loc]bool{} // routes often share one (a SAM Auth default)
	for _, r := range a.Routes {
		if !r.Auth.APIKeyRequired {
			continue
		}
		loc := r.Auth.APIKeyLoc
		if loc.IsZero() {
			out = append(out, r)
			continue
		}
		lit, ok := literal[loc]
		if !ok {
			lit = LiteralAt(snap, loc)
			literal[loc] = lit
		}
		if lit {
			out = append(out, r)
		}
	}
	return out
}

// KeyLoc returns where a's API key requirement is written: the SAM
// Auth.ApiKeyRequired default, else the first route's.
func KeyLoc(a *apimodel.API, routes []*apimodel.Route) apimodel.Loc {
	if a.SAM != nil && a.SAM.ApiKeyRequired && !a.SAM.ApiKeyRequiredLoc.IsZero() {
		for _, r := range routes {
			if r.Auth.APIKeyLoc == a.SAM.ApiKeyRequiredLoc {
				return r.Auth.APIKeyLoc
			}
		}
	}
	for _, r := range routes {
		if !r.Auth.APIKeyLoc.IsZero() {
			return r.Auth.APIKeyLoc
		}
	}
	return a.Loc
}

// RouteNames renders up to three routes as "GET /a, POST /b".
func RouteNames(rs []*apimodel.Route) string {
	var parts []string
	for i, r := range rs {
		if i == 3 {
			parts = append(parts, "…")
			break
		}
		parts = append(parts, r.Method+" "+r.Path)
	}
	return strings.Join(parts, ", ")
}

// StageNames lists the deployed stages of a, quoted.
func StageNames(a *apimodel.API) string {
	var parts []string
	for _, s := range a.Stages {
		if s.Deployed {
			parts = append(parts, strconv.Quote(s.Name))
		}
	}
	if len(parts) == 0 {
		return "none"
	}
	return strings.Join(parts, ", ")
}

// ---- resource policies ----

// IAMMatch reports whether s matches the IAM pattern (`*` any run of
// characters, `?` one character). fold compares case-insensitively.
func IAMMatch(pattern, s string, fold bool) bool {
	if fold {
		pattern, s = strings.ToLower(pattern), strings.ToLower(s)
	}
	// Iterative glob with backtracking to the last star.
	p, i, star, mark := 0, 0, -1, 0
	for i < len(s) {
		switch {
		case p < len(pattern) && (pattern[p] == '?' || pattern[p] == s[i]):
			p++
			i++
		case p < len(pattern) && pattern[p] == '*':
			star, mark = p, i
			p++
		case star >= 0:
			p = star + 1
			mark++
			i = mark
		default:
			return false
		}
	}
	for p < len(pattern) && pattern[p] == '*' {
		p++
	}
	return p == len(pattern)
}

// UnknownText reports a model string that was not static (a display form
// with ${…} placeholders, or nothing).
func UnknownText(s string) bool { return s == "" || strings.Contains(s, "${") }

// CoversInvoke reports whether an Action list may grant or deny
// execute-api:Invoke (unknown actions count as yes).
func CoversInvoke(st *apimodel.Statement) bool {
	if st.NotAction {
		for _, a := range st.Actions {
			if !UnknownText(a) && IAMMatch(a, "execute-api:Invoke", true) {
				return false
			}
		}
		return true
	}
	for _, a := range st.Actions {
		if UnknownText(a) || IAMMatch(a, "execute-api:Invoke", true) {
			return true
		}
	}
	return false
}

// CoversInvokeSurely is CoversInvoke without the benefit of the doubt.
func CoversInvokeSurely(st *apimodel.Statement) bool {
	if st.NotAction {
		return false
	}
	for _, a := range st.Actions {
		if !UnknownText(a) && IAMMatch(a, "execute-api:Invoke", true) {
			return true
		}
	}
	return false
}

// APIRes is a resource of a policy statement read as an execute-api ARN.
type APIRes struct {
	Unknown bool // not static
	Other   bool // not an execute-api resource
	All     bool // every stage, method and path
	// Stage, Method and Path are the literal parts after the API id
	// (wildcards kept); method and path are "" when absent.
	Stage, Method, Path string
	HasMethod, HasPath  bool
}

var placeholderRE = regexp.MustCompile(`\$\{[^}]*\}`)

// ParseAPIRes reads "execute-api:/prod/GET/orders",
// "arn:aws:execute-api:region:account:api-id/prod/GET/orders" or "*".
// Placeholders of unknown values (${AWS::Region}, ${MyApi}) are accepted
// where the region, account and API id go.
func ParseAPIRes(v apimodel.Value) APIRes {
	s := v.S
	if s == "" {
		return APIRes{Unknown: true}
	}
	if !v.Known && !strings.Contains(s, "${") {
		return APIRes{Unknown: true}
	}
	s = placeholderRE.ReplaceAllString(s, "\x00")
	if s == "*" {
		return APIRes{All: true}
	}
	var rest string
	switch {
	case strings.HasPrefix(s, "execute-api:"):
		rest = s[len("execute-api:"):]
		if !strings.HasPrefix(rest, "/") {
			return APIRes{Unknown: true}
		}
		rest = rest[1:]
	case strings.HasPrefix(s, "arn:"):
		parts := strings.SplitN(s, ":", 6)
		if len(parts) < 6 || strings.Contains(parts[2], "\x00") {
			return APIRes{Unknown: true}
		}
		if !IAMMatch(parts[2], "execute-api", true) {
			return APIRes{Other: true}
		}
		res := parts[5]
		i := strings.IndexByte(res, '/')
		if i < 0 {
			if strings.Contains(res, "*") {
				return APIRes{All: true}
			}
			return APIRes{Unknown: true}
		}
		rest = res[i+1:]
	default:
		return APIRes{Other: true}
	}
	if rest == "" || strings.Contains(rest, "\x00") {
		return APIRes{Unknown: true}
	}
	if strings.Trim(rest, "*/") == "" {
		return APIRes{All: true}
	}
	segs := strings.SplitN(rest, "/", 3)
	r := APIRes{Stage: segs[0]}
	if len(segs) > 1 {
		r.Method, r.HasMethod = segs[1], true
	}
	if len(segs) > 2 {
		r.Path, r.HasPath = "/"+segs[2], true
	}
	return r
}

// Wild reports whether an ARN part holds a wildcard.
func Wild(s string) bool { return strings.ContainsAny(s, "*?") }

// PolicyDecides returns the routes of a whose requests its resource
// policy alone decides: routes without IAM, Lambda or Cognito
// authorization. For the others, an authorizer or an IAM identity policy in
// the same account can allow what the resource policy leaves out (API
// Gateway's policy evaluation table A), so a policy without an Allow is no
// 403 there.
func PolicyDecides(a *apimodel.API) []*apimodel.Route {
	var out []*apimodel.Route
	for _, r := range a.Routes {
		if r.Auth.Type == apimodel.AuthNone {
			out = append(out, r)
		}
	}
	return out
}

// timeLayouts are the date formats IAM accepts for date conditions.
var timeLayouts = []string{
	time.RFC3339, "2006-01-02T15:04:05Z0700", "2006-01-02T15:04:05", "2006-01-02T15:04Z07:00",
	"2006-01-02T15:04", "2006-01-02",
}

// ConditionTime reads a date condition value: ISO 8601 or epoch seconds.
func ConditionTime(s string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	for _, l := range timeLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return t, true
		}
	}
	if n, err := strconv.ParseInt(s, 10, 64); err == nil && n > 0 {
		return time.Unix(n, 0), true
	}
	return time.Time{}, false
}

// TimeCondition classifies a condition on the request time: before is true
// for "before one of Values" tests (DateLessThan…), after for "after"
// tests; ok is false for other conditions or values that are not static.
func TimeCondition(c apimodel.Condition) (limits []time.Time, before, ok bool) {
	key := strings.ToLower(c.Key)
	if key != "aws:currenttime" && key != "aws:epochtime" {
		return nil, false, false
	}
	op := strings.TrimSuffix(c.Operator, "IfExists")
	switch op {
	case "DateLessThan", "DateLessThanEquals", "NumericLessThan", "NumericLessThanEquals":
		before = true
	case "DateGreaterThan", "DateGreaterThanEquals", "NumericGreaterThan", "NumericGreaterThanEquals":
	default:
		return nil, false, false
	}
	if len(c.Values) == 0 {
		return nil, false, false
	}
	for _, v := range c.Values {
		if !v.Known {
			return nil, false, false
		}
		t, ok := ConditionTime(v.S)
		if !ok {
			return nil, false, false
		}
		limits = append(limits, t)
	}
	return limits, before, true
}

// WindowEnded returns the condition of st that limits it to a time that
// has passed (an `aws:CurrentTime` DateLessThan whose dates are all past),
// or nil.
func WindowEnded(st *apimodel.Statement, at time.Time) *apimodel.Condition {
	for i, c := range st.Conditions {
		limits, before, ok := TimeCondition(c)
		if !ok || !before {
			continue
		}
		past := true
		for _, t := range limits {
			if !t.Before(at) {
				past = false
			}
		}
		if past {
			return &st.Conditions[i]
		}
	}
	return nil
}

// AlwaysTrue reports whether every condition of st holds at a time (none, or
// only "after a date that has passed" tests).
func AlwaysTrue(st *apimodel.Statement, at time.Time) bool {
	for _, c := range st.Conditions {
		limits, before, ok := TimeCondition(c)
		if !ok || before {
			return false
		}
		hit := false
		for _, t := range limits {
			if t.Before(at) {
				hit = true
			}
		}
		if !hit {
			return false
		}
	}
	return true
}

// StmtText returns the source text of a statement (for a JSON policy in a
// string, the whole string).
func StmtText(snap *link.Snapshot, st *apimodel.Statement) string {
	if fd := snap.Files[st.Loc.Path]; fd != nil && st.Loc.Span.End <= len(fd.Src.Text) {
		return fd.Src.Slice(st.Loc.Span)
	}
	return ""
}

// UserStatement reports a statement written as an IAM statement (in a
// Policy, an x-amazon-apigateway-policy or SAM CustomStatements), not one
// SAM generates from an Auth.ResourcePolicy shorthand.
func UserStatement(snap *link.Snapshot, st *apimodel.Statement) bool {
	_, n := NodeAt(snap, st.Loc)
	n = yamlpos.Resolve(n)
	if n == nil {
		return true
	}
	if n.Kind == yaml.ScalarNode {
		return true // a JSON policy document in a string
	}
	if n.Kind != yaml.MappingNode {
		return false
	}
	for _, k := range []string{"Effect", "Action", "NotAction", "Principal", "NotPrincipal", "Resource", "NotResource"} {
		if kk, _ := yamlpos.Get(n, k); kk != nil {
			return true
		}
	}
	return false
}

// MayAllow reports whether st may allow execute-api:Invoke at a time:
// statements without an Allow effect or a principal grant nothing, and
// neither do those whose time window has ended. Anything not static counts
// as a possible allow.
func MayAllow(snap *link.Snapshot, st *apimodel.Statement, at time.Time) bool {
	if t := snap.Template(st.Loc.Path); t != nil {
		if _, n := NodeAt(snap, st.Loc); n != nil {
			if _, _, ok := template.Intrinsic(n); ok {
				// A statement chosen by Fn::If: read the branch.
				r := ResolveIf(t, n)
				return r == nil || nodeMayAllow(t, r)
			}
		}
	}
	switch {
	case strings.EqualFold(st.Effect, "Allow"):
	case st.Effect == "" && !st.EffectLoc.IsZero():
		// Effect written but not static.
	default:
		return false
	}
	if st.Principal == "" && !strings.Contains(StmtText(snap, st), "NotPrincipal") {
		return false
	}
	if len(st.Actions) > 0 && !CoversInvoke(st) {
		return false
	}
	if len(st.Resources) > 0 && !st.NotResource {
		found := false
		for _, r := range st.Resources {
			if !ParseAPIRes(r).Other {
				found = true
			}
		}
		if !found {
			return false
		}
	}
	return WindowEnded(st, at) == nil
}

// ResolveIf follows Fn::If nodes whose condition is static to the branch
// they choose; it returns n itself when it is no intrinsic, and nil when
// the choice is not static or another intrinsic is in the way.
func ResolveIf(t *template.Template, n *yaml.Node) *yaml.Node {
	for i := 0; i < 8; i++ {
		name, arg, ok := template.Intrinsic(n)
		if !ok {
			return n
		}
		items := yamlpos.Items(arg)
		if name != "Fn::If" || len(items) != 3 || !yamlpos.IsScalar(items[0]) {
			return nil
		}
		v, known := t.ConditionValue(yamlpos.Resolve(items[0]).Value)
		if !known {
			return nil
		}
		if v {
			n = items[1]
		} else {
			n = items[2]
		}
	}
	return nil
}

// nodeMayAllow is MayAllow for a statement node the model could not read
// (one behind an Fn::If).
func nodeMayAllow(t *template.Template, n *yaml.Node) bool {
	if !yamlpos.IsMap(n) {
		return true
	}
	ek, ev := yamlpos.Get(n, "Effect")
	if ek == nil {
		return false
	}
	if e, ok := t.EvalString(ev); ok && !strings.EqualFold(e, "Allow") {
		return false
	}
	pk, _ := yamlpos.Get(n, "Principal")
	npk, _ := yamlpos.Get(n, "NotPrincipal")
	if pk == nil && npk == nil {
		return false
	}
	if ak, av := yamlpos.Get(n, "Action"); ak != nil {
		acts, ok := t.Eval(av).Strings()
		if ok {
			for _, a := range acts {
				if IAMMatch(a, "execute-api:Invoke", true) {
					return true
				}
			}
			return false
		}
	}
	return true
}

// ---- dependencies between resources ----

// DepGraph is the dependency graph of a template: explicit DependsOn and
// the implicit Dependencies of Ref, GetAtt and Sub.
type DepGraph map[string][]string

// Dependencies builds the graph of t.
func Dependencies(t *template.Template) DepGraph {
	g := DepGraph{}
	for _, r := range t.Resources {
		seen := map[string]bool{}
		add := func(id string) {
			if id != "" && !seen[id] && t.Resource(id) != nil {
				seen[id] = true
				g[r.LogicalID] = append(g[r.LogicalID], id)
			}
		}
		for _, d := range r.DependsOn {
			add(d)
		}
		CollectRefs(r.Properties, add)
	}
	return g
}

var subVarRE = regexp.MustCompile(`\$\{([^!}][^}]*)\}`)

// CollectRefs calls add with the logical id (or parameter name) of every
// Ref, GetAtt and Sub variable under n.
func CollectRefs(n *yaml.Node, add func(id string)) {
	yamlpos.Walk(n, 0, func(n *yaml.Node, _ int) bool {
		name, arg, ok := template.Intrinsic(n)
		if !ok {
			return true
		}
		switch name {
		case "Ref":
			if a := yamlpos.Resolve(arg); a != nil && a.Kind == yaml.ScalarNode {
				add(strings.SplitN(a.Value, ".", 2)[0])
			}
		case "Fn::GetAtt":
			a := yamlpos.Resolve(arg)
			switch {
			case a != nil && a.Kind == yaml.ScalarNode:
				add(strings.SplitN(a.Value, ".", 2)[0])
			case a != nil && a.Kind == yaml.SequenceNode && len(a.Content) > 0 && a.Content[0].Kind == yaml.ScalarNode:
				add(a.Content[0].Value)
			}
		case "Fn::Sub":
			a := yamlpos.Resolve(arg)
			if a != nil && a.Kind == yaml.SequenceNode && len(a.Content) > 0 {
				a = yamlpos.Resolve(a.Content[0])
			}
			if a != nil && a.Kind == yaml.ScalarNode {
				for _, m := range subVarRE.FindAllStringSubmatch(a.Value, -1) {
					add(strings.SplitN(m[1], ".", 2)[0])
				}
			}
		}
		return true
	})
}

// Reaches returns every resource id reachable from id.
func (g DepGraph) Reaches(id string) map[string]bool {
	out := map[string]bool{}
	stack := []string{id}
	for len(stack) > 0 {
		cur := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		for _, d := range g[cur] {
			if !out[d] {
				out[d] = true
				stack = append(stack, d)
			}
		}
	}
	return out
}

// MethodsOf returns the AWS::ApiGateway::Method resources of t that belong
// to the RestApi apiID, in document order.
func MethodsOf(t *template.Template, apiID string) []*template.Resource {
	var out []*template.Resource
	for _, r := range t.Resources {
		if r.Type == "AWS::ApiGateway::Method" && Created(t, r) && RefTo(t, r.Prop("RestApiId")) == apiID {
			out = append(out, r)
		}
	}
	return out
}

// SortedIDs returns the keys of a set in order.
func SortedIDs(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// AppendDependsOn returns one edit that adds ids to the DependsOn of the
// resource mapping res: a new list when there is none, the ids appended to
// a list, or a list of the old value and the ids when DependsOn is a single
// name. It is right in block YAML, flow YAML and JSON.
func AppendDependsOn(d *yamlpos.Doc, res *yaml.Node, ids []string) (yamlpos.Edit, error) {
	if len(ids) == 0 {
		return yamlpos.Edit{}, editError("nothing to add")
	}
	k, v := yamlpos.Get(res, "DependsOn")
	if k == nil {
		items := make([]any, len(ids))
		for i, id := range ids {
			items[i] = id
		}
		return d.InsertKey(res, "DependsOn", items)
	}
	v = yamlpos.Resolve(v)
	if v == nil {
		return yamlpos.Edit{}, editError("DependsOn is an alias")
	}
	render := func(id string) string {
		if d.JSON {
			return strconv.Quote(id)
		}
		return id
	}
	first, err := d.AppendItem(res, "DependsOn", ids[0])
	if err != nil {
		return yamlpos.Edit{}, err
	}
	rest := ids[1:]
	switch {
	case v.Kind == yaml.SequenceNode && len(v.Content) == 0:
		// `[]`: the first edit fills the brackets.
		for _, id := range rest {
			first.NewText += ", " + render(id)
		}
	case v.Kind == yaml.SequenceNode:
		// Every item goes at the same place, after the last one.
		for _, id := range rest {
			e, err := d.AppendItem(res, "DependsOn", id)
			if err != nil || e.Span != first.Span {
				return yamlpos.Edit{}, editError("cannot append to DependsOn")
			}
			first.NewText += e.NewText
		}
	case v.Kind == yaml.ScalarNode:
		t := first.NewText
		if strings.HasSuffix(t, "]") {
			// Flow or JSON: `[old, a]` → `[old, a, b]`.
			var b strings.Builder
			b.WriteString(strings.TrimSuffix(t, "]"))
			for _, id := range rest {
				b.WriteString(", " + render(id))
			}
			b.WriteString("]")
			first.NewText = b.String()
			break
		}
		// Block: the items follow, one a line, indented like the last.
		nl := strings.LastIndexByte(t, '\n')
		dash := strings.LastIndex(t, "- ")
		if nl < 0 || dash < nl {
			return yamlpos.Edit{}, editError("unexpected DependsOn edit")
		}
		eol := "\n"
		if nl > 0 && t[nl-1] == '\r' {
			eol = "\r\n"
		}
		for _, id := range rest {
			first.NewText += eol + t[nl+1:dash] + "- " + id
		}
	default:
		return yamlpos.Edit{}, editError("DependsOn is a mapping")
	}
	return first, nil
}

// DomainLabel names a custom domain for a message: its name when static,
// else the source text that sets it (`!Ref DomainName`) when short, else
// its logical id, else "its custom domain".
func DomainLabel(snap *link.Snapshot, d *apimodel.Domain) msg.Text {
	if d.Name.Known && d.Name.S != "" {
		return msg.Text{EN: d.Name.S, JA: d.Name.S}
	}
	if _, n := NodeAt(snap, d.Loc); n != nil {
		if name, arg, ok := template.Intrinsic(n); ok && name == "Ref" && yamlpos.IsScalar(arg) {
			s := "!Ref " + yamlpos.Resolve(arg).Value
			return msg.Text{EN: s, JA: s}
		}
	}
	if fd := snap.Files[d.Loc.Path]; fd != nil && !d.Loc.IsZero() && d.Loc.Span.End <= len(fd.Src.Text) {
		if s := fd.Src.Slice(d.Loc.Span); s != "" && len(s) <= 80 && !strings.ContainsAny(s, "\r\n") {
			return msg.Text{EN: s, JA: s}
		}
	}
	if d.LogicalID != "" {
		return msg.Text{EN: d.LogicalID, JA: d.LogicalID}
	}
	return msg.Text{EN: "its custom domain", JA: "カスタムドメイン名"}
}

// Target is a resource of a template, named by file and logical id.
type Target struct {
	File, ID string
}

// APITarget returns the target of an API.
func APITarget(a *apimodel.API) Target { return Target{File: a.File, ID: a.LogicalID} }

// MayName reports whether n, a property of a resource of t, may name target
// although it does not refer to it: an import, a parameter, a literal id
// (a literal is a name, not an id, when literalOK). A stack cannot get the
// id of one of its own resources from outside, so this is only possible
// across templates, and only when target's template lets the id out (see
// Exposed), under the export name an Fn::ImportValue asks for.
func MayName(snap *link.Snapshot, t *template.Template, n *yaml.Node, target Target, literalOK bool) bool {
	if n == nil {
		return false
	}
	v := t.Eval(n)
	switch {
	case v.Kind == template.ResourceRef:
		return false
	case v.Kind == template.String && literalOK:
		return false
	case t.Path() == target.File:
		return false
	}
	if name, arg, ok := template.Intrinsic(n); ok && name == "Fn::ImportValue" {
		if export, ok := t.EvalString(arg); ok {
			return exports(snap, target, export)
		}
	}
	return Exposed(snap, target)
}

// AnyMayName reports a resource of one of types, in any template, whose
// property key may name target without referring to it (see MayName).
func AnyMayName(snap *link.Snapshot, key string, literalOK bool, target Target, types ...string) bool {
	for _, t := range snap.Templates() {
		for _, r := range t.Resources {
			if HasType(r, types) && Created(t, r) && MayName(snap, t, r.Prop(key), target, literalOK) {
				return true
			}
		}
	}
	return false
}

// exposingTypes are resources that carry ids out of a stack.
var exposingTypes = []string{"AWS::SSM::Parameter", "AWS::CloudFormation::Stack", "AWS::CloudFormation::CustomResource"}

// Exposed reports whether target's id can leave its stack: an Output, a
// parameter store entry, a nested stack or a custom resource refers to it.
// A target outside any template (a standalone OpenAPI document) is always
// exposed.
func Exposed(snap *link.Snapshot, target Target) bool {
	t := snap.Template(target.File)
	if t == nil || target.ID == "" {
		return true
	}
	found := false
	add := func(id string) {
		if id == target.ID {
			found = true
		}
	}
	for _, o := range t.Outputs {
		CollectRefs(o.Value, add)
	}
	for _, r := range t.Resources {
		if HasType(r, exposingTypes) || strings.HasPrefix(r.Type, "Custom::") {
			CollectRefs(r.Properties, add)
		}
	}
	return found
}

// exports reports whether target's template exports target under name (an
// export whose name is not static may be it).
func exports(snap *link.Snapshot, target Target, name string) bool {
	t := snap.Template(target.File)
	if t == nil {
		return true
	}
	for _, o := range t.Outputs {
		en := yamlpos.Value(yamlpos.Value(o.Node, "Export"), "Name")
		if en == nil {
			continue
		}
		if s, ok := t.EvalString(en); ok && s != name {
			continue
		}
		found := false
		CollectRefs(o.Value, func(id string) {
			if id == target.ID {
				found = true
			}
		})
		if found {
			return true
		}
	}
	return false
}

// EventResourcePolicy reports a SAM function event of a that sets
// Auth.ResourcePolicy: SAM adds its statements to the API's policy, which
// the model does not show.
func EventResourcePolicy(snap *link.Snapshot, a *apimodel.API) bool {
	if a.Origin != apimodel.SAMApi && a.Origin != apimodel.SAMImplicit {
		return false
	}
	t := snap.Template(a.File)
	if t == nil {
		return false
	}
	for _, r := range t.Resources {
		if r.Type != "AWS::Serverless::Function" && r.Type != "AWS::Serverless::StateMachine" {
			continue
		}
		for _, ev := range yamlpos.Pairs(r.Prop("Events")) {
			if typ, _ := yamlpos.Str(ev.Value, "Type"); typ != "Api" {
				continue
			}
			props := yamlpos.Value(ev.Value, "Properties")
			if yamlpos.Value(yamlpos.Value(props, "Auth"), "ResourcePolicy") == nil {
				continue
			}
			_, idNode := yamlpos.Get(props, "RestApiId")
			switch id := RefTo(t, idNode); {
			case idNode == nil && a.Origin == apimodel.SAMImplicit:
				return true
			case idNode != nil && (id == a.LogicalID || id == ""):
				return true
			}
		}
	}
	return false
}

// LiteralAt reports whether loc points at a scalar written as a literal,
// not computed from a parameter or another intrinsic (a deployment may
// give parameters other values).
func LiteralAt(snap *link.Snapshot, loc apimodel.Loc) bool {
	if loc.IsZero() {
		return false
	}
	if fd := snap.Files[loc.Path]; fd != nil && fd.Terraform != nil {
		lit, _ := fd.Terraform.LiteralAt(loc.Span)
		return lit
	}
	if d := DocAt(snap, loc.Path); d != nil && plainValueAt(d.File.Text, loc.Span) {
		return true // what FindNode would find, without walking the document
	}
	_, n := NodeAt(snap, loc)
	return LiteralScalar(n)
}

// plainValueAt reports a span that is certainly one untagged plain scalar
// value: a plain word (`true`, `prod`) right after the `:` of its key or
// the `-` of its list item, with nothing (a tag, an anchor) in between.
func plainValueAt(text string, sp source.Span) bool {
	if sp.Start <= 0 || sp.End > len(text) || sp.End <= sp.Start || sp.End-sp.Start > 64 {
		return false
	}
	tok := text[sp.Start:sp.End]
	switch tok {
	case "null", "Null", "NULL", "~":
		return false
	}
	for i := 0; i < len(tok); i++ {
		c := tok[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || i > 0 && (c == '_' || c == '-' || c == '.')) {
			return false
		}
	}
	if sp.End < len(text) {
		if c := text[sp.End]; c != ' ' && c != '\t' && c != '\r' && c != '\n' && c != ',' && c != '}' && c != ']' && c != '#' {
			return false
		}
	}
	i := sp.Start - 1
	for i >= 0 && (text[i] == ' ' || text[i] == '\t') {
		i--
	}
	return i >= 0 && i < sp.Start-1 && (text[i] == ':' || text[i] == '-')
}
