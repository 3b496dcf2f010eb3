package analyzer

import "github.com/gw403/gw403-lsp/analyzer/link"

// Pass is what a rule sees when it runs. Exactly one of Request (for
// RequestScope rules) and File (for FileScope rules) is set; TemplateScope
// rules look at Snap.
type Pass struct {
	Rule *Rule
	Snap *link.Snapshot
	// Request is the request under check (RequestScope).
	Request *link.RequestContext
	// File is the file under check (FileScope).
	File *link.FileData

	// Emit receives each finding once Report has filled in its defaults;
	// the driver that runs the rule sets it.
	Emit func(Diagnostic)
}

// Report records a finding. Code, Slug, Severity, ErrorType and Status
// default to the rule's; Path defaults to the file under check.
func (p *Pass) Report(d Diagnostic) {
	if d.Code == "" {
		d.Code = p.Rule.Code
	}
	if d.Slug == "" {
		d.Slug = p.Rule.Slug
	}
	if d.Severity == Off {
		d.Severity = p.Rule.Severity
	}
	if d.ErrorType == "" {
		d.ErrorType = p.Rule.ErrorType
	}
	if d.Status == 0 {
		d.Status = p.Rule.Status
	}
	if d.Path == "" {
		switch {
		case p.Request != nil:
			d.Path = p.Request.Path
		case p.File != nil:
			d.Path = p.File.Path
		}
	}
	for i := range d.Fixes {
		for j := range d.Fixes[i].Edits {
			if d.Fixes[i].Edits[j].Path == "" {
				d.Fixes[i].Edits[j].Path = d.Path
			}
		}
	}
	p.Emit(d)
}
