package rules

import (
	"reflect"
	"strings"
	"testing"

	"github.com/gw403/gw403-lsp/schemas/httpfile"
	"github.com/gw403/gw403-lsp/schemas/source"
)

func TestParseSigV4(t *testing.T) {
	tests := []struct {
		in      string
		ok      bool
		missing []string
		hidden  bool
	}{
		{"AWS4-HMAC-SHA256 Credential=AKID/20250515/ap-northeast-1/execute-api/aws4_request, SignedHeaders=host;x-amz-date, Signature=abc", true, nil, false},
		{"AWS4-HMAC-SHA256 Credential=AKID/20250515/ap-northeast-1/execute-api/aws4_request, Signature=abc", true, []string{"SignedHeaders"}, false},
		{"aws4-hmac-sha256 SignedHeaders=host", true, []string{"Credential", "Signature"}, false},
		{"AWS4-HMAC-SHA256", true, []string{"Credential", "Signature", "SignedHeaders"}, false},
		{"AWS4-HMAC-SHA256 Credential=\x00, SignedHeaders=host, Signature=\x00", true, nil, false},
		{"AWS4-HMAC-SHA256 \x00", true, nil, true},
		{"AWS4-HMAC-SHA256 Credential=x, \x00=y", true, nil, true},
		{"Bearer eyJhbGciOi", false, nil, false},
		{"AWS4-HMAC-SHA256X Credential=x", false, nil, false},
		{"AWS id secret", false, nil, false},
	}
	for _, tt := range tests {
		h, ok := parseSigV4(tt.in)
		if ok != tt.ok {
			t.Errorf("parseSigV4(%q) ok = %v, want %v", tt.in, ok, tt.ok)
			continue
		}
		if !ok {
			continue
		}
		if h.Hidden != tt.hidden {
			t.Errorf("parseSigV4(%q).Hidden = %v, want %v", tt.in, h.Hidden, tt.hidden)
		}
		if got := h.missing(); !reflect.DeepEqual(got, tt.missing) {
			t.Errorf("parseSigV4(%q).missing() = %v, want %v", tt.in, got, tt.missing)
		}
	}
}

func TestCredentialScope(t *testing.T) {
	tests := []struct {
		in                   string
		key, region, service string
		ok                   bool
	}{
		{"AKIAZ7QX3MBDV5LWTN2R/20250515/ap-northeast-1/execute-api/aws4_request", "AKIAZ7QX3MBDV5LWTN2R", "ap-northeast-1", "execute-api", true},
		{"ASIA…/20250515/us-east-1/sqs/aws4_request", "ASIA…", "us-east-1", "sqs", true},
		{"AKID/20250515/us-east-1/sqs", "", "", "", false},
		{"\x00/20250515/us-east-1/sqs/aws4_request", "", "", "", false},
		{"", "", "", "", false},
	}
	for _, tt := range tests {
		k, r, s, ok := credentialScope(tt.in)
		if k != tt.key || r != tt.region || s != tt.service || ok != tt.ok {
			t.Errorf("credentialScope(%q) = %q, %q, %q, %v, want %q, %q, %q, %v", tt.in, k, r, s, ok, tt.key, tt.region, tt.service, tt.ok)
		}
	}
}

func TestPickVar(t *testing.T) {
	have := []string{"baseUrl", "AWS_SESSION_TOKEN", "region"}
	tests := []struct {
		def     string
		cands   []string
		want    string
		defined bool
	}{
		{"awsSessionToken", tokenVarNames, "AWS_SESSION_TOKEN", true},
		{"awsRegion", regionVarNames, "region", true},
		{"awsAccessKeyId", accessKeyVarNames, "awsAccessKeyId", false},
	}
	for _, tt := range tests {
		got, ok := pickVar(have, tt.def, tt.cands...)
		if got != tt.want || ok != tt.defined {
			t.Errorf("pickVar(%v, %q) = %q, %v, want %q, %v", have, tt.def, got, ok, tt.want, tt.defined)
		}
	}
}

// signingLine parses a one-request file and returns its signing line.
func signingLine(t *testing.T, header string) *httpfile.AWSAuth {
	t.Helper()
	f := httpfile.Parse(source.NewFile("t.http", "GET https://a1b2c3d4e5.execute-api.ap-northeast-1.amazonaws.com/prod/x\n"+header+"\n"))
	if len(f.Requests) != 1 || len(f.Requests[0].Headers) != 1 || f.Requests[0].Headers[0].AWS == nil {
		t.Fatalf("%q: not parsed as a signing line", header)
	}
	return f.Requests[0].Headers[0].AWS
}

func TestSigLineProblems(t *testing.T) {
	tests := []struct {
		header    string
		problems  []string // English texts, in order
		lossy     bool
		canonical string
	}{
		{"Authorization: AWS id secret token:t region:r service:s", nil, false, "token:t region:r service:s"},
		{"Authorization: AWS id secret", nil, false, ""},
		{"Authorization: AWS id secret service:execute-api region:ap-northeast-1",
			[]string{"the options are not in the order token:, region:, service: (httpyac then sends the header unsigned)"}, false,
			"region:ap-northeast-1 service:execute-api"},
		{"Authorization: AWS id secret region: ap-northeast-1",
			[]string{"a blank after region: (REST Client reads an empty value)"}, false, "region:ap-northeast-1"},
		{"Authorization: AWS id secret Token:{{t}}",
			[]string{"Token: is not in lower case (REST Client ignores it)"}, false, "token:{{t}}"},
		{"Authorization: AWS id secret region:a region:b",
			[]string{"region: is given twice (httpyac then sends the header unsigned)"}, true, "region:a"},
		{"Authorization: AWS id secret signedHeaders:host",
			[]string{"unknown option signedHeaders: (httpyac then sends the header unsigned)"}, true, ""},
		{"Authorization: AWS id secret tokenvalue extra",
			[]string{"2 extra words that are neither credentials nor options (httpyac then sends the header unsigned)"}, true, ""},
	}
	for _, tt := range tests {
		a := signingLine(t, tt.header)
		problems, lossy := sigLineProblems(a, nil)
		var got []string
		for _, p := range problems {
			got = append(got, p.EN)
			if p.JA == "" {
				t.Errorf("%q: problem %q has no Japanese text", tt.header, p.EN)
			}
		}
		if !reflect.DeepEqual(got, tt.problems) || lossy != tt.lossy {
			t.Errorf("sigLineProblems(%q) = %q, %v, want %q, %v", tt.header, got, lossy, tt.problems, tt.lossy)
		}
		if c := canonicalOptions(a); c != tt.canonical {
			t.Errorf("canonicalOptions(%q) = %q, want %q", tt.header, c, tt.canonical)
		}
	}
}

func TestRequestLineDisplay(t *testing.T) {
	tests := []struct{ in, want string }{
		{"GET https://a.example.jp/orders?api_key=abc HTTP/1.1", `"GET https://a.example.jp/orders"`},
		{"POST {{host}}/orders HTTP/1.1", `"POST {{host}}/orders"`},
		{"GET https://a.example.jp/" + strings.Repeat("あ", 100), `"GET https://a.example.jp/` + strings.Repeat("あ", 79-len([]rune("GET https://a.example.jp/"))) + `…"`},
	}
	for _, tt := range tests {
		if got := requestLineDisplay(tt.in); got != tt.want {
			t.Errorf("requestLineDisplay(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestSeparatorInsertAt(t *testing.T) {
	text := "GET https://a.example.jp/x\r\nAccept: */*\r\n\r\n# @name second\r\n// 二つ目\r\nGET https://a.example.jp/y\r\n"
	src := source.NewFile("t.http", text)
	at := separatorInsertAt(src, strings.LastIndex(text, "GET"))
	if want := strings.Index(text, "# @name"); at != want {
		t.Errorf("separatorInsertAt = %d, want %d (above the comment lines)", at, want)
	}
	text2 := "GET https://a.example.jp/x\nAccept: */*\nGET https://a.example.jp/y\n"
	src2 := source.NewFile("t.http", text2)
	if at, want := separatorInsertAt(src2, strings.LastIndex(text2, "GET")), strings.LastIndex(text2, "GET"); at != want {
		t.Errorf("separatorInsertAt = %d, want %d (right above the request line)", at, want)
	}
}

func TestAWS4Scope(t *testing.T) {
	tests := []struct{ host, service, region string }{
		{"a1b2c3d4e5.execute-api.ap-northeast-1.amazonaws.com", "execute-api", "ap-northeast-1"},
		{"a1b2c3d4e5-vpce-0a1b2c3d4e5f67890.execute-api.ap-northeast-1.amazonaws.com", "execute-api", "ap-northeast-1"},
		{"vpce-0a1b2c3d4e5f67890-x1y2z3w4.execute-api.ap-northeast-1.vpce.amazonaws.com", "ap-northeast-1", "vpce"},
		{"cognito-idp.eu-central-1.amazonaws.com", "cognito-idp", "eu-central-1"},
		{"search-orders-abc123.ap-northeast-1.es.amazonaws.com", "es", "ap-northeast-1"},
		{"reports-export.s3.amazonaws.com", "s3", "us-east-1"},
		{"s3-ap-northeast-1.amazonaws.com", "s3", "ap-northeast-1"},
		{"sts.amazonaws.com", "sts", "us-east-1"},
		{"email.us-west-2.amazonaws.com", "ses", "us-west-2"},
		{"reports.example.jp", "", "us-east-1"},
		{"d111111abcdef8.cloudfront.net", "", "us-east-1"},
	}
	for _, tt := range tests {
		s, r := aws4Scope(tt.host)
		if s != tt.service || r != tt.region {
			t.Errorf("aws4Scope(%q) = %q, %q, want %q, %q", tt.host, s, r, tt.service, tt.region)
		}
	}
}
