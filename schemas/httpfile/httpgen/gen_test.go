package httpgen

import (
	"strings"
	"testing"
)

func TestFileIsDeterministic(t *testing.T) {
	a, b := File(200, Seed), File(200, Seed)
	if a != b {
		t.Fatalf("File(200, Seed) differs between calls")
	}
	if c := File(200, Seed+1); c == a {
		t.Errorf("File with another seed gives the same text")
	}
	if got := strings.Count(a, "\n### "); got != 200 {
		t.Errorf("File(200) has %d separator lines, want one per request", got)
	}
}

func TestFileSize(t *testing.T) {
	n := len(File(10000, Seed))
	if n < 2_000_000 || n > 2_600_000 {
		t.Errorf("File(10000) is %d bytes, want about 2.2 MB", n)
	}
}
