package analyzer

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
