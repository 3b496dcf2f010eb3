package workspace

import (
	"testing"

	"github.com/gw403/gw403-lsp/schemas/source"
)

func TestChangesValue(t *testing.T) {
	sp := func(a, b int) source.Span { return source.Span{Start: a, End: b} }
	plain := defUse{span: sp(10, 20)}                // `@host = value` / dotenv: the bare value
	quoted := defUse{span: sp(10, 20), quoted: true} // "value" with its quotes
	tests := []struct {
		u    defUse
		s    source.Span
		want bool
	}{
		{plain, sp(20, 20), true},   // appended to the value
		{plain, sp(10, 10), true},   // prepended
		{plain, sp(21, 21), false},  // after it
		{plain, sp(15, 25), true},   // a replacement over its end
		{plain, sp(0, 10), false},   // a replacement ending where it starts
		{quoted, sp(19, 19), true},  // before the closing quote
		{quoted, sp(20, 20), false}, // after the closing quote: a new member
		{quoted, sp(10, 10), false}, // before the opening quote
		{quoted, sp(10, 20), true},  // the whole string replaced
	}
	for _, tt := range tests {
		if got := changesValue(tt.u, tt.s); got != tt.want {
			t.Errorf("changesValue(%+v, %v) = %v, want %v", tt.u, tt.s, got, tt.want)
		}
	}
}
