package rules

import (
	"strings"
	"testing"

	"github.com/gw403/gw403-lsp/analyzer/link"
	"github.com/gw403/gw403-lsp/analyzer/suggest"
	"github.com/gw403/gw403-lsp/schemas/httpfile"
)

func TestNearAPIKeyName(t *testing.T) {
	tests := []struct {
		name string
		want bool
	}{
		{"x-apikey", true},
		{"x_api_key", true},
		{"apikey", true},
		{"Api-Key", true},
		{"x-api_key", true},
		{"X-API-KEYS", true},
		{"x-api-kye", true},
		{"x-apii-key", true},
		{"x-api-key", false},
		{"X-API-Key", false},
		{"x-api-ver", false},
		{"x-api-token", false},
		{"x-apigw-api-id", false},
		{"api-version", false},
		{"Authorization", false},
		{"key", false},
	}
	for _, tt := range tests {
		if got := nearAPIKeyName(tt.name); got != tt.want {
			t.Errorf("nearAPIKeyName(%q) = %v, want %v", tt.name, got, tt.want)
		}
	}
}

// literalURL is a request URL written out on the request line.
func literalURL(raw string) *link.URL {
	return link.ParseURL(link.NewExpanded([]link.Piece{{Text: raw, Exact: true}}), "")
}

func TestKeyInQuery(t *testing.T) {
	tests := []struct {
		url, want string
	}{
		{"https://h/Prod/orders?api_key=k1", "api_key"},
		{"https://h/Prod/orders?limit=5&apikey=k1", "apikey"},
		{"https://h/Prod/orders?x-api-key=k1&limit=5", "x-api-key"},
		{"https://h/Prod/orders?limit=5", ""},
		{"https://h/Prod/orders?key=5", ""},
		{"https://h/Prod/orders", ""},
	}
	for _, tt := range tests {
		got := ""
		if q := keyInQuery(literalURL(tt.url)); q != nil {
			got = q.name
		}
		if got != tt.want {
			t.Errorf("keyInQuery(%s) = %q, want %q", tt.url, got, tt.want)
		}
	}
}

func TestRequestSigned(t *testing.T) {
	header := func(name string, pieces ...link.Piece) link.Header {
		return link.Header{H: &httpfile.Header{Name: name}, Value: link.NewExpanded(pieces)}
	}
	lit := func(s string) link.Piece { return link.Piece{Text: s, Exact: true} }
	unknown := func(name string) link.Piece { return link.Piece{Var: name, Unknown: true} }
	dialect := link.Header{H: &httpfile.Header{Name: "Authorization", AWS: &httpfile.AWSAuth{}}, Value: link.NewExpanded(nil)}
	tests := []struct {
		name    string
		url     string
		headers []link.Header
		want    bool
	}{
		{"no header", "https://h/Prod/x", nil, false},
		{"dialect signing line", "https://h/Prod/x", []link.Header{dialect}, true},
		{"AWS4 header", "https://h/Prod/x", []link.Header{header("Authorization", lit("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20250101/us-east-1/execute-api/aws4_request, SignedHeaders=host, Signature=abc"))}, true},
		{"set by a script", "https://h/Prod/x", []link.Header{header("Authorization", unknown("signature"))}, true},
		{"bearer token", "https://h/Prod/x", []link.Header{header("Authorization", lit("Bearer "), unknown("token"))}, false},
		{"basic", "https://h/Prod/x", []link.Header{header("authorization", lit("Basic dXNlcjpwYXNz"))}, false},
		{"presigned URL", "https://h/Prod/x?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Signature=abc", nil, true},
	}
	for _, tt := range tests {
		rc := &link.RequestContext{URL: literalURL(tt.url), Headers: tt.headers}
		if got := requestSigned(rc); got != tt.want {
			t.Errorf("%s: requestSigned() = %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestHeaderVarName(t *testing.T) {
	tests := []struct{ header, want string }{
		{"X-Tenant-Id", "tenantId"},
		{"x-partner-key", "partnerKey"},
		{"Session_Token", "sessionToken"},
	}
	for _, tt := range tests {
		if got := headerVarName(tt.header); got != tt.want {
			t.Errorf("headerVarName(%q) = %q, want %q", tt.header, got, tt.want)
		}
	}
}

func TestFoldVarName(t *testing.T) {
	old := func(s string) string {
		return strings.ToLower(strings.NewReplacer("-", "", "_", "", ".", "").Replace(s))
	}
	for _, s := range []string{"", "awsAccessKeyId", "aws_access_key_id", "AWS-Region.Name", "x-api-key", "__", "トークン_id", "\u212Aey_ID", "bad\xff_name", "İd.TOKEN"} {
		if got, want := foldVarName(s), old(s); got != want {
			t.Errorf("foldVarName(%q) = %q, want %q", s, got, want)
		}
	}
}

// TestNearAPIKeyNameLengths checks names of every length around
// x-api-key's against the distance itself: only 6 to 8 bytes after
// folding can be one slip away.
func TestNearAPIKeyNameLengths(t *testing.T) {
	for _, name := range []string{"xapikey", "xapike", "xapikeyy", "xxapikeyy", "apike", "xapik", "x-a-p-i-k-e-y-z-z", "xapikey\xff", "xapike\xff", "xapí-key", "XAPIKE"} {
		n := strings.ToLower(strings.TrimSpace(name))
		var b strings.Builder
		for _, c := range n {
			if c != '-' && c != '_' && c != ' ' && c != '.' {
				b.WriteRune(c)
			}
		}
		norm := b.String()
		want := n != "x-api-key" && (map[string]bool{"xapikey": true, "apikey": true, "xapikeys": true, "apikeys": true, "xapikeyheader": true, "apikeyheader": true}[norm] ||
			len(norm) >= 6 && suggest.Distance(norm, "xapikey") == 1 && strings.Contains(norm, "api"))
		if got := nearAPIKeyName(name); got != want {
			t.Errorf("nearAPIKeyName(%q) = %v, want %v", name, got, want)
		}
	}
}
