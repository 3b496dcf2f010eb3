// Package rules holds the rule catalog: one file per rule, named by its
// slug, each registering itself with the analyzer. Import it for its side
// effect:
//
//	import _ "github.com/gw403/gw403-lsp/analyzer/rules"
//
// GW001 (parse-error) lives in the analyzer itself, which produces it.
package rules
