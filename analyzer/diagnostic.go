package analyzer

import (
	"fmt"
	"strings"

	"github.com/gw403/gw403-lsp/analyzer/msg"
	"github.com/gw403/gw403-lsp/schemas/source"
)

// Severity of a finding.
type Severity int

const (
	// Off disables a rule (configuration only; never on a Diagnostic).
	Off Severity = iota
	Info
	Warning
	Error
)

func (s Severity) String() string {
	switch s {
	case Info:
		return "info"
	case Warning:
		return "warning"
	case Error:
		return "error"
	}
	return "off"
}

// ParseSeverity reads "error", "warning", "info" or "off".
func ParseSeverity(s string) (Severity, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "error":
		return Error, nil
	case "warning", "warn":
		return Warning, nil
	case "info", "information", "hint":
		return Info, nil
	case "off", "none", "ignore":
		return Off, nil
	}
	return Off, fmt.Errorf("unknown severity %q (want error, warning, info or off)", s)
}

// Diagnostic is one finding. Spans are byte offsets into the file at Path as
// it was when checked.
type Diagnostic struct {
	Path     string
	Span     source.Span
	Code     string // "GW101"
	Slug     string // "missing-api-key"
	Severity Severity
	Message  msg.Text
	// ErrorType is the predicted x-amzn-errortype ("ForbiddenException"),
	// "" when the finding predicts no API Gateway answer (GW001, GW501…).
	ErrorType string
	// Status is the predicted HTTP status (403, or 401 for GW181); 0 when
	// not applicable.
	Status int
	// Envs are the environments the finding was evaluated with; empty when
	// it does not depend on one.
	Envs    []string
	Related []Related
	Fixes   []Fix
}

// Related is a location that explains a finding, such as the template line
// that requires the API key.
type Related struct {
	Path    string
	Span    source.Span
	Message msg.Text
}

// Fix is one suggested change. Edits of one fix never overlap.
type Fix struct {
	Title msg.Text
	Edits []Edit
	// Safe fixes are applied by `check --fix` and source.fixAll; unsafe ones
	// only on request in the editor.
	Safe bool
	// Preferred marks the one obvious fix for the editor.
	Preferred bool
	// Fallback marks the same change made on the request's own line, for a
	// fix before it that edits a shared definition (a file variable, an
	// env-file value). It is offered only when that fix would change other
	// requests too, and then comes first; otherwise it is dropped.
	Fallback bool
}

// Edit replaces Span in the file at Path by NewText.
type Edit struct {
	Path    string
	Span    source.Span
	NewText string
	// Secret marks a NewText that carries a secret value (a key moved to
	// the private env file). Outputs that leave the machine (JSON, SARIF)
	// show it masked; --fix and the editor apply it as is.
	Secret bool
}

// MaskedText is NewText, or "****" in place of a secret one.
func (e Edit) MaskedText() string {
	if e.Secret {
		return "****"
	}
	return e.NewText
}
