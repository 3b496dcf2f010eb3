// Package msg holds the project's one way to write a user-facing message:
// a Text in English and Japanese, built from two format strings that share
// their arguments.
package msg

import (
	"fmt"
	"slices"
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
// An argument that is a Text stands for its English text in the English
// message and its Japanese text in the Japanese one. When the languages
// need the arguments in another order, or one of them leaves an argument
// out, the formats index them (`%[2]s`).
func T(en, ja string, args ...any) Text {
	if len(args) == 0 && !strings.Contains(en, "%") && !strings.Contains(ja, "%") {
		return Text{EN: en, JA: ja} // what Sprintf would return, without copying
	}
	for _, a := range args {
		if _, ok := a.(Text); ok {
			return tWithTexts(en, ja, args)
		}
	}
	// Passing args through unchanged lets go vet check the Japanese format
	// (the one before args) at every call.
	return Text{EN: fmt.Sprintf(en, args...), JA: fmt.Sprintf(ja, args...)}
}

// Join joins ts with a separator per language: Join(ts, " and ", "と").
func Join(ts []Text, en, ja string) Text {
	e, j := make([]string, len(ts)), make([]string, len(ts))
	for i, t := range ts {
		e[i], j[i] = t.EN, t.In("ja")
	}
	return Text{EN: strings.Join(e, en), JA: strings.Join(j, ja)}
}

// tWithTexts is T when some of args are Texts: each is replaced by its
// text in the language of the format.
func tWithTexts(en, ja string, args []any) Text {
	enArgs, jaArgs := slices.Clone(args), slices.Clone(args)
	for i, a := range args {
		if t, ok := a.(Text); ok {
			enArgs[i], jaArgs[i] = t.EN, t.In("ja")
		}
	}
	return Text{EN: fmt.Sprintf(en, enArgs...), JA: fmt.Sprintf(ja, jaArgs...)}
}

// Clip cuts s, a value quoted in a message, to at most n bytes on a
// character boundary, marking the cut with "…".
func Clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	cut := n
	for cut > 0 && cut < len(s) && s[cut]&0xC0 == 0x80 {
		cut--
	}
	return s[:cut] + "…"
}
