package rules

import (
	"github.com/gw403/gw403-lsp/analyzer/link"
	"github.com/gw403/gw403-lsp/schemas/serverless"
)

// slsService returns the Serverless Framework service of a file of the
// snapshot, or nil.
func slsService(snap *link.Snapshot, path string) *serverless.Service {
	if fd := snap.Files[path]; fd != nil {
		return fd.Serverless
	}
	return nil
}
