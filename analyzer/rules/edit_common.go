package rules

import "strings"

// fileEOL is the line break a fix writes into text: "\r\n" when the file
// has any, else "\n".
func fileEOL(text string) string {
	if strings.Contains(text, "\r\n") {
		return "\r\n"
	}
	return "\n"
}
