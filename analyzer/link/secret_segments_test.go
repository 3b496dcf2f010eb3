package link

import "testing"

func TestResourcePathMasksSecretSegments(t *testing.T) {
	exp := NewExpanded([]Piece{
		{Text: "https://a1b2c3d4e5.execute-api.us-east-1.amazonaws.com/prod/orders/"},
		{Text: "s3cr3t", Var: "token", Secret: true},
		{Text: "/items/x"},
		{Text: "y", Var: "v"},
	})
	u := ParseURL(exp, "")
	var secret []string
	for _, s := range u.Segments {
		if s.Secret {
			secret = append(secret, s.Text)
		}
	}
	if len(secret) != 1 || secret[0] != "s3cr3t" {
		t.Errorf("secret segments = %q, want [s3cr3t]", secret)
	}
	l := &Link{Resource: u.Segments[1:]}
	if got, want := l.ResourcePath(), "/orders/****/items/xy"; got != want {
		t.Errorf("ResourcePath() = %q, want %q", got, want)
	}
}

func TestClassifyHostCacheAgrees(t *testing.T) {
	hosts := []string{
		"a1b2c3d4e5.execute-api.ap-northeast-1.amazonaws.com", "A1B2C3D4E5.Execute-API.us-east-1.amazonaws.com.",
		"vpce-0123abcd-xyz.execute-api.ap-northeast-1.vpce.amazonaws.com",
		"a1b2c3d4e5-vpce-0123abcd.execute-api.ap-northeast-1.amazonaws.com",
		"localhost", "[::1]", "127.0.0.1", "d111.cloudfront.net", "api.example.com", "", "x\x00y",
	}
	for round := 0; round < 2; round++ { // the second round is served from the cache
		for _, h := range hosts {
			if got, want := ClassifyHost(h), classifyHost(h); got != want {
				t.Errorf("round %d: ClassifyHost(%q) = %+v, want %+v", round, h, got, want)
			}
		}
	}
}
