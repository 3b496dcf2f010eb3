package workspace

import (
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/gw403/gw403-lsp/analyzer"
	"github.com/gw403/gw403-lsp/analyzer/link"
	"github.com/gw403/gw403-lsp/analyzer/msg"
)

// AWS CDK apps: a cdk.json marks the app, and `cdk synth` writes its
// CloudFormation to cdk.out (or cdk.json's "output"): *.template.json for
// each stack, nested stacks' *.nested.template.json, and the stacks of
// stages in assembly-*/ directories. The walk skips cdk.out (build output,
// usually git-ignored); the templates are read through the cdk.json.

// maxCDKTemplates bounds how many templates one app contributes.
const maxCDKTemplates = 500

// cdkTemplates lists the synthesized templates of the app at cdkJSON.
func cdkTemplates(cdkJSON string) []walkedFile {
	text, _ := os.ReadFile(cdkJSON)
	dir := link.CDKOutDir(cdkJSON, string(text))
	var out []walkedFile
	var visit func(d string, depth int)
	visit = func(d string, depth int) {
		entries, err := os.ReadDir(d)
		if err != nil {
			return
		}
		for _, e := range entries {
			p := filepath.Join(d, e.Name())
			switch {
			case len(out) >= maxCDKTemplates:
				return
			case e.IsDir() && strings.HasPrefix(e.Name(), "assembly-") && depth < 4:
				visit(p, depth+1)
			case e.Type().IsRegular() && strings.HasSuffix(e.Name(), ".template.json"):
				out = append(out, walkedFile{Path: p, Kind: link.KindTemplate, CDK: true})
			}
		}
	}
	visit(dir, 0)
	sort.Slice(out, func(i, j int) bool { return out[i].Path < out[j].Path })
	return out
}

// withCDKPath names the construct of a finding inside a synthesized
// template (the user fixes the CDK code, not cdk.out) and drops its fixes
// that edit cdk.out (the next synth would overwrite them).
func withCDKPath(snap *link.Snapshot, d analyzer.Diagnostic) analyzer.Diagnostic {
	fd := snap.Files[d.Path]
	if fd == nil || fd.Template == nil || !fd.CDK {
		return d
	}
	fixes := d.Fixes[:0:0]
	for _, f := range d.Fixes {
		keep := true
		for _, e := range f.Edits {
			if ef := snap.Files[e.Path]; ef != nil && ef.CDK {
				keep = false
			}
		}
		if keep {
			fixes = append(fixes, f)
		}
	}
	d.Fixes = fixes
	if cp := link.CDKPath(fd.Template, d.Span.Start); cp != "" {
		d.Message = msg.T("%s (CDK construct %s; cdk.out is generated: change the CDK code and run cdk synth)",
			"%s（CDK コンストラクト %s。cdk.out は生成物なので CDK のコードを変更して cdk synth を実行してください）", d.Message, cp)
	} else {
		d.Message = msg.T("%s (cdk.out is generated: change the CDK code and run cdk synth)",
			"%s（cdk.out は生成物なので CDK のコードを変更して cdk synth を実行してください）", d.Message)
	}
	return d
}
