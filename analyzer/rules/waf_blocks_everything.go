package rules

import (
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/gw403/gw403-lsp/analyzer"
	"github.com/gw403/gw403-lsp/analyzer/link"
	"github.com/gw403/gw403-lsp/analyzer/msg"
	"github.com/gw403/gw403-lsp/schemas/apimodel"
	"github.com/gw403/gw403-lsp/schemas/yamlpos"
)

// WAFBlocksEverything is GW251.
var WAFBlocksEverything = &analyzer.Rule{
	Code: "GW251", Slug: "waf-blocks-everything",
	Title: msg.Text{
		EN: "WAF web ACL on the API blocks every request",
		JA: "API に関連付けた WAF ウェブ ACL がすべてのリクエストをブロックする",
	},
	Severity: analyzer.Error, Scope: analyzer.TemplateScope,
	Fix: analyzer.FixNone, ErrorType: "ForbiddenException", Status: 403,
	Doc: analyzer.Doc{
		What: msg.Text{
			EN: "Finds `AWS::WAFv2::WebACL` resources associated with a stage of a REST API in the workspace (`AWS::WAFv2::WebACLAssociation` with the stage ARN) whose `DefaultAction` is `Block` and whose rules contain no `Allow` action. Web ACLs with rule groups (managed or referenced) are not reported: a group may allow.",
			JA: "ワークスペースの REST API のステージに関連付けられた（ステージ ARN を指定した `AWS::WAFv2::WebACLAssociation`）`AWS::WAFv2::WebACL` のうち、`DefaultAction` が `Block` で、ルールに `Allow` アクションが一つもないものを見つけます。ルールグループ（マネージドまたは参照）を含むウェブ ACL は、グループが許可しうるため対象外です。",
		},
		Why: msg.Text{
			EN: "AWS WAF evaluates the rules in priority order; a request that no rule allows or blocks gets the default action. With `Block` as default and no Allow rule, every request is blocked before API Gateway runs any of its own checks.",
			JA: "AWS WAF はルールを優先順に評価し、どのルールにも許可もブロックもされなかったリクエストにはデフォルトアクションを適用します。デフォルトが `Block` で Allow ルールがなければ、API Gateway 自身のチェックの前にすべてのリクエストがブロックされます。",
		},
		Returns: msg.Text{
			EN: "`403` with `x-amzn-errortype: ForbiddenException` and `{\"message\":\"Forbidden\"}` (or the web ACL's custom response) for every request to the stage.",
			JA: "ステージへのすべてのリクエストに `403`、`x-amzn-errortype: ForbiddenException`、`{\"message\":\"Forbidden\"}`（またはウェブ ACL のカスタムレスポンス）が返ります。",
		},
		Example: msg.Text{
			EN: "```yaml\nApiAcl:\n  Type: AWS::WAFv2::WebACL\n  Properties:\n    Scope: REGIONAL\n    DefaultAction:\n      Block: {}\n    Rules:\n      - Name: block-bad-ips\n        Priority: 0\n        Action: {Block: {}}\n        Statement: ...\n```",
			JA: "```yaml\nApiAcl:\n  Type: AWS::WAFv2::WebACL\n  Properties:\n    Scope: REGIONAL\n    DefaultAction:\n      Block: {}\n    Rules:\n      - Name: block-bad-ips\n        Priority: 0\n        Action: {Block: {}}\n        Statement: ...\n```",
		},
		Fix: msg.Text{
			EN: "Use `DefaultAction: {Allow: {}}` with rules that block what must not pass, or keep `Block` as default and add rules whose action is `Allow` for the legitimate traffic (an IP set, a header, a country). There is no quick fix: what may pass is a decision.",
			JA: "`DefaultAction: {Allow: {}}` にして通してはいけないものをブロックするルールを置くか、デフォルトを `Block` のまま正当な通信（IP セット、ヘッダー、国など）に `Allow` アクションのルールを追加します。何を通すかは判断が必要なため、クイックフィックスはありません。",
		},
		References: []string{
			"https://docs.aws.amazon.com/waf/latest/developerguide/web-acl-default-action.html",
			"https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-control-access-aws-waf.html",
		},
	},
	Run: runWAFBlocksEverything,
}

func init() { analyzer.Register(WAFBlocksEverything) }

func runWAFBlocksEverything(p *analyzer.Pass) error {
	snap := p.Snap
	for _, w := range snap.Model.WebACLs {
		if w.DefaultAction != "Block" || w.HasAllowRule || w.DefaultLoc.IsZero() || mayAllowRules(snap, w) {
			continue
		}
		var targets []string
		for _, as := range w.Associations {
			if as.API == nil || as.API.Kind != apimodel.REST {
				continue
			}
			s := as.API.Name
			if as.Stage != "" {
				s += " (stage " + strconv.Quote(as.Stage) + ")"
			}
			targets = append(targets, s)
		}
		if len(targets) == 0 {
			continue
		}
		p.Report(analyzer.Diagnostic{
			Path: w.DefaultLoc.Path, Span: w.DefaultLoc.Span,
			Message: msg.T(
				"Web ACL %[1]s blocks by default (%[3]s) and no rule allows anything: every request to %[2]s gets 403 Forbidden",
				"ウェブ ACL %[1]s はデフォルトでブロックし（%[3]s）、許可するルールがありません。%[2]s へのリクエストはすべて 403 Forbidden になります",
				w.LogicalID, strings.Join(targets, ", "), wafDefaultName(snap, w)),
		})
	}
	return nil
}

// mayAllowRules reports rules that might allow although the model saw no
// Allow action: rules that cannot be read statically, or rule groups.
func mayAllowRules(snap *link.Snapshot, w *apimodel.WebACL) bool {
	if tfFile(snap, w.Loc.Path) {
		return false // the model reads every rule block (dynamic ones count as allowing)
	}
	r := resourceOf(snap, w.Loc.Path, w.LogicalID)
	if r == nil {
		return true
	}
	rules := r.Prop("Rules")
	if rules == nil {
		return false
	}
	if !yamlpos.IsSeq(rules) {
		return true // an intrinsic
	}
	for _, rule := range yamlpos.Items(rules) {
		if !yamlpos.IsMap(rule) {
			return true
		}
		if k, _ := yamlpos.Get(rule, "OverrideAction"); k != nil {
			return true // a rule group: its own rules may allow
		}
		action := yamlpos.Value(rule, "Action")
		if !yamlpos.IsMap(action) {
			return true
		}
		for _, a := range yamlpos.Pairs(action) {
			switch a.Key.Value {
			case "Block", "Count", "Captcha", "Challenge":
			default:
				return true
			}
		}
		group := false
		yamlpos.Walk(yamlpos.Value(rule, "Statement"), 0, func(n *yaml.Node, _ int) bool {
			for _, p := range yamlpos.Pairs(n) {
				if p.Key.Value == "RuleGroupReferenceStatement" || p.Key.Value == "ManagedRuleGroupStatement" {
					group = true
				}
			}
			return !group
		})
		if group {
			return true
		}
	}
	return false
}
