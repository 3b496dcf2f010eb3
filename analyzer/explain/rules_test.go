package explain

// The rule catalog, for the tests that read a rule's scope through
// analyzer.Lookup as the gw403-lsp binary does.
import _ "github.com/gw403/gw403-lsp/analyzer/rules"
