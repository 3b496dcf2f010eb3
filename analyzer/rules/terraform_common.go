package rules

import (
	"slices"
	"strings"

	"github.com/hashicorp/hcl/v2/hclsyntax"

	"github.com/gw403/gw403-lsp/analyzer"
	"github.com/gw403/gw403-lsp/analyzer/link"
	"github.com/gw403/gw403-lsp/analyzer/msg"
	"github.com/gw403/gw403-lsp/schemas/apimodel"
	"github.com/gw403/gw403-lsp/schemas/source"
	"github.com/gw403/gw403-lsp/schemas/terraform"
)

// tfFile reports a Terraform file of the snapshot.
func tfFile(snap *link.Snapshot, path string) bool {
	fd := snap.Files[path]
	return fd != nil && fd.Terraform != nil
}

// tfResourceAt returns the Terraform resource instance with that address.
func tfResourceAt(snap *link.Snapshot, addr string) *terraform.Resource {
	if snap.Terraform == nil {
		return nil
	}
	return snap.Terraform.Resource(addr)
}

// tfUsedBy reports a resource that something other than the given
// resource types reads: an output, a module call, a data source or
// another resource may attach, map or deploy it where the workspace does
// not show.
func tfUsedBy(snap *link.Snapshot, r *terraform.Resource, except ...string) bool {
	key := r.Key()
	for _, f := range r.Module.Files {
		for _, b := range f.Body.Blocks {
			if b.Type == "resource" && len(b.Labels) == 2 {
				if slices.Contains(except, b.Labels[0]) || b.Labels[0]+"."+b.Labels[1] == key {
					continue
				}
			}
			switch b.Type {
			case "output", "module", "data", "resource":
				if blockRefs(r.Module, b)[key] {
					return true
				}
			}
		}
	}
	return false
}

// runDomainWithoutMappingTerraform is GW232 for an
// aws_api_gateway_domain_name / aws_apigatewayv2_domain_name.
func runDomainWithoutMappingTerraform(p *analyzer.Pass, d *apimodel.Domain) {
	r := tfResourceAt(p.Snap, d.LogicalID)
	if r == nil || r.Undecided || r.Module.Broken() || tfUsedBy(p.Snap, r, "aws_route53_record", "aws_acm_certificate_validation") {
		return
	}
	name := d.Name.S
	if !d.Name.Known {
		name = d.LogicalID
	}
	mapping := "aws_api_gateway_base_path_mapping"
	if d.Kind == apimodel.HTTP {
		mapping = "aws_apigatewayv2_api_mapping"
	}
	diag := analyzer.Diagnostic{
		Path: d.File, Span: terraform.HeaderSpan(r.Block),
		Message: msg.T(
			"Custom domain %[1]s (%[2]s) has no %[3]s: every request to it gets 403 Forbidden",
			"カスタムドメイン名 %[1]s（%[2]s）に %[3]s がありません。このドメインへのリクエストはすべて 403 Forbidden になります",
			name, d.LogicalID, mapping),
	}
	if f, ok := tfMappingFix(p.Snap, r, d); ok {
		diag.Fixes = []analyzer.Fix{f}
	}
	p.Report(diag)
}

// tfMappingFix maps the only API of the domain's kind in its module, at
// its only stage, to the domain (offered, not applied: which API a domain
// serves is a decision).
func tfMappingFix(snap *link.Snapshot, dr *terraform.Resource, d *apimodel.Domain) (analyzer.Fix, bool) {
	var api *apimodel.API
	var apiRes *terraform.Resource
	for _, a := range snap.Model.APIs {
		r := tfResourceAt(snap, a.LogicalID)
		if a.Origin != apimodel.Terraform || a.Kind != d.Kind || r == nil || r.Module != dr.Module {
			continue
		}
		if api != nil {
			return analyzer.Fix{}, false // more than one: a decision
		}
		api, apiRes = a, r
	}
	if api == nil || !api.StagesKnown || apiRes.Repeated() {
		return analyzer.Fix{}, false
	}
	stage := soleDeployedStage(api)
	if stage == nil {
		return analyzer.Fix{}, false
	}
	// The stage as a reference to its resource, when one declares it.
	stageExpr := terraform.Quote(stage.Name)
	for _, r := range dr.Module.Resources {
		sp := terraform.Span(r.Block.Range())
		if r.File.Path() != stage.Loc.Path || !sp.Contains(stage.Loc.Span.Start) || r.Undecided || r.Repeated() {
			continue
		}
		switch r.Type {
		case "aws_api_gateway_stage":
			stageExpr = r.Key() + ".stage_name"
		case "aws_apigatewayv2_stage":
			stageExpr = r.Key() + ".id"
		}
	}
	if dr.Repeated() {
		return analyzer.Fix{}, false
	}
	typ := "aws_api_gateway_base_path_mapping"
	lines := []string{"", "", `resource "` + typ + `" "` + dr.Name + `" {`,
		"  api_id      = " + apiRes.Key() + ".id",
		"  stage_name  = " + stageExpr,
		"  domain_name = " + dr.Key() + ".domain_name",
		"}"}
	if d.Kind == apimodel.HTTP {
		typ = "aws_apigatewayv2_api_mapping"
		lines = []string{"", "", `resource "` + typ + `" "` + dr.Name + `" {`,
			"  api_id      = " + apiRes.Key() + ".id",
			"  domain_name = " + dr.Key() + ".id",
			"  stage       = " + stageExpr,
			"}"}
	}
	for _, o := range dr.Module.Resources {
		if o.Type == typ && o.Name == dr.Name {
			return analyzer.Fix{}, false
		}
	}
	return analyzer.Fix{
		Title: msg.T("Map %s (stage %q) to the domain", "%s（ステージ %q）をドメインにマッピング", api.Name, stage.Name),
		Edits: []analyzer.Edit{tfAppendAfter(dr, lines)},
	}, true
}

// runAPIKeyNotInUsagePlanTerraform is GW203 for aws_api_gateway_api_key.
func runAPIKeyNotInUsagePlanTerraform(p *analyzer.Pass) {
	snap := p.Snap
	for _, k := range snap.Model.APIKeys {
		if len(k.Plans) > 0 || k.Generated || !tfFile(snap, k.Loc.Path) {
			continue
		}
		r := tfResourceAt(snap, k.LogicalID)
		if r == nil || r.Undecided || r.Module.Broken() || tfUsedBy(snap, r) {
			continue // a usage plan key we could not resolve, a module, an output
		}
		p.Report(analyzer.Diagnostic{
			Path: k.Loc.Path, Span: k.Loc.Span,
			Message: msg.T(
				"API key %s is attached to no usage plan (no aws_api_gateway_usage_plan_key names it): requests that send this key get 403 Forbidden",
				"API キー %s はどの使用量プランにも関連付けられていません（これを指す aws_api_gateway_usage_plan_key がありません）。このキーを送るリクエストは 403 Forbidden になります",
				k.LogicalID),
		})
	}
}

// blockRefs returns the references of a block of module m, reusing a
// resource's.
func blockRefs(m *terraform.Module, b *hclsyntax.Block) map[string]bool {
	if r := m.ResourceOf(b); r != nil {
		return r.Refs()
	}
	return terraform.References(b.Body)
}

// wafDefaultName names a Web ACL's blocking default action as written.
func wafDefaultName(snap *link.Snapshot, w *apimodel.WebACL) string {
	if tfFile(snap, w.Loc.Path) {
		return "default_action { block {} }"
	}
	return "DefaultAction Block"
}

// tfSetValue replaces the value of the Terraform attribute that loc (its
// `name = value` span) points at with expr.
func tfSetValue(snap *link.Snapshot, loc apimodel.Loc, expr string) (analyzer.Edit, bool) {
	fd := snap.Files[loc.Path]
	if fd == nil || fd.Terraform == nil || loc.IsZero() {
		return analyzer.Edit{}, false
	}
	a := fd.Terraform.AttributeAt(loc.Span.Start)
	if a == nil {
		return analyzer.Edit{}, false
	}
	return analyzer.Edit{Path: loc.Path, Span: terraform.Span(a.Expr.Range()), NewText: expr}, true
}

// tfAppendAfter writes lines right after the closing brace of the
// resource's block, joined by the file's line break.
func tfAppendAfter(r *terraform.Resource, lines []string) analyzer.Edit {
	end := r.Block.CloseBraceRange.End.Byte
	return analyzer.Edit{Path: r.File.Path(), Span: source.Span{Start: end, End: end}, NewText: strings.Join(lines, fileEOL(r.File.Src.Text))}
}

// tfInsertArgument inserts `name = expr` as the first argument of the
// resource's block, indented like its arguments.
func tfInsertArgument(r *terraform.Resource, name, expr string) (analyzer.Edit, bool) {
	text := r.File.Src.Text
	b := r.Block
	open := b.OpenBraceRange.End.Byte
	nl := strings.IndexByte(text[open:], '\n')
	if nl < 0 || open+nl >= b.CloseBraceRange.Start.Byte {
		return analyzer.Edit{}, false // a one-line block
	}
	at := open + nl + 1
	eol := "\n"
	if nl > 0 && text[open+nl-1] == '\r' {
		eol = "\r\n"
	}
	lineStart := strings.LastIndexByte(text[:b.TypeRange.Start.Byte], '\n') + 1
	ind := leadingBlanks(text[lineStart:]) + "  "
	if next := leadingBlanks(text[at:]); len(next) > 0 && strings.TrimSpace(text[at:at+len(next)+1]) != "}" {
		ind = next
	}
	return analyzer.Edit{Path: r.File.Path(), Span: source.Span{Start: at, End: at}, NewText: ind + name + " = " + expr + eol}, true
}

// tfPolicyFix adds an aws_api_gateway_rest_api_policy after a private
// rest_api that allows execute-api:Invoke from the VPC endpoints the API
// lists (its vpc_endpoint_ids expression, copied).
func tfPolicyFix(snap *link.Snapshot, a *apimodel.API) (analyzer.Fix, bool) {
	r := tfResourceAt(snap, a.LogicalID)
	if r == nil || r.Type != "aws_api_gateway_rest_api" || r.Repeated() {
		return analyzer.Fix{}, false
	}
	var ids *hclsyntax.Attribute
	for _, ec := range r.Blocks(nil, "endpoint_configuration") {
		ids = ec.Body.Attributes["vpc_endpoint_ids"]
	}
	if ids == nil {
		return analyzer.Fix{}, false
	}
	if vs, ok := terraform.Strings(r.Eval(ids.Expr)); ok {
		for _, v := range vs {
			if !strings.HasPrefix(v, "vpce-") {
				return analyzer.Fix{}, false
			}
		}
		if len(vs) == 0 {
			return analyzer.Fix{}, false
		}
	}
	text := r.File.Src.Text
	sp := terraform.Span(ids.Expr.Range())
	expr := text[sp.Start:sp.End]
	if strings.ContainsAny(expr, "\r\n") {
		return analyzer.Fix{}, false
	}
	for _, other := range r.Module.Resources {
		if other.Type == "aws_api_gateway_rest_api_policy" && other.Name == r.Name {
			return analyzer.Fix{}, false
		}
	}
	lines := []string{
		"",
		"",
		`resource "aws_api_gateway_rest_api_policy" "` + r.Name + `" {`,
		"  rest_api_id = " + r.Key() + ".id",
		"  policy = jsonencode({",
		`    Version = "2012-10-17"`,
		"    Statement = [{",
		`      Effect    = "Allow"`,
		`      Principal = "*"`,
		`      Action    = "execute-api:Invoke"`,
		`      Resource  = "execute-api:/*"`,
		"      Condition = {",
		"        StringEquals = {",
		`          "aws:SourceVpce" = ` + expr,
		"        }",
		"      }",
		"    }]",
		"  })",
		"}",
	}
	return analyzer.Fix{
		Title: msg.T("Add an aws_api_gateway_rest_api_policy that allows the API's VPC endpoints", "API の VPC エンドポイントを許可する aws_api_gateway_rest_api_policy を追加"),
		Edits: []analyzer.Edit{tfAppendAfter(r, lines)},
		Safe:  true, Preferred: true,
	}, true
}

// tfPlanMayInclude reports a Terraform usage plan whose api_stages name an
// API the model cannot resolve (a variable, a data source): it may be any
// API.
func tfPlanMayInclude(snap *link.Snapshot) bool {
	for _, up := range snap.Model.UsagePlans {
		if !tfFile(snap, up.Loc.Path) {
			continue
		}
		for _, st := range up.Stages {
			if st.API == nil {
				return true
			}
		}
	}
	return false
}
