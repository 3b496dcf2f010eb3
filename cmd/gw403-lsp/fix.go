package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"

	"github.com/gw403/gw403-lsp/analyzer"
	"github.com/gw403/gw403-lsp/analyzer/link"
	"github.com/gw403/gw403-lsp/analyzer/workspace"
)

type fixOutcome struct {
	count int               // fixes applied
	after *workspace.Result // the findings after fixing
	// refused is true when a file could not be fixed for a reason the user
	// must act on (read-only, a symlink out of the workspace): exit 2.
	refused bool
}

// maxFixRounds bounds the fix loop: each round applies non-overlapping
// fixes and re-checks, as a fix can make room for another.
const maxFixRounds = 10

// applyFixes applies fixes round by round, as analyzer.ChooseFixes picks
// them (safe ones; unsafe ones too with unsafe), and writes the changed
// files. A file is never written when it has a parse error (GW001), is
// read-only, is a symlink whose target lies outside the workspace, or has
// changed on disk since it was checked (verified again right before it is
// replaced). A fix that edits several files is applied whole or not at
// all.
func applyFixes(ctx context.Context, ws *workspace.Workspace, paths []string, res *workspace.Result, unsafe bool, stderr io.Writer) (fixOutcome, error) {
	total := 0
	refused := map[string]bool{}
	userRefusal := false
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
		var plan analyzer.FixPlan
		var files map[string]*plannedWrite
		for {
			plan = analyzer.ChooseFixes(fixesOn(res.Diagnostics, writable), unsafe)
			if len(plan.Edits) == 0 {
				break
			}
			var bad string
			var err error
			if files, bad, err = planWrites(ws.Root(), res, plan.Edits); err == nil {
				break
			}
			fmt.Fprintf(stderr, "gw403-lsp check: not fixing %s: %v\n", bad, err)
			var re refusal
			if errors.As(err, &re) {
				userRefusal = true
			}
			refused[bad] = true
		}
		if len(plan.Edits) == 0 {
			break
		}
		applied, written, err := writePlan(files, groupsOf(plan), stderr)
		for _, p := range written {
			ws.FileChanged(p)
		}
		for p := range files {
			if !contains(written, p) {
				refused[p] = true // changed meanwhile: leave it alone from now on
			}
		}
		if err != nil {
			return fixOutcome{}, err
		}
		total += min(applied, plan.Fixes)
		if len(written) == 0 {
			break
		}
		if res, err = ws.CheckPaths(ctx, paths); err != nil {
			return fixOutcome{}, err
		}
	}
	return fixOutcome{count: total, after: res, refused: userRefusal}, nil
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

// groupsOf splits the files of a round into groups that must be written
// together: the files of one multi-file fix (a key moved to the private
// env file) and, transitively, of fixes sharing a file with it. It also
// counts the fixes of each group.
func groupsOf(plan analyzer.FixPlan) []fixGroup {
	edits, taken := plan.Edits, plan.Chosen
	parent := map[string]string{}
	var find func(string) string
	find = func(p string) string {
		if parent[p] == p {
			return p
		}
		r := find(parent[p])
		parent[p] = r
		return r
	}
	for p := range edits {
		parent[p] = p
	}
	counts := map[string]int{}
	for _, f := range taken {
		first := f.Edits[0].Path
		for _, e := range f.Edits[1:] {
			a, b := find(first), find(e.Path)
			if a != b {
				parent[a] = b
			}
		}
	}
	for _, f := range taken {
		counts[find(f.Edits[0].Path)]++
	}
	byRoot := map[string]*fixGroup{}
	var roots []string
	for p := range edits {
		r := find(p)
		g := byRoot[r]
		if g == nil {
			g = &fixGroup{}
			byRoot[r] = g
			roots = append(roots, r)
		}
		g.files = append(g.files, p)
	}
	sort.Strings(roots)
	out := make([]fixGroup, 0, len(roots))
	for _, r := range roots {
		g := byRoot[r]
		sort.Strings(g.files)
		g.fixes = counts[r]
		out = append(out, *g)
	}
	return out
}

type fixGroup struct {
	files []string
	fixes int
}

// pendingFile is a temporary file beside its target that replaces the
// target atomically (renameio's on Unix).
type pendingFile interface {
	Name() string
	WriteString(s string) (int, error)
	Sync() error
	Chown(uid, gid int) error
	Cleanup() error
	CloseAtomicallyReplace() error
}

// plannedWrite is a file to replace: where its bytes live (the target of
// a symlink), what it held when checked, what it will hold, and its
// permissions and owner.
type plannedWrite struct {
	target   string
	old, new string
	mode     os.FileMode
	uid, gid int
}

// refusal is a reason not to write a file that the user must act on.
type refusal struct{ msg string }

func (r refusal) Error() string { return r.msg }

// planWrites verifies every file to be fixed and computes its new text.
// It returns the first file that cannot be written and why.
func planWrites(root string, res *workspace.Result, byPath map[string][]analyzer.Edit) (map[string]*plannedWrite, string, error) {
	plan := map[string]*plannedWrite{}
	files := make([]string, 0, len(byPath))
	for p := range byPath {
		files = append(files, p)
	}
	sort.Strings(files)
	for _, p := range files {
		w, err := prepareWrite(root, p, res.Files[p].Text, byPath[p])
		if err != nil {
			return nil, p, err
		}
		if w.new != w.old {
			plan[p] = w
		}
	}
	return plan, "", nil
}

// prepareWrite checks that the file at path may be written and still
// holds want (its content when checked), and returns the write to make.
func prepareWrite(root, path, want string, edits []analyzer.Edit) (*plannedWrite, error) {
	// Write where the bytes live: through a symlink (of the file or of a
	// directory above it) when that stays inside the workspace.
	target, err := filepath.EvalSymlinks(path)
	if err != nil {
		return nil, err
	}
	if target != filepath.Clean(path) {
		realRoot, err := filepath.EvalSymlinks(root)
		if err != nil {
			realRoot = root
		}
		if !link.Within(realRoot, target) {
			return nil, refusal{fmt.Sprintf("it is a symlink to %s, outside the workspace", target)}
		}
	}
	fi, err := os.Stat(target)
	if err != nil {
		return nil, err
	}
	if !fi.Mode().IsRegular() {
		return nil, refusal{"not a regular file"}
	}
	if fi.Mode().Perm()&0o222 == 0 {
		return nil, refusal{"the file is read-only"}
	}
	cur, err := os.ReadFile(target)
	if err != nil {
		return nil, err
	}
	if string(cur) != want {
		return nil, fmt.Errorf("the file changed since it was checked")
	}
	out, err := analyzer.ApplyEdits(want, edits)
	if err != nil {
		return nil, err
	}
	uid, gid := ownerOf(fi) // -1, -1 where unknown
	return &plannedWrite{target: target, old: want, new: out, mode: fi.Mode().Perm(), uid: uid, gid: gid}, nil
}

// errNoExchange says the system cannot swap two files atomically.
var errNoExchange = errors.New("atomic exchange not supported")

// replaceHook, when set (by tests), runs right before a file is replaced
// and can make the replacement fail.
var replaceHook func(path string) error

// writePlan writes the planned files. Every temporary file is written
// first (with the original's permissions, owner and group); nothing is
// replaced unless all were written. Then group by group: each file is
// verified to still hold what was checked right before it is replaced, a
// group whose file changed is skipped with a message, and a group whose
// replacement fails midway is rolled back. It returns the fixes applied
// and the files written.
func writePlan(plan map[string]*plannedWrite, groups []fixGroup, stderr io.Writer) (applied int, written []string, err error) {
	pending := map[string]pendingFile{}
	defer func() {
		for _, t := range pending {
			_ = t.Cleanup()
		}
	}()
	for _, g := range groups {
		for _, p := range g.files {
			w := plan[p]
			if w == nil {
				continue
			}
			t, err := newPending(w)
			if err != nil {
				return 0, nil, fmt.Errorf("write %s: %w", p, err)
			}
			pending[p] = t
		}
	}
group:
	for _, g := range groups {
		// Hold each file open while it is verified and replaced: a write in
		// place that lands after the check is seen on the old file after
		// the replacement, and undone.
		held := map[string]*os.File{}
		closeHeld := func() {
			for _, f := range held {
				f.Close()
			}
		}
		for _, p := range g.files {
			w := plan[p]
			if w == nil {
				continue
			}
			f, err := os.Open(w.target)
			if err == nil {
				held[p] = f
			}
			if err != nil || !unchanged(f, w) {
				closeHeld()
				fmt.Fprintf(stderr, "gw403-lsp check: not fixing %s: the file changed since it was checked\n", p)
				continue group
			}
		}
		var done []string
		rollback := func() error {
			for _, q := range done {
				if err := restore(plan[q], plan[q].old); err != nil {
					return fmt.Errorf("restoring %s: %w", q, err)
				}
			}
			return nil
		}
		raced := ""
		for _, p := range g.files {
			w := plan[p]
			if w == nil {
				continue
			}
			replaced, err := replace(pending[p], w, held[p])
			delete(pending, p)
			if err != nil {
				closeHeld()
				if rerr := rollback(); rerr != nil {
					return applied, written, fmt.Errorf("write %s: %v; %w", p, err, rerr)
				}
				return applied, written, fmt.Errorf("write %s: %w (the other files of its fix were restored)", p, err)
			}
			if !replaced {
				raced = p // another save replaced the file: it was left in place
				break
			}
			done = append(done, p)
		}
		// A save that slipped in between the check and the replacement
		// went to the old file: put it back, and undo the group.
		for _, p := range done {
			if raced != "" {
				break
			}
			if cur, err := readAll(held[p]); err == nil && cur != plan[p].old {
				raced = p
				if err := restore(plan[p], cur); err != nil {
					closeHeld()
					return applied, written, fmt.Errorf("restoring %s: %w", p, err)
				}
			}
		}
		closeHeld()
		if raced != "" {
			var others []string
			for _, q := range done {
				if q != raced {
					others = append(others, q)
				}
			}
			done = others
			if err := rollback(); err != nil {
				return applied, written, err
			}
			fmt.Fprintf(stderr, "gw403-lsp check: not fixing %s: the file changed while it was being fixed\n", raced)
			continue
		}
		written = append(written, done...)
		applied += g.fixes
	}
	return applied, written, nil
}

// newPending writes a file's new text to a temporary file beside its
// target, with its permissions, owner and group.
func newPending(w *plannedWrite) (pendingFile, error) {
	t, err := newTempFile(w.target, w.mode)
	if err != nil {
		return nil, err
	}
	if _, err := t.WriteString(w.new); err != nil {
		_ = t.Cleanup()
		return nil, err
	}
	// Flushed now, so that the replacement itself is quick.
	if err := t.Sync(); err != nil {
		_ = t.Cleanup()
		return nil, err
	}
	if w.uid >= 0 && (w.uid != os.Getuid() || w.gid != os.Getgid()) {
		if err := t.Chown(w.uid, w.gid); err != nil {
			_ = t.Cleanup()
			return nil, fmt.Errorf("keeping its owner and group: %w", err)
		}
	}
	return t, nil
}

// unchanged reports whether the open file f is still the file at the
// target and holds what was checked.
func unchanged(f *os.File, w *plannedWrite) bool {
	fi, err1 := f.Stat()
	cur, err2 := os.Stat(w.target)
	if err1 != nil || err2 != nil || !os.SameFile(fi, cur) {
		return false
	}
	text, err := readAll(f)
	return err == nil && text == w.old
}

// readAll reads an open file from its start.
func readAll(f *os.File) (string, error) {
	var b bytes.Buffer
	_, err := b.ReadFrom(io.NewSectionReader(f, 0, 1<<40))
	return b.String(), err
}

// replace puts the pending file in place of the target.
func replace(t pendingFile, w *plannedWrite, held *os.File) (replaced bool, err error) {
	if replaceHook != nil {
		if err := replaceHook(w.target); err != nil {
			_ = t.Cleanup()
			return false, err
		}
	}
	if err := t.Sync(); err != nil {
		_ = t.Cleanup()
		return false, err
	}
	// Where the system can swap two names atomically, swap and look at
	// what was replaced: when it is not the file that was verified (an
	// editor saved by renaming a new file over it), swap back.
	switch err := exchange(t.Name(), w.target); {
	case err == nil:
		prev, err1 := os.Lstat(t.Name())
		heldFi, err2 := held.Stat()
		if err1 != nil || err2 != nil || !os.SameFile(prev, heldFi) {
			if err := exchange(t.Name(), w.target); err != nil {
				return false, fmt.Errorf("putting back the file saved meanwhile: %w", err)
			}
			_ = t.Cleanup()
			return false, nil
		}
		// The temporary name now holds the old file: remove it.
		return true, t.Cleanup()
	case errors.Is(err, errNoExchange):
		return true, t.CloseAtomicallyReplace()
	default:
		_ = t.Cleanup()
		return false, err
	}
}

// restore writes text back in place of a replaced file.
func restore(w *plannedWrite, text string) error {
	t, err := newPending(&plannedWrite{target: w.target, new: text, mode: w.mode, uid: w.uid, gid: w.gid})
	if err != nil {
		return err
	}
	return t.CloseAtomicallyReplace()
}
