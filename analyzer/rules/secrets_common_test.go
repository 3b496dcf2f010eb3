package rules

import (
	"strings"
	"testing"
)

func TestScanSecrets(t *testing.T) {
	const (
		key    = "AKIAZ7QX3MBDV5LWTN2R"
		temp   = "ASIAZ7QX3MBDV5LWTN3S"
		secret = "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"
	)
	tests := []struct {
		name, ctx, text string
		want            secretKind
	}{
		{"key id alone", "", "awsAccessKeyId: " + key, secretKind{keyID: true}},
		{"temporary key id", "", "X-Amz-Credential=" + temp + "%2F20250515", secretKind{tempKeyID: true}},
		{"signing line", "", "Authorization: AWS " + key + " " + secret + " region:ap-northeast-1", secretKind{keyID: true, secret: true}},
		{"named secret", "awsSecretAccessKey: ", secret, secretKind{secret: true}},
		{"dotenv style", "", "aws_secret_access_key=" + secret, secretKind{secret: true}},
		{"40 chars without context", "", "GET /reports/" + secret, secretKind{}},
		{"git sha in a secret context", "", "secret_key: 4f3c2b1a9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b", secretKind{}},
		{"another service's secret", "", `"client_secret": "` + secret + `"`, secretKind{}},
		{"env var name", "AWS_SECRET_ACCESS_KEY: ", secret, secretKind{secret: true}},
		{"documentation key", "", "AKIAIOSFODNN7EXAMPLE wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", secretKind{}},
		{"part of a longer word", "", "X-Request-Id: " + key + "XYZ", secretKind{}},
		{"longer base64 run", "", "secret=" + secret + "AAAA", secretKind{}},
		{"lower-case look-alike", "", "akiaz7qx3mbdv5lwtn2r", secretKind{}},
		{"name in context only", "AKIAZ7QX3MBDV5LWTN2R: ", "value", secretKind{}},
		{"japanese around", "", "鍵: " + key + "（検証用）", secretKind{keyID: true}},
	}
	for _, tt := range tests {
		if got := scanSecrets(tt.ctx, tt.text); got != tt.want {
			t.Errorf("%s: scanSecrets(%q, %q) = %+v, want %+v", tt.name, tt.ctx, tt.text, got, tt.want)
		}
	}
}

func TestSecretKindDescribe(t *testing.T) {
	tests := []struct {
		k  secretKind
		en string
	}{
		{secretKind{keyID: true}, "an AWS access key id (AKIA…)"},
		{secretKind{tempKeyID: true}, "a temporary AWS access key id (ASIA…)"},
		{secretKind{secret: true}, "an AWS secret access key"},
		{secretKind{keyID: true, tempKeyID: true, secret: true}, "an AWS access key id (AKIA…) and a secret access key"},
	}
	for _, tt := range tests {
		d := tt.k.describe()
		if d.EN != tt.en || d.JA == "" {
			t.Errorf("%+v.describe() = %+v, want EN %q and a Japanese text", tt.k, d, tt.en)
		}
	}
}

func TestLooksLikeRealAPIKey(t *testing.T) {
	tests := []struct {
		v    string
		want bool
	}{
		{"7sKq2pLm9XvB4nRt6YwZ1cDf8GhJ3kMa0NbVc5Qe", true},
		{"partner-acme-2024-orders-key", true},
		{"local-test", false},
		{"set-in-http-client.private.env.json", false},
		{"your-api-key-goes-here-0000", false},
		{"<paste-your-api-key>", false},
		{"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", false},
		{"00000000000000000000000000", false},
		{"abcdefghijklmnopqrstuvwxyz", false},
		{"7sKq2pLm9X vB4nRt6YwZ1cDf8GhJ3k", false},
	}
	for _, tt := range tests {
		if got := looksLikeRealAPIKey(tt.v); got != tt.want {
			t.Errorf("looksLikeRealAPIKey(%q) = %v, want %v", tt.v, got, tt.want)
		}
	}
}

func TestIsAPIKeyVarName(t *testing.T) {
	for name, want := range map[string]bool{"apiKey": true, "API_KEY": true, "ordersApiKey": true, "x-api-key": true, "apiKeyId": false, "key": false, "baseUrl": false} {
		if got := isAPIKeyVarName(name); got != want {
			t.Errorf("isAPIKeyVarName(%q) = %v, want %v", name, got, want)
		}
	}
}

func TestContainsFoldASCII(t *testing.T) {
	for _, s := range []string{
		"", "secret", "SECRET", "awsSeCrEtAccessKey", "secre", "ecret", "x-secre t", "sécret",
		"\u212Asecret", "S\u0130CRET", "SE\xffCRET", "\xffsecret\xfe", "シークレット secret_key",
		"\r\nsecret\r\n", "SECRE", "Secret@", "s`cret", "S@CRET",
	} {
		want := strings.Contains(strings.ToLower(s), "secret")
		if got := containsFoldASCII(s, "secret"); got != want {
			t.Errorf("containsFoldASCII(%q, \"secret\") = %v, want %v", s, got, want)
		}
	}
}

func TestFindSecretKeysNameBeforeOrAfter(t *testing.T) {
	const secret = "q8Vd2/Lx9pRtY7bNc0Wf3KhZ5mJs1AeUo4GiX6Tl"
	tests := []struct {
		s    string
		want int
	}{
		{"awsSecretAccessKey: " + secret, 1},
		{secret + " # awsSecretAccessKey", 0},
		{"SECRET_KEY=" + secret + " and secret_key=" + secret, 2},
		{"no name here " + secret, 0},
	}
	for _, tt := range tests {
		if got := len(findSecretKeys(tt.s, nil)); got != tt.want {
			t.Errorf("findSecretKeys(%q) found %d, want %d", tt.s, got, tt.want)
		}
	}
}
