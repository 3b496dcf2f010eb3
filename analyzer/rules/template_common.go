package rules

import (
	"slices"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/gw403/gw403-lsp/analyzer"
	"github.com/gw403/gw403-lsp/analyzer/link"
	"github.com/gw403/gw403-lsp/schemas/apimodel"
	"github.com/gw403/gw403-lsp/schemas/source"
	"github.com/gw403/gw403-lsp/schemas/template"
	"github.com/gw403/gw403-lsp/schemas/yamlpos"
)

// What the template rules (GW2xx) share: the YAML node behind a model
// fact, edits of templates, and whether another stack may name a resource.

// docAt returns the parsed YAML/JSON document of a template, OpenAPI or
// serverless.yml file of the snapshot, or nil.
func docAt(snap *link.Snapshot, path string) *yamlpos.Doc {
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

// nodeAt returns the document and the node a model Loc points at (nil when
// the Loc does not span exactly one node; the innermost node when several
// share the span).
func nodeAt(snap *link.Snapshot, loc apimodel.Loc) (*yamlpos.Doc, *yaml.Node) {
	if loc.IsZero() {
		return nil, nil
	}
	d := docAt(snap, loc.Path)
	if d == nil || d.Root == nil {
		return nil, nil
	}
	return d, d.FindNode(loc.Span)
}

// resourceOf returns the resource with that logical id of the template at
// path, or nil.
func resourceOf(snap *link.Snapshot, path, id string) *template.Resource {
	if t := snap.Template(path); t != nil && id != "" {
		return t.Resource(id)
	}
	return nil
}

// toEdits converts yamlpos edits of the file at path.
func toEdits(path string, es ...yamlpos.Edit) []analyzer.Edit {
	out := make([]analyzer.Edit, len(es))
	for i, e := range es {
		out[i] = analyzer.Edit{Path: path, Span: e.Span, NewText: e.NewText}
	}
	return out
}

// literalAt reports whether loc points at a scalar written as a literal,
// not computed from a parameter or another intrinsic (a deployment may
// give parameters other values).
func literalAt(snap *link.Snapshot, loc apimodel.Loc) bool {
	if loc.IsZero() {
		return false
	}
	if fd := snap.Files[loc.Path]; fd != nil && fd.Terraform != nil {
		lit, _ := fd.Terraform.LiteralAt(loc.Span)
		return lit
	}
	if d := docAt(snap, loc.Path); d != nil && plainValueAt(d.File.Text, loc.Span) {
		return true // what FindNode would find, without walking the document
	}
	_, n := nodeAt(snap, loc)
	return yamlpos.LiteralScalar(n)
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

// definitionUnknown reports an API whose OpenAPI definition exists but is
// not in the workspace (S3, a missing file, an unreadable include): it may
// hold a policy, authorizers or an endpoint configuration.
func definitionUnknown(a *apimodel.API) bool {
	return !a.DefinitionLoc.IsZero() && a.DefinitionFile == ""
}

// keyRequired returns the routes of a that require an API key, as a
// literal says (not a parameter a deployment may change).
func keyRequired(snap *link.Snapshot, a *apimodel.API) []*apimodel.Route {
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
			lit = literalAt(snap, loc)
			literal[loc] = lit
		}
		if lit {
			out = append(out, r)
		}
	}
	return out
}

// routeNames renders up to three routes as "GET /a, POST /b".
func routeNames(rs []*apimodel.Route) string {
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

// deployedStageNames lists the deployed stages of a, quoted.
func deployedStageNames(a *apimodel.API) string {
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

// methodsOf returns the AWS::ApiGateway::Method resources of t that belong
// to the RestApi apiID, in document order.
func methodsOf(t *template.Template, apiID string) []*template.Resource {
	var out []*template.Resource
	for _, r := range t.Resources {
		if r.Type == "AWS::ApiGateway::Method" && t.Created(r) && t.RefTo(r.Prop("RestApiId")) == apiID {
			out = append(out, r)
		}
	}
	return out
}

// ---- naming a resource from another stack ----

// stackResource is a resource of a template, named by file and logical id.
type stackResource struct {
	File, ID string
}

// apiTarget returns the resource that declares an API.
func apiTarget(a *apimodel.API) stackResource {
	return stackResource{File: a.File, ID: a.LogicalID}
}

// mayName reports whether n, a property of a resource of t, may name target
// although it does not refer to it: an import, a parameter, a literal id
// (a literal is a name, not an id, when literalOK). A stack cannot get the
// id of one of its own resources from outside, so this is only possible
// across templates, and only when target's template lets the id out (see
// exposed), under the export name an Fn::ImportValue asks for.
func mayName(snap *link.Snapshot, t *template.Template, n *yaml.Node, target stackResource, literalOK bool) bool {
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
	return exposed(snap, target)
}

// anyMayName reports a resource of one of types, in any template, whose
// property key may name target without referring to it (see mayName).
func anyMayName(snap *link.Snapshot, key string, literalOK bool, target stackResource, types ...string) bool {
	for _, t := range snap.Templates() {
		for _, r := range t.Resources {
			if slices.Contains(types, r.Type) && t.Created(r) && mayName(snap, t, r.Prop(key), target, literalOK) {
				return true
			}
		}
	}
	return false
}

// exposingTypes are resources that carry ids out of a stack.
var exposingTypes = []string{"AWS::SSM::Parameter", "AWS::CloudFormation::Stack", "AWS::CloudFormation::CustomResource"}

// exposed reports whether target's id can leave its stack: an Output, a
// parameter store entry, a nested stack or a custom resource refers to it.
// A target outside any template (a standalone OpenAPI document) is always
// exposed.
func exposed(snap *link.Snapshot, target stackResource) bool {
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
		template.CollectRefs(o.Value, add)
	}
	for _, r := range t.Resources {
		if slices.Contains(exposingTypes, r.Type) || strings.HasPrefix(r.Type, "Custom::") {
			template.CollectRefs(r.Properties, add)
		}
	}
	return found
}

// exports reports whether target's template exports target under name (an
// export whose name is not static may be it).
func exports(snap *link.Snapshot, target stackResource, name string) bool {
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
		template.CollectRefs(o.Value, func(id string) {
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
