package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"sort"

	"github.com/google/renameio/v2"

	"github.com/gw403/gw403-lsp/analyzer"
)

type fixOutcome struct {
	count int              // fixes applied
	after *analyzer.Result // the findings after fixing
}

// maxFixRounds bounds the fix loop: each round applies non-overlapping
// fixes and re-checks, as a fix can make room for another.
const maxFixRounds = 10

// applyFixes applies safe fixes round by round and writes each changed file
// atomically. A file with a parse error (GW001) is never written, nor a file
// whose content changed on disk since it was checked. A fix that edits
// several files (a key moved to the private env file) is applied whole or
// not at all: every file is verified before any is written.
func applyFixes(ctx context.Context, ws *analyzer.Workspace, paths []string, res *analyzer.Result, stderr io.Writer) (fixOutcome, error) {
	total := 0
	refused := map[string]bool{}
	for round := 0; round < maxFixRounds; round++ {
		broken := map[string]bool{}
		for _, d := range res.Diagnostics {
			if d.Code == "GW001" {
				broken[d.Path] = true
			}
		}
		for _, p := range res.Unparsed { // also when GW001 is not reported
			broken[p] = true
		}
		writable := func(p string) bool { return !broken[p] && !refused[p] && res.Files[p] != nil }
		var byPath map[string][]analyzer.Edit
		var chosen int
		var plan map[string]plannedWrite
		for {
			byPath, chosen = analyzer.SafeEdits(fixesOn(res.Diagnostics, writable))
			if len(byPath) == 0 {
				break
			}
			var bad string
			var err error
			if plan, bad, err = planWrites(res, byPath); err == nil {
				break
			}
			fmt.Fprintf(stderr, "gw403-lsp check: not fixing %s: %v\n", bad, err)
			refused[bad] = true
		}
		if len(byPath) == 0 {
			break
		}
		written, err := writePlan(plan)
		for _, p := range written {
			ws.FileChanged(p)
		}
		if err != nil {
			return fixOutcome{}, err
		}
		total += chosen
		if res, err = ws.CheckPaths(ctx, paths); err != nil {
			return fixOutcome{}, err
		}
	}
	return fixOutcome{count: total, after: res}, nil
}

// fixesOn returns the diagnostics with only the fixes whose every edit
// lands in a writable file.
func fixesOn(diags []analyzer.Diagnostic, writable func(string) bool) []analyzer.Diagnostic {
	out := make([]analyzer.Diagnostic, 0, len(diags))
	for _, d := range diags {
		var keep []analyzer.Fix
		for _, f := range d.Fixes {
			ok := true
			for _, e := range f.Edits {
				ok = ok && writable(e.Path)
			}
			if ok {
				keep = append(keep, f)
			}
		}
		d.Fixes = keep
		out = append(out, d)
	}
	return out
}

type plannedWrite struct {
	text string
	mode os.FileMode
}

// planWrites verifies every file to be fixed and computes its new text.
// It returns the first file that cannot be written and why.
func planWrites(res *analyzer.Result, byPath map[string][]analyzer.Edit) (map[string]plannedWrite, string, error) {
	plan := map[string]plannedWrite{}
	files := make([]string, 0, len(byPath))
	for p := range byPath {
		files = append(files, p)
	}
	sort.Strings(files)
	for _, p := range files {
		text, mode, err := fixedText(p, res.Files[p].Text, byPath[p])
		if err != nil {
			return nil, p, err
		}
		if text != res.Files[p].Text {
			plan[p] = plannedWrite{text, mode}
		}
	}
	return plan, "", nil
}

// fixedText checks that the file at path still holds want (its content
// when checked) and returns it with edits applied, and its permissions.
func fixedText(path, want string, edits []analyzer.Edit) (string, os.FileMode, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return "", 0, err
	}
	cur, err := os.ReadFile(path)
	if err != nil {
		return "", 0, err
	}
	if string(cur) != want {
		return "", 0, fmt.Errorf("the file changed since it was checked")
	}
	out, err := analyzer.ApplyEdits(want, edits)
	if err != nil {
		return "", 0, err
	}
	return out, fi.Mode().Perm(), nil
}

// writePlan replaces each planned file atomically, keeping its
// permissions, in path order, and returns the files it wrote.
func writePlan(plan map[string]plannedWrite) ([]string, error) {
	files := make([]string, 0, len(plan))
	for p := range plan {
		files = append(files, p)
	}
	sort.Strings(files)
	var written []string
	for _, p := range files {
		w := plan[p]
		if err := renameio.WriteFile(p, []byte(w.text), w.mode); err != nil {
			return written, fmt.Errorf("write %s: %w", p, err)
		}
		written = append(written, p)
	}
	return written, nil
}
