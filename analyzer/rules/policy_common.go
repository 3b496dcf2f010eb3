package rules

import (
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/gw403/gw403-lsp/analyzer/link"
	"github.com/gw403/gw403-lsp/schemas/apimodel"
	"github.com/gw403/gw403-lsp/schemas/template"
	"github.com/gw403/gw403-lsp/schemas/yamlpos"
)

// What the resource policy rules share beyond apimodel's evaluation: the
// source behind a statement.

// mayAllow reports whether st may allow execute-api:Invoke at a time (see
// apimodel.Statement.MayAllow); a statement chosen by an Fn::If is read
// from the branch the condition takes.
func mayAllow(snap *link.Snapshot, st *apimodel.Statement, at time.Time) bool {
	if t := snap.Template(st.Loc.Path); t != nil {
		if _, n := nodeAt(snap, st.Loc); n != nil {
			if _, _, ok := template.Intrinsic(n); ok {
				r := t.ResolveIf(n)
				return r == nil || apimodel.MayAllowNode(t, r)
			}
		}
	}
	return st.MayAllow(at, st.Principal == "" && strings.Contains(stmtText(snap, st), "NotPrincipal"))
}

// stmtText returns the source text of a statement (for a JSON policy in a
// string, the whole string).
func stmtText(snap *link.Snapshot, st *apimodel.Statement) string {
	if fd := snap.Files[st.Loc.Path]; fd != nil && st.Loc.Span.End <= len(fd.Src.Text) {
		return fd.Src.Slice(st.Loc.Span)
	}
	return ""
}

// userStatement reports a statement written as an IAM statement (in a
// Policy, an x-amazon-apigateway-policy or SAM CustomStatements), not one
// SAM generates from an Auth.ResourcePolicy shorthand.
func userStatement(snap *link.Snapshot, st *apimodel.Statement) bool {
	_, n := nodeAt(snap, st.Loc)
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

// eventResourcePolicy reports a SAM function event of a that sets
// Auth.ResourcePolicy: SAM adds its statements to the API's policy, which
// the model does not show.
func eventResourcePolicy(snap *link.Snapshot, a *apimodel.API) bool {
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
			switch id := t.RefTo(idNode); {
			case idNode == nil && a.Origin == apimodel.SAMImplicit:
				return true
			case idNode != nil && (id == a.LogicalID || id == ""):
				return true
			}
		}
	}
	return false
}
