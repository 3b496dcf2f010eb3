// Package analyzer is the rule framework, as go/analysis is for Go: a Rule
// with its metadata and documentation, the Pass it runs with, the
// Diagnostic and Fix it reports, the registry and the one policy that
// chooses which fixes to apply. What a rule reads is in analyzer/link; the
// workspace that builds snapshots and runs the rules is analyzer/workspace;
// the rules themselves are in analyzer/rules.
package analyzer

import (
	"fmt"
	"sort"
	"strings"
	"sync"

	"github.com/gw403/gw403-lsp/analyzer/link"
	"github.com/gw403/gw403-lsp/analyzer/msg"
)

// Scope says what a rule looks at and how often it runs.
type Scope int

const (
	// RequestScope rules run once per request and environment.
	RequestScope Scope = iota
	// TemplateScope rules run once per workspace model and report on
	// templates and OpenAPI documents.
	TemplateScope
	// FileScope rules run once per file of the kinds they name (security
	// rules on request and env files).
	FileScope
)

// FixAvailability says whether a rule offers a quick fix.
type FixAvailability int

const (
	FixNone FixAvailability = iota
	FixSometimes
	FixAlways
)

func (f FixAvailability) String() string {
	switch f {
	case FixSometimes:
		return "sometimes"
	case FixAlways:
		return "always"
	}
	return "none"
}

// Doc is a rule's documentation, rendered alike by `gw403-lsp rules`, hover
// and docs/rules.md. Every section is markdown.
type Doc struct {
	What    msg.Text // What it does
	Why     msg.Text // Why is this a 403?
	Returns msg.Text // What API Gateway returns (x-amzn-errortype and message)
	Example msg.Text // a failing example (a code block)
	Fix     msg.Text // Use instead / how to fix, and fix safety
	// References are URLs to the API Gateway developer guide or client docs.
	References []string
}

// Rule is one check, with its metadata next to its logic.
type Rule struct {
	Code     string // "GW101": stable, never reused
	Slug     string // "missing-api-key"
	Title    msg.Text
	Doc      Doc
	Severity Severity // default severity
	Scope    Scope
	// Standalone request rules also run on requests that are not linked to
	// an API.
	Standalone bool
	// Kinds are the file kinds a FileScope rule runs on.
	Kinds []link.FileKind
	Fix   FixAvailability
	// ErrorType and Status are the predicted API Gateway answer, copied to
	// each diagnostic unless the rule sets its own.
	ErrorType string
	Status    int
	// Run reports findings through the pass. It returns an error only when
	// the rule itself failed, never for a finding.
	Run func(*Pass) error
}

// DocURL is the published documentation of a rule.
func (r *Rule) DocURL() string {
	return "https://github.com/gw403/gw403-lsp/blob/main/docs/rules.md#" + strings.ToLower(r.Code)
}

var (
	registryMu sync.Mutex // guards registry
	registry   = map[string]*Rule{}
)

// Register adds rules to the catalog. It panics on a duplicate code or slug:
// that is a programming error caught by any test.
func Register(rules ...*Rule) {
	registryMu.Lock()
	defer registryMu.Unlock()
	for _, r := range rules {
		if _, dup := registry[r.Code]; dup {
			panic(fmt.Sprintf("analyzer: rule %s registered twice", r.Code))
		}
		for _, o := range registry {
			if o.Slug == r.Slug {
				panic(fmt.Sprintf("analyzer: slug %s used by %s and %s", r.Slug, o.Code, r.Code))
			}
		}
		registry[r.Code] = r
	}
}

// Rules returns the catalog in code order.
func Rules() []*Rule {
	registryMu.Lock()
	defer registryMu.Unlock()
	out := make([]*Rule, 0, len(registry))
	for _, r := range registry {
		out = append(out, r)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Code < out[j].Code })
	return out
}

// Lookup returns the rule with that code or slug (case-insensitive), or nil.
func Lookup(codeOrSlug string) *Rule {
	registryMu.Lock()
	defer registryMu.Unlock()
	if r := registry[strings.ToUpper(codeOrSlug)]; r != nil {
		return r
	}
	for _, r := range registry {
		if strings.EqualFold(r.Slug, codeOrSlug) {
			return r
		}
	}
	return nil
}

// Matches reports whether the rule is selected by a list of codes or code
// prefixes ("GW1", "GW10", "GW101") or slugs.
func (r *Rule) Matches(list []string) bool {
	for _, c := range list {
		c = strings.TrimSpace(c)
		if c == "" {
			continue
		}
		if strings.EqualFold(c, r.Slug) || strings.HasPrefix(r.Code, strings.ToUpper(c)) || strings.EqualFold(c, "ALL") {
			return true
		}
	}
	return false
}
