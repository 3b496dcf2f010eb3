package explain

import (
	"testing"

	"github.com/gw403/gw403-lsp/analyzer"
)

// TestCatalogOneWording: a cause that names a rule takes its title from
// the rule unless it keeps one that says something else; a cause that names
// no rule has its own title. A copy of the rule's title in the catalog
// would drift from it.
func TestCatalogOneWording(t *testing.T) {
	for id, doc := range catalog {
		if doc.code == "" {
			if doc.title.EN == "" || doc.title.JA == "" {
				t.Errorf("%s: no rule and no title in both languages", id)
			}
			continue
		}
		r := analyzer.Lookup(doc.code)
		if r == nil {
			t.Errorf("%s: rule %s is not in the catalog", id, doc.code)
			continue
		}
		if r.Status != 401 && r.Status != 403 {
			t.Errorf("%s: rule %s predicts status %d, not a 401 or 403", id, r.Code, r.Status)
		}
		switch {
		case doc.title == r.Title || doc.title.EN == r.Title.EN || doc.title.JA == r.Title.JA:
			t.Errorf("%s: repeats the title of %s; leave it out to take the rule's", id, r.Code)
		case doc.title.EN != "" && doc.title.JA == "", doc.title.EN == "" && doc.title.JA != "":
			t.Errorf("%s: a title of its own needs both languages", id)
		}
		if got := doc.titleOf(); got.EN == "" || got.JA == "" {
			t.Errorf("%s: title %+v", id, got)
		}
	}
}

// TestCauseTakesRuleTitle: the causes explain names carry the rule's title.
func TestCauseTakesRuleTitle(t *testing.T) {
	ds := explainText(t, "GET https://a1b2c3d4e5.execute-api.ap-northeast-1.amazonaws.com/orders HTTP/1.1\n\n"+
		"HTTP/1.1 403 Forbidden\nx-amzn-RequestId: 1\nx-amzn-ErrorType: ForbiddenException\n\n{\"message\":\"Forbidden\"}\n")
	seen := 0
	for _, c := range ds[0].Causes {
		doc := catalog[c.ID]
		if doc.code == "" || doc.title.EN != "" {
			continue
		}
		seen++
		if r := analyzer.Lookup(c.Code); c.Title != r.Title {
			t.Errorf("cause %s: title %q, want %s's %q", c.ID, c.Title.EN, r.Code, r.Title.EN)
		}
	}
	if seen == 0 {
		t.Errorf("no cause of %v takes a rule's title", ids(ds[0].Causes))
	}
}
