package rules

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gw403/gw403-lsp/analyzer"
	"github.com/gw403/gw403-lsp/analyzer/analyzertest"
	"github.com/gw403/gw403-lsp/analyzer/msg"
)

// catalog is the public contract of RULES.md: every code with its slug.
// Codes never change meaning once shipped.
var catalog = map[string]string{
	"GW001": "parse-error",
	"GW002": "missing-request-separator",
	"GW003": "cdk-not-synthesized",
	"GW101": "missing-api-key",
	"GW102": "misspelled-api-key-header",
	"GW111": "unsigned-iam-request",
	"GW112": "sigv4-wrong-scope",
	"GW113": "sigv4-missing-session-token",
	"GW114": "precomputed-signature",
	"GW115": "incomplete-signature",
	"GW116": "sigv4-scope-not-derivable",
	"GW117": "sigv4-line-not-portable",
	"GW121": "unknown-resource-path",
	"GW122": "method-not-defined",
	"GW131": "missing-stage",
	"GW132": "unknown-stage",
	"GW141": "stage-in-custom-domain-url",
	"GW142": "unmapped-base-path",
	"GW151": "private-api-vpce-host-without-api-id",
	"GW152": "private-api-needs-private-dns",
	"GW161": "execute-api-endpoint-disabled",
	"GW171": "mtls-client-certificate-missing",
	"GW181": "authorizer-identity-source-missing",
	"GW201": "api-key-without-usage-plan",
	"GW202": "usage-plan-stage-mismatch",
	"GW203": "api-key-not-in-usage-plan",
	"GW204": "api-key-source-not-header",
	"GW205": "api-key-source-authorizer-without-authorizer",
	"GW211": "private-api-without-policy",
	"GW212": "resource-policy-denies-all",
	"GW213": "resource-policy-resource-mismatch",
	"GW214": "resource-policy-vpce-mismatch",
	"GW221": "stale-deployment",
	"GW222": "api-never-deployed",
	"GW231": "execute-api-disabled-without-domain",
	"GW232": "domain-without-mapping",
	"GW233": "mtls-domain-with-default-endpoint",
	"GW241": "cors-preflight-requires-auth",
	"GW251": "waf-blocks-everything",
	"GW501": "hardcoded-aws-credentials",
	"GW502": "hardcoded-api-key",
}

func TestCatalog(t *testing.T) {
	got := map[string]*analyzer.Rule{}
	for _, r := range analyzer.Rules() {
		got[r.Code] = r
		if want, ok := catalog[r.Code]; !ok {
			t.Errorf("rule %s (%s) is not in the catalog", r.Code, r.Slug)
		} else if r.Slug != want {
			t.Errorf("rule %s slug = %q, want %q", r.Code, r.Slug, want)
		}
	}
	for code, slug := range catalog {
		if got[code] == nil {
			t.Errorf("catalog rule %s (%s) is not registered", code, slug)
		}
	}
}

func TestRuleDocs(t *testing.T) {
	for _, r := range analyzer.Rules() {
		sections := map[string]msg.Text{
			"Title": r.Title, "What": r.Doc.What, "Why": r.Doc.Why, "Example": r.Doc.Example, "Fix": r.Doc.Fix,
		}
		if r.ErrorType != "" {
			sections["Returns"] = r.Doc.Returns
		}
		for name, txt := range sections {
			if strings.TrimSpace(txt.EN) == "" || strings.TrimSpace(txt.JA) == "" {
				t.Errorf("%s: doc section %s must be written in English and Japanese", r.Code, name)
			}
		}
		if r.Run == nil {
			t.Errorf("%s: no Run function", r.Code)
		}
		if r.Severity == analyzer.Off {
			t.Errorf("%s: no default severity", r.Code)
		}
		if r.Scope == analyzer.FileScope && len(r.Kinds) == 0 {
			t.Errorf("%s: a file rule must name the file kinds it runs on", r.Code)
		}
	}
}

// TestFixtures runs every fixture workspace under testdata/<CODE>/<case>/
// with its rule. Each rule needs a failing case (a directory named fail*)
// and a passing one (pass*); a rule with fixes needs a golden file.
func TestFixtures(t *testing.T) {
	for _, r := range analyzer.Rules() {
		r := r
		t.Run(r.Code, func(t *testing.T) {
			dir := filepath.Join("testdata", r.Code)
			entries, err := os.ReadDir(dir)
			if err != nil {
				t.Fatalf("rule %s has no fixtures: %v", r.Code, err)
			}
			var fails, passes, goldens int
			for _, e := range entries {
				if !e.IsDir() {
					continue
				}
				switch {
				case strings.HasPrefix(e.Name(), "fail"):
					fails++
				case strings.HasPrefix(e.Name(), "pass"):
					passes++
				default:
					t.Errorf("fixture %s/%s: name it fail-… or pass-…", dir, e.Name())
					continue
				}
				caseDir := filepath.Join(dir, e.Name())
				_ = filepath.WalkDir(caseDir, func(p string, d os.DirEntry, err error) error {
					if err == nil && strings.HasSuffix(p, ".golden") {
						goldens++
					}
					return nil
				})
				t.Run(e.Name(), func(t *testing.T) {
					t.Parallel()
					analyzertest.Run(t, caseDir, r.Code)
				})
			}
			if fails == 0 || passes == 0 {
				t.Errorf("rule %s needs at least one fail-… and one pass-… fixture (have %d and %d)", r.Code, fails, passes)
			}
			if r.Fix != analyzer.FixNone && goldens == 0 {
				t.Errorf("rule %s offers fixes but no fixture has a .golden file", r.Code)
			}
		})
	}
}

// TestTerraformFixtures keeps the "Sources" of the rule docs honest: every
// rule that says it reads Terraform has a failing and a passing Terraform
// fixture.
func TestTerraformFixtures(t *testing.T) {
	for code, srcs := range sources {
		reads := false
		for _, s := range srcs {
			if s == Terraform {
				reads = true
			}
		}
		if !reads {
			continue
		}
		entries, err := os.ReadDir(filepath.Join("testdata", code))
		if err != nil {
			t.Errorf("%s: %v", code, err)
			continue
		}
		fail, pass := false, false
		for _, e := range entries {
			n := e.Name()
			if strings.Contains(n, "terraform") {
				fail = fail || strings.HasPrefix(n, "fail-")
				pass = pass || strings.HasPrefix(n, "pass-")
			}
		}
		if !fail || !pass {
			t.Errorf("%s reads Terraform but has no failing and passing Terraform fixture (fail %v, pass %v)", code, fail, pass)
		}
	}
}
