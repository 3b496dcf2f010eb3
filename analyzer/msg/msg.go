// Package msg holds the project's one way to write a user-facing message:
// a Text in English and Japanese, built from two format strings that share
// their arguments.
package msg

import (
	"fmt"
	"strings"
)

// Text is a message in English and Japanese.
type Text struct {
	EN, JA string
}

// In returns the text in lang ("ja" or anything else for English). A
// missing Japanese text falls back to English.
func (t Text) In(lang string) string {
	if strings.HasPrefix(lang, "ja") && t.JA != "" {
		return t.JA
	}
	return t.EN
}

// T builds a Text from English and Japanese format strings sharing args.
func T(en, ja string, args ...any) Text {
	if len(args) == 0 && !strings.Contains(en, "%") && !strings.Contains(ja, "%") {
		return Text{EN: en, JA: ja} // what Sprintf would return, without copying
	}
	return Text{EN: fmt.Sprintf(en, args...), JA: fmt.Sprintf(ja, args...)}
}
