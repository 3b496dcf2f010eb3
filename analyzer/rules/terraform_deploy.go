package rules

import (
	"slices"
	"sort"
	"strings"

	"github.com/gw403/gw403-lsp/analyzer"
	"github.com/gw403/gw403-lsp/analyzer/link"
	"github.com/gw403/gw403-lsp/analyzer/msg"
	"github.com/gw403/gw403-lsp/schemas/apimodel"
	"github.com/gw403/gw403-lsp/schemas/source"
	"github.com/gw403/gw403-lsp/schemas/terraform"
)

// The Terraform side of GW221 and GW222: an aws_api_gateway_deployment is
// a snapshot of the API taken when Terraform creates it; without triggers
// Terraform never replaces it, and nothing orders it after methods it does
// not depend on.

// tfIndex groups the Terraform resources of API Gateway REST APIs: per
// API, its methods and its resources, methods and integrations; per
// module, the reference graph.
type tfIndex struct {
	methods map[string][]*terraform.Resource // API address → methods
	parts   map[string][]*terraform.Resource // API address → resources, methods, integrations (one instance per block)
	foreign map[string]bool                  // API address → a method elsewhere (another module, unknown count)
	orphans bool                             // a method whose API is not known
	graphs  map[*terraform.Module]map[string]map[string]bool
}

func newTFIndex(cfg *terraform.Config) *tfIndex {
	x := &tfIndex{methods: map[string][]*terraform.Resource{}, parts: map[string][]*terraform.Resource{},
		foreign: map[string]bool{}, graphs: map[*terraform.Module]map[string]map[string]bool{}}
	seen := map[string]bool{}
	for _, r := range cfg.Resources {
		switch r.Type {
		case "aws_api_gateway_method", "aws_api_gateway_resource", "aws_api_gateway_integration":
		default:
			continue
		}
		s, ok, _ := r.Str(nil, "rest_api_id")
		addr, attr, isRef := terraform.ParseRef(s)
		if !ok || !isRef || attr != "id" {
			if r.Type == "aws_api_gateway_method" {
				x.orphans = true
			}
			continue
		}
		api := cfg.Resource(addr)
		if api == nil || api.Module != r.Module || r.Undecided {
			x.foreign[addr] = true
			continue
		}
		if r.Type == "aws_api_gateway_method" {
			x.methods[addr] = append(x.methods[addr], r)
		}
		if k := addr + " " + r.Key(); !seen[k] {
			seen[k] = true
			x.parts[addr] = append(x.parts[addr], r)
		}
	}
	return x
}

// graph is the module's references: "type.name" → "type.name"s.
func (x *tfIndex) graph(m *terraform.Module) map[string]map[string]bool {
	if g := x.graphs[m]; g != nil {
		return g
	}
	g := map[string]map[string]bool{}
	for _, r := range m.Resources {
		if g[r.Key()] == nil {
			g[r.Key()] = r.Refs()
		}
	}
	x.graphs[m] = g
	return g
}

func tfReach(g map[string]map[string]bool, from string) map[string]bool {
	seen := map[string]bool{}
	stack := []string{from}
	for len(stack) > 0 {
		k := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		for n := range g[k] {
			if !seen[n] {
				seen[n] = true
				stack = append(stack, n)
			}
		}
	}
	return seen
}

// runStaleDeploymentTerraform reports deployments without triggers that do
// not depend on every method of their API.
func runStaleDeploymentTerraform(p *analyzer.Pass) {
	snap := p.Snap
	if snap.Terraform == nil {
		return
	}
	var x *tfIndex
	for _, a := range snap.Model.APIs {
		if a.Origin != apimodel.Terraform || a.Kind != apimodel.REST || a.Exported {
			continue
		}
		var todo []*apimodel.Deployment
		for _, d := range a.Deployments {
			if d.TF != nil && d.TF.TriggersLoc.IsZero() && !d.TF.Redeploys {
				todo = append(todo, d)
			}
		}
		if len(todo) == 0 {
			continue
		}
		if x == nil {
			x = newTFIndex(snap.Terraform)
		}
		methods, parts := x.methods[a.LogicalID], x.parts[a.LogicalID]
		apiRes := snap.Terraform.Resource(a.LogicalID)
		if x.orphans || x.foreign[a.LogicalID] || apiRes == nil {
			continue
		}
		if len(methods) == 0 {
			staleBodyDeployments(p, a, apiRes, todo)
			continue
		}
		g := x.graph(apiRes.Module)
		for _, d := range todo {
			dep := snap.Terraform.Resource(d.LogicalID)
			if dep == nil || dep.Module != apiRes.Module || dep.Undecided || tfUsesModules(dep) {
				continue
			}
			reach := tfReach(g, dep.Key())
			var missing []string
			for _, m := range methods {
				if !reach[m.Key()] && !slices.Contains(missing, m.Key()) {
					missing = append(missing, m.Key())
				}
			}
			if len(missing) == 0 {
				continue
			}
			diag := analyzer.Diagnostic{
				Path: d.Loc.Path, Span: d.Loc.Span,
				Message: msg.T(
					"%[1]s has no triggers and does not depend on %[2]s: Terraform does not redeploy it when methods change (and may create it before them), so new paths answer 403 Missing Authentication Token",
					"%[1]s には triggers がなく、%[2]s に依存していません。Terraform はメソッドが変わっても再デプロイせず（メソッドより先に作成することもあり）、新しいパスは 403 Missing Authentication Token になります",
					dep.Addr, strings.Join(missing, ", ")),
			}
			for _, m := range methods {
				if slices.Contains(missing, m.Key()) {
					diag.Related = append(diag.Related, analyzer.Related{Path: m.File.Path(), Span: terraform.HeaderSpan(m.Block),
						Message: msg.T("method %s", "メソッド %s", m.Key())})
				}
			}
			if f, ok := tfTriggersFix(dep, d, partRefs(parts)); ok {
				diag.Fixes = []analyzer.Fix{f}
			}
			p.Report(diag)
		}
	}
}

// tfUsesModules reports a block that reads module outputs: what it
// depends on through them is not followed.
func tfUsesModules(r *terraform.Resource) bool {
	for _, a := range r.Block.Body.Attributes {
		for _, t := range a.Expr.Variables() {
			if t.RootName() == "module" {
				return true
			}
		}
	}
	return false
}

// tfTriggersFix inserts `triggers = { redeployment = sha1(jsonencode([...])) }`
// naming the API's resources, methods and integrations, and a lifecycle
// create_before_destroy so that the stage moves to the new deployment
// before the old one is deleted.
func tfTriggersFix(dep *terraform.Resource, d *apimodel.Deployment, refs []string) (analyzer.Fix, bool) {
	text := dep.File.Src.Text
	b := dep.Block
	open, closeAt := b.OpenBraceRange.End.Byte, b.CloseBraceRange.Start.Byte
	if open > closeAt || closeAt > len(text) {
		return analyzer.Fix{}, false
	}
	eol := fileEOL(text)
	// Indentation: the block's own, plus its first attribute's step.
	lineStart := strings.LastIndexAny(text[:b.TypeRange.Start.Byte], "\n") + 1
	base := leadingBlanks(text[lineStart:])
	unit := "  "
	var first *source.Span
	for _, at := range b.Body.Attributes {
		sp := terraform.Span(at.SrcRange)
		if first == nil || sp.Start < first.Start {
			first = &sp
		}
	}
	if first != nil {
		ls := strings.LastIndexAny(text[:first.Start], "\n") + 1
		if ind := text[ls:first.Start]; strings.TrimLeft(ind, " \t") == "" && len(ind) > len(base) {
			unit = ind[len(base):]
		}
	}
	in, in2, in3 := base+unit, base+unit+unit, base+unit+unit+unit
	var sb strings.Builder
	if len(refs) == 1 && strings.HasSuffix(refs[0], ".body") {
		sb.WriteString(eol + in + "triggers = {" + eol + in2 + "redeployment = sha1(" + refs[0] + ")" + eol + in + "}" + eol)
	} else {
		sb.WriteString(eol + in + "triggers = {" + eol + in2 + "redeployment = sha1(jsonencode([" + eol)
		for _, r := range refs {
			sb.WriteString(in3 + r + "," + eol)
		}
		sb.WriteString(in2 + "]))" + eol + in + "}" + eol)
	}
	// After the rest_api_id line (else after the opening brace).
	at := open
	if ra := b.Body.Attributes["rest_api_id"]; ra != nil {
		at = ra.SrcRange.End.Byte
	}
	if nl := strings.IndexByte(text[at:], '\n'); nl >= 0 && at+nl < closeAt {
		at += nl + 1
	} else {
		return analyzer.Fix{}, false // a one-line block
	}
	ins := sb.String()
	if next := text[at:]; !strings.HasPrefix(strings.TrimLeft(next, " \t"), "\n") && !strings.HasPrefix(strings.TrimLeft(next, " \t"), "\r\n") && at < strings.LastIndexByte(text[:closeAt], '\n')+1 {
		ins += eol // a blank line before the next attribute
	}
	edits := []analyzer.Edit{{Path: dep.File.Path(), Span: source.Span{Start: at, End: at}, NewText: ins}}
	if !d.TF.CreateBeforeDestroy {
		var lc *source.Span
		for _, blk := range dep.Blocks(nil, "lifecycle") {
			sp := source.Span{Start: blk.OpenBraceRange.End.Byte, End: blk.OpenBraceRange.End.Byte}
			lc = &sp
		}
		if lc != nil {
			if lc.Start < len(text) && text[lc.Start] == '}' {
				return analyzer.Fix{}, false // `lifecycle {}` on one line
			}
			edits = append(edits, analyzer.Edit{Path: dep.File.Path(), Span: *lc, NewText: eol + in2 + "create_before_destroy = true"})
		} else {
			cl := strings.LastIndexByte(text[:closeAt], '\n') + 1
			if strings.TrimSpace(text[cl:closeAt]) != "" {
				return analyzer.Fix{}, false
			}
			edits = append(edits, analyzer.Edit{Path: dep.File.Path(), Span: source.Span{Start: cl, End: cl},
				NewText: eol + in + "lifecycle {" + eol + in2 + "create_before_destroy = true" + eol + in + "}" + eol})
		}
	}
	// A deployment that creates its stage (stage_name) conflicts with its
	// replacement under create_before_destroy: offered, not applied.
	_, hasStage := dep.Block.Body.Attributes["stage_name"]
	return analyzer.Fix{
		Title: msg.T("Add triggers that redeploy when the API's methods change", "API のメソッドが変わったら再デプロイする triggers を追加"),
		Edits: edits, Safe: !hasStage, Preferred: true,
	}, true
}

// partRefs returns the references the triggers hash: resources, then
// methods, then integrations (whole collections for count / for_each).
func partRefs(parts []*terraform.Resource) []string {
	var refs []string
	for _, r := range parts {
		ref := r.Key()
		if !r.Repeated() {
			ref += ".id"
		}
		refs = append(refs, ref)
	}
	sort.SliceStable(refs, func(i, j int) bool { return partRank(refs[i]) < partRank(refs[j]) })
	return refs
}

// staleBodyDeployments reports deployments without triggers of an API
// whose methods are in its body: Terraform updates the body in place and
// never replaces the deployment.
func staleBodyDeployments(p *analyzer.Pass, a *apimodel.API, api *terraform.Resource, todo []*apimodel.Deployment) {
	if api.Attr("body") == nil || api.Undecided || api.Repeated() {
		return
	}
	for _, d := range todo {
		dep := p.Snap.Terraform.Resource(d.LogicalID)
		if dep == nil || dep.Module != api.Module || dep.Undecided || tfUsesModules(dep) {
			continue
		}
		diag := analyzer.Diagnostic{
			Path: d.Loc.Path, Span: d.Loc.Span,
			Message: msg.T(
				"%[1]s has no triggers: the methods of %[2]s are in its body, and Terraform does not redeploy when the body changes, so new paths answer 403 Missing Authentication Token",
				"%[1]s には triggers がありません。%[2]s のメソッドは body にあり、Terraform は body が変わっても再デプロイしないため、新しいパスは 403 Missing Authentication Token になります",
				dep.Addr, api.Addr),
			Related: []analyzer.Related{{Path: api.File.Path(), Span: terraform.Span(api.Attr("body").SrcRange), Message: msg.T("body of %s", "%s の body", api.Key())}},
		}
		if f, ok := tfTriggersFix(dep, d, []string{api.Key() + ".body"}); ok {
			diag.Fixes = []analyzer.Fix{f}
		}
		p.Report(diag)
	}
}

func partRank(ref string) int {
	switch {
	case strings.HasPrefix(ref, "aws_api_gateway_resource."):
		return 0
	case strings.HasPrefix(ref, "aws_api_gateway_method."):
		return 1
	}
	return 2
}

func leadingBlanks(s string) string {
	i := 0
	for i < len(s) && (s[i] == ' ' || s[i] == '\t') {
		i++
	}
	return s[:i]
}

// runAPINeverDeployedTerraform reports rest_apis with methods and no
// deployment or stage.
func runAPINeverDeployedTerraform(p *analyzer.Pass) {
	snap := p.Snap
	if snap.Terraform == nil {
		return
	}
	for _, a := range snap.Model.APIs {
		if a.Origin != apimodel.Terraform || a.Kind != apimodel.REST || a.Exported || !a.StagesKnown ||
			len(a.Deployments) > 0 || len(a.Stages) > 0 || len(a.Routes) == 0 {
			continue
		}
		if tfNamedElsewhere(snap, a) {
			continue
		}
		d := analyzer.Diagnostic{
			Path: a.Loc.Path, Span: a.Loc.Span,
			Message: msg.T(
				"%s has methods but no aws_api_gateway_deployment or aws_api_gateway_stage: it is never deployed, so no stage exists and every URL gets 403 Forbidden",
				"%s にはメソッドがありますが、aws_api_gateway_deployment も aws_api_gateway_stage もありません。デプロイされないのでステージが存在せず、すべての URL が 403 Forbidden になります",
				a.Name),
		}
		if f, ok := tfDeployFix(snap, a); ok {
			d.Fixes = []analyzer.Fix{f}
		}
		p.Report(d)
	}
}

// tfDeployFix adds, after the rest_api, a deployment whose triggers hash
// the API's resources, methods and integrations (or its body) and a stage
// named as something else names it (else "prod").
func tfDeployFix(snap *link.Snapshot, a *apimodel.API) (analyzer.Fix, bool) {
	r := snap.Terraform.Resource(a.LogicalID)
	if r == nil || r.Repeated() {
		return analyzer.Fix{}, false
	}
	for _, o := range r.Module.Resources {
		if (o.Type == "aws_api_gateway_deployment" || o.Type == "aws_api_gateway_stage") && o.Name == r.Name {
			return analyzer.Fix{}, false
		}
	}
	x := newTFIndex(snap.Terraform)
	var refs []string
	if parts := x.parts[a.LogicalID]; len(parts) > 0 {
		refs = partRefs(parts)
	} else if r.Attr("body") != nil {
		refs = []string{r.Key() + ".body"}
	} else {
		return analyzer.Fix{}, false
	}
	stage := wantedStage(snap.Model, a)
	lines := []string{"", "", `resource "aws_api_gateway_deployment" "` + r.Name + `" {`, "  rest_api_id = " + r.Key() + ".id", "", "  triggers = {"}
	if len(refs) == 1 && strings.HasSuffix(refs[0], ".body") {
		lines = append(lines, "    redeployment = sha1("+refs[0]+")")
	} else {
		lines = append(lines, "    redeployment = sha1(jsonencode([")
		for _, ref := range refs {
			lines = append(lines, "      "+ref+",")
		}
		lines = append(lines, "    ]))")
	}
	lines = append(lines, "  }", "", "  lifecycle {", "    create_before_destroy = true", "  }", "}", "",
		`resource "aws_api_gateway_stage" "`+r.Name+`" {`,
		"  rest_api_id   = "+r.Key()+".id",
		"  deployment_id = aws_api_gateway_deployment."+r.Name+".id",
		"  stage_name    = "+terraform.Quote(stage),
		"}")
	return analyzer.Fix{
		Title: msg.T("Add a deployment and a %q stage", "デプロイと %q ステージを追加", stage),
		Edits: []analyzer.Edit{tfAppendAfter(r, lines)},
	}, true
}

// tfNamedElsewhere reports an API whose id leaves its module (a module
// output, an argument of a module call, a data source): whatever reads it
// may deploy it, or add it to a usage plan. Attributes other than the id
// (execution_arn for a Lambda permission, a name) do not count.
func tfNamedElsewhere(snap *link.Snapshot, a *apimodel.API) bool {
	r := snap.Terraform.Resource(a.LogicalID)
	if r == nil {
		return true
	}
	mod := r.Module
	key := r.Key()
	for _, f := range mod.Files {
		for _, b := range f.Body.Blocks {
			if b.Type != "output" && b.Type != "module" && b.Type != "data" {
				continue
			}
			if terraform.IDReferenced(b.Body, key) {
				return true
			}
		}
	}
	return false
}
