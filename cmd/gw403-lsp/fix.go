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
// whose content changed on disk since it was checked.
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
		var usable []analyzer.Diagnostic
		for _, d := range res.Diagnostics {
			ok := true
			for _, f := range d.Fixes {
				for _, e := range f.Edits {
					if broken[e.Path] || refused[e.Path] {
						ok = false
					}
				}
			}
			if ok {
				usable = append(usable, d)
			}
		}
		byPath, chosen := analyzer.SafeEdits(usable)
		if len(byPath) == 0 {
			break
		}
		files := make([]string, 0, len(byPath))
		for p := range byPath {
			files = append(files, p)
		}
		sort.Strings(files)
		wrote := 0
		for _, p := range files {
			src := res.Files[p]
			if src == nil {
				refused[p] = true
				continue
			}
			_, err := writeFixed(p, src.Text, byPath[p])
			if err != nil {
				fmt.Fprintf(stderr, "gw403-lsp check: not fixing %s: %v\n", p, err)
				refused[p] = true
				continue
			}
			ws.FileChanged(p)
			wrote++
		}
		if wrote == 0 {
			break
		}
		if wrote == len(files) {
			total += chosen
		}
		var err error
		if res, err = ws.CheckPaths(ctx, paths); err != nil {
			return fixOutcome{}, err
		}
	}
	return fixOutcome{count: total, after: res}, nil
}

// writeFixed applies edits to the file at path, whose content was checked
// as want, and replaces it atomically keeping its permissions. It returns
// the number of edits applied.
func writeFixed(path, want string, edits []analyzer.Edit) (int, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return 0, err
	}
	cur, err := os.ReadFile(path)
	if err != nil {
		return 0, err
	}
	if string(cur) != want {
		return 0, fmt.Errorf("the file changed since it was checked")
	}
	out, err := analyzer.ApplyEdits(want, edits)
	if err != nil {
		return 0, err
	}
	if out == want {
		return 0, nil
	}
	if err := renameio.WriteFile(path, []byte(out), fi.Mode().Perm()); err != nil {
		return 0, err
	}
	return len(edits), nil
}
