package rules

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gw403/gw403-lsp/schemas/source"
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

// TestCredentialCandidateLines checks that every line on which scanSecrets
// finds a credential is a candidate line: GW501 scans only those.
func TestCredentialCandidateLines(t *testing.T) {
	const (
		key    = "AKIAZ7QX3MBDV5LWTN2R"
		temp   = "ASIAZ7QX3MBDV5LWTN3S"
		secret = "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"
	)
	texts := map[string]string{
		"lf":   "### 注文\nGET https://x/prod\nAuthorization: AWS " + key + " " + secret + "\n\n@awsSecretAccessKey = " + secret + "\n",
		"crlf": "\uFEFF" + key + "\r\nsecret_key: " + secret + "\r\n" + temp + "\r\nX-Id: " + key + "XYZ\r\n",
		"cr":   "aws_secret_access_key=" + secret + "\r" + key + "\rGET /" + secret + "\r",
		"edge": key + "\n" + secret + "\n" + "鍵: " + key + "（検証用）\n" + "secret=" + secret + "AAAA\n" + key[:19] + "\n",
	}
	err := filepath.WalkDir("testdata", func(path string, e fs.DirEntry, err error) error {
		if err != nil || e.IsDir() {
			return err
		}
		if ext := filepath.Ext(path); ext == ".http" || ext == ".rest" || ext == ".env" || ext == ".json" {
			b, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			texts[path] = string(b)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	found := 0
	for name, text := range texts {
		src := source.NewFile(name, text)
		cands := credentialCandidateLines(src)
		for l := 0; l < src.LineCount(); l++ {
			if scanSecrets("", src.Slice(src.LineSpan(l))).any() {
				found++
				if !cands[l] {
					t.Errorf("%s:%d: scanSecrets finds a credential, but the line is not a candidate", name, l+1)
				}
			}
		}
	}
	if found < 10 {
		t.Errorf("found credentials on %d lines, want at least 10", found)
	}
}

// TestFindKeyIDsEveryPosition compares findKeyIDs with a byte-by-byte
// reading of the same definition, for keys at every place of a text.
func TestFindKeyIDsEveryPosition(t *testing.T) {
	naive := func(s string) (out [][2]int) {
		for i := 0; i+20 <= len(s); i++ {
			w := s[i : i+20]
			if !(strings.HasPrefix(w, "AKIA") || strings.HasPrefix(w, "ASIA")) || i > 0 && isKeyChar(s[i-1]) ||
				!accessKeyIDRE.MatchString(w) || strings.HasSuffix(w, "EXAMPLE") || i+20 < len(s) && isKeyChar(s[i+20]) {
				continue
			}
			out = append(out, [2]int{i, i + 20})
			i += 19
		}
		return out
	}
	parts := []string{"AKIAZ7QX3MBDV5LWTN2R", "ASIAZ7QX3MBDV5LWTN3S", "A", "AA", "AKIA", " ", "\n", "鍵", "x", "AKIAIOSFODNN7EXAMPLE", "="}
	texts := []string{""}
	for _, a := range parts {
		for _, b := range parts {
			for _, c := range parts {
				texts = append(texts, a+b+c)
			}
		}
	}
	for _, s := range texts {
		got, _ := findKeyIDs(s)
		want := naive(s)
		if len(got) != len(want) {
			t.Errorf("findKeyIDs(%q) = %v, want %v", s, got, want)
			continue
		}
		for i := range got {
			if got[i] != want[i] {
				t.Errorf("findKeyIDs(%q) = %v, want %v", s, got, want)
				break
			}
		}
	}
}

// TestSecretKeyRunsEveryRun compares secretKeyRuns with a byte-by-byte
// reading on texts of runs of every length around 40, next to each other
// and at both ends.
func TestSecretKeyRunsEveryRun(t *testing.T) {
	const secret = "q8Vd2/Lx9pRtY7bNc0Wf3KhZ5mJs1AeUo4GiX6Tl" // 40
	linear := func(s string) (out [][2]int) {
		for i := 0; i < len(s); {
			if !isSecretChar(s[i]) {
				i++
				continue
			}
			j := i
			for j < len(s) && isSecretChar(s[j]) {
				j++
			}
			if j-i == 40 && (j == len(s) || s[j] != '=') && looksLikeSecretKey(s[i:j]) {
				out = append(out, [2]int{i, j})
			}
			i = j
		}
		return out
	}
	run := func(n int) string { return strings.Repeat(secret, 3)[:n] }
	var pieces []string
	for n := 0; n <= 82; n++ {
		pieces = append(pieces, run(n))
	}
	seps := []string{"", " ", "=", "\r\n", "鍵", "=="}
	var texts []string
	for _, a := range pieces {
		for _, sep := range seps {
			texts = append(texts, a+sep+secret, secret+sep+a, a+sep+a, sep+a+sep)
		}
	}
	found := 0
	for _, s := range texts {
		got, want := secretKeyRuns(s), linear(s)
		found += len(want)
		if len(got) != len(want) {
			t.Errorf("secretKeyRuns(%q) = %v, want %v", s, got, want)
			continue
		}
		for i := range got {
			if got[i] != want[i] {
				t.Errorf("secretKeyRuns(%q) = %v, want %v", s, got, want)
				break
			}
		}
	}
	if found < 100 {
		t.Errorf("the texts hold %d secret-like runs, want at least 100", found)
	}
}
