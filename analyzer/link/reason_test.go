package link

import (
	"strings"
	"testing"
)

// The reasons are formatted when read, from what linking saw: a host that
// came from a private value is masked in both languages, whether the
// request links or not.
func TestLinkReasonsMaskPrivateHosts(t *testing.T) {
	m := testModel()
	tests := []struct {
		name, host, want string
		linked           bool
	}{
		{"unlinked", "gw.internal.corp.net", "neither an API Gateway host", false},
		{"custom domain", "api.example.com", "is the custom domain", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			u := ParseURL(NewExpanded([]Piece{
				{Text: "https://"},
				{Text: tt.host, Var: "host", Secret: true},
				{Text: "/orders"},
			}), "")
			rc := &RequestContext{URL: u}
			rc.Link, rc.whyNot = linkRequest(linkInput{model: m, root: "/ws", url: u, method: "GET"})
			if (rc.Link != nil) != tt.linked {
				t.Fatalf("linked = %v, want %v", rc.Link != nil, tt.linked)
			}
			why := rc.LinkWhy()
			if rc.Link != nil {
				if why.EN != "" {
					t.Errorf("LinkWhy() = %q for a linked request", why.EN)
				}
				why = rc.Link.Reason()
			}
			if !strings.Contains(why.EN, tt.want) || why.JA == "" {
				t.Errorf("reason = %+v, want it to contain %q in English and to have Japanese", why, tt.want)
			}
			for _, s := range []string{why.EN, why.JA} {
				if strings.Contains(strings.ToLower(s), tt.host) || !strings.Contains(s, "****") {
					t.Errorf("reason %q shows the private host %s", s, tt.host)
				}
			}
		})
	}
}
