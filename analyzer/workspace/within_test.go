package workspace

import (
	"testing"

	"github.com/gw403/gw403-lsp/analyzer/link"
)

func TestWithin(t *testing.T) {
	tests := []struct {
		root, path string
		want       bool
	}{
		{"/w", "/w", true},
		{"/w", "/w/a.http", true},
		{"/w", "/w/sub/a.http", true},
		{"/w", "/wx/a.http", false},
		{"/w", "/a.http", false},
		{"/w/sub", "/w/a.http", false},
		{"/", "/a.http", true},
		{"/w", "/w/..x/a.http", true},
		{"/w", "/w/../x", false},
	}
	for _, tt := range tests {
		if got := link.Within(tt.root, tt.path); got != tt.want {
			t.Errorf("Within(%q, %q) = %v, want %v", tt.root, tt.path, got, tt.want)
		}
	}
}
