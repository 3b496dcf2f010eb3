// Package analyzertest runs rules over fixture workspaces and compares the
// findings with expectations written in the fixtures, and the files after
// applying the fixes with golden files.
//
// A fixture is a directory holding a small realistic workspace (templates,
// .http files, env files). Expectations:
//
//   - In .http/.rest files, a whole-line comment `# want GW101 "regexp"`
//     expects a finding on the next line that is neither blank nor a
//     comment; `# want +N GW101 "regexp"` expects it N lines below the
//     comment. Several `CODE "regexp"` pairs may follow one `want`.
//   - In YAML and Terraform (.tf, .tfvars) files, a trailing comment
//     `… # want GW201 "regexp"` expects a finding on that line; a
//     whole-line `# want …` (or `// want …`) comment works as in .http
//     files.
//   - For any file (JSON has no comments), a file named WANT in the fixture
//     directory holds lines `path:line CODE "regexp"` (line 1-based).
//
// The regexp matches the English message. Every finding of the rules under
// test must be expected, and every expectation met.
//
// Fixes: when the rules under test offer safe fixes, they are applied round
// by round (as `check --fix` does) and each changed file is compared with
// `<file>.golden` next to it; `go test -update` rewrites the goldens. The
// fixed workspace is then checked again and must be clean for those rules.
// Fixes that are not safe (applied only on request in the editor) are
// tested the same way when a file named FIXES in the fixture directory
// lists them: one regexp a line, matched against the English fix title.
package analyzertest

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/gw403/gw403-lsp/analyzer"
	"github.com/gw403/gw403-lsp/analyzer/workspace"
	"github.com/gw403/gw403-lsp/schemas/source"
)

var update = flag.Bool("update", false, "rewrite .golden files")

// expectation is one wanted finding.
type expectation struct {
	path string
	line int // 1-based
	code string
	re   *regexp.Regexp
	met  bool
	src  string // where it was written, for messages
}

var wantRE = regexp.MustCompile(`(?:^|\s)(?:#|//)\s*want\s+(.*)$`)
var pairRE = regexp.MustCompile(`(GW\d{3})\s+"((?:[^"\\]|\\.)*)"`)

// Run checks the fixture workspace in dir with the rules whose codes are
// given (all rules when none) and reports mismatches through t.
func Run(t *testing.T, dir string, codes ...string) {
	t.Helper()
	root, err := filepath.Abs(dir)
	if err != nil {
		t.Fatal(err)
	}
	opts := workspace.Options{Select: codes}
	ws := workspace.New(root, opts)
	ctx := context.Background()
	res, err := ws.CheckPaths(ctx, []string{root})
	if err != nil {
		t.Fatalf("CheckPaths(%s): %v", dir, err)
	}
	wants := readExpectations(t, root)
	for _, d := range res.Diagnostics {
		src := res.Files[d.Path]
		line := 1
		if src != nil {
			line = src.Position(d.Span.Start, source.UTF8).Line + 1
		}
		rel := relTo(root, d.Path)
		matched := false
		for _, w := range wants {
			if !w.met && w.path == d.Path && w.line == line && w.code == d.Code && w.re.MatchString(d.Message.EN) {
				w.met = true
				matched = true
				break
			}
		}
		if !matched {
			t.Errorf("%s:%d: unexpected %s %s: %s", rel, line, d.Code, d.Slug, d.Message.EN)
		}
		checkDiagnostic(t, rel, line, d, src)
	}
	for _, w := range wants {
		if !w.met {
			t.Errorf("%s:%d: expected %s matching %q (written at %s), got none", relTo(root, w.path), w.line, w.code, w.re, w.src)
		}
	}
	checkFixes(t, ws, root, res, readFixTitles(t, root))
}

// checkDiagnostic checks invariants every finding must hold.
func checkDiagnostic(t *testing.T, rel string, line int, d analyzer.Diagnostic, src *source.File) {
	t.Helper()
	if src != nil && (d.Span.Start < 0 || d.Span.End > len(src.Text) || d.Span.End < d.Span.Start) {
		t.Errorf("%s:%d: %s span %v outside the file (%d bytes)", rel, line, d.Code, d.Span, len(src.Text))
	}
	if d.Message.EN == "" || d.Message.JA == "" {
		t.Errorf("%s:%d: %s message missing a language: %+v", rel, line, d.Code, d.Message)
	}
	if strings.HasSuffix(d.Message.EN, ".") {
		t.Errorf("%s:%d: %s message ends with a period: %q", rel, line, d.Code, d.Message.EN)
	}
	for _, f := range d.Fixes {
		if f.Title.EN == "" || f.Title.JA == "" {
			t.Errorf("%s:%d: %s fix title missing a language: %+v", rel, line, d.Code, f.Title)
		}
		if len(f.Edits) == 0 {
			t.Errorf("%s:%d: %s fix %q has no edits", rel, line, d.Code, f.Title.EN)
		}
	}
}

// checkFixes applies the safe fixes and compares with goldens, then checks
// that the fixed workspace is clean for the rules under test.
func checkFixes(t *testing.T, ws *workspace.Workspace, root string, res *workspace.Result, unsafe []*regexp.Regexp) {
	t.Helper()
	ctx := context.Background()
	res.Diagnostics = chooseFixes(res.Diagnostics, unsafe)
	orig := map[string]string{}
	cur := map[string]string{}
	for p, f := range res.Files {
		orig[p] = f.Text
		cur[p] = f.Text
	}
	for round := 0; round < 10; round++ {
		edits, _ := analyzer.SafeEdits(res.Diagnostics)
		if len(edits) == 0 {
			break
		}
		for p, es := range edits {
			out, err := analyzer.ApplyEdits(cur[p], es)
			if err != nil {
				t.Fatalf("applying fixes to %s: %v", relTo(root, p), err)
			}
			cur[p] = out
			ws.SetOverlay(p, out)
		}
		var err error
		if res, err = ws.CheckPaths(ctx, []string{root}); err != nil {
			t.Fatal(err)
		}
		res.Diagnostics = chooseFixes(res.Diagnostics, unsafe)
	}
	var changed []string
	for p, text := range cur {
		if text != orig[p] {
			changed = append(changed, p)
		}
	}
	sort.Strings(changed)
	for _, p := range changed {
		golden := p + ".golden"
		if *update {
			if err := os.WriteFile(golden, []byte(cur[p]), 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(golden)
		if err != nil {
			t.Errorf("%s was changed by fixes but has no golden file (run go test -update): %v", relTo(root, p), err)
			continue
		}
		if string(want) != cur[p] {
			t.Errorf("fixed %s differs from %s:\n%s", relTo(root, p), relTo(root, golden), diff(string(want), cur[p]))
		}
	}
	// Goldens without a change are stale.
	_ = filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(path, ".golden") {
			target := strings.TrimSuffix(path, ".golden")
			found := false
			for _, p := range changed {
				if p == target {
					found = true
				}
			}
			if !found && !*update {
				t.Errorf("%s exists but no fix changes %s", relTo(root, path), relTo(root, target))
			}
			if !found && *update {
				_ = os.Remove(path)
			}
		}
		return nil
	})
	if len(changed) == 0 {
		return
	}
	// After fixing, the rules under test must be quiet on what they fixed:
	// no finding that still offers a safe fix may remain.
	for _, d := range res.Diagnostics {
		for _, f := range d.Fixes {
			if f.Safe {
				src := res.Files[d.Path]
				line := 0
				if src != nil {
					line = src.Position(d.Span.Start, source.UTF8).Line + 1
				}
				t.Errorf("%s:%d: after fixing, %s still fires with a fix: %s", relTo(root, d.Path), line, d.Code, d.Message.EN)
				break
			}
		}
	}
	for _, p := range changed {
		ws.CloseOverlay(p)
	}
}

// readFixTitles reads the FIXES file of a fixture: regexps of the titles of
// unsafe fixes to apply as if they were safe.
func readFixTitles(t *testing.T, root string) []*regexp.Regexp {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(root, "FIXES"))
	if err != nil {
		return nil
	}
	var out []*regexp.Regexp
	for i, line := range strings.Split(strings.ReplaceAll(string(data), "\r\n", "\n"), "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		re, err := regexp.Compile(line)
		if err != nil {
			t.Fatalf("FIXES:%d: %v", i+1, err)
		}
		out = append(out, re)
	}
	return out
}

// chooseFixes returns diags with the unsafe fixes whose titles match one of
// res marked safe, so that they are applied and checked like safe ones.
func chooseFixes(diags []analyzer.Diagnostic, res []*regexp.Regexp) []analyzer.Diagnostic {
	if len(res) == 0 {
		return diags
	}
	out := make([]analyzer.Diagnostic, len(diags))
	for i, d := range diags {
		fixes := make([]analyzer.Fix, len(d.Fixes))
		copy(fixes, d.Fixes)
		for j := range fixes {
			for _, re := range res {
				if !fixes[j].Safe && re.MatchString(fixes[j].Title.EN) {
					fixes[j].Safe = true
				}
			}
		}
		d.Fixes = fixes
		out[i] = d
	}
	return out
}

// readExpectations collects the want comments and WANT files under root.
func readExpectations(t *testing.T, root string) []*expectation {
	t.Helper()
	var out []*expectation
	_ = filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return nil
		}
		name := d.Name()
		lower := strings.ToLower(name)
		switch {
		case name == "WANT":
			out = append(out, readWantFile(t, root, path)...)
		case strings.HasSuffix(lower, ".http"), strings.HasSuffix(lower, ".rest"),
			strings.HasSuffix(lower, ".yaml"), strings.HasSuffix(lower, ".yml"),
			strings.HasSuffix(lower, ".tf"), strings.HasSuffix(lower, ".tfvars"):
			out = append(out, readWantComments(t, root, path)...)
		}
		return nil
	})
	return out
}

func readWantComments(t *testing.T, root, path string) []*expectation {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	src := source.NewFile(path, string(data))
	var out []*expectation
	n := src.LineCount()
	for i := 0; i < n; i++ {
		line := src.Slice(src.LineSpan(i))
		m := wantRE.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		trimmed := strings.TrimSpace(line)
		whole := strings.HasPrefix(trimmed, "#") || strings.HasPrefix(trimmed, "//")
		spec := strings.TrimSpace(m[1])
		target := i + 1 // 1-based: this line
		if whole {
			if strings.HasPrefix(spec, "+") {
				k := strings.IndexByte(spec, ' ')
				if k < 0 {
					t.Fatalf("%s:%d: bad want offset", relTo(root, path), i+1)
				}
				off, err := strconv.Atoi(spec[1:k])
				if err != nil {
					t.Fatalf("%s:%d: bad want offset: %v", relTo(root, path), i+1, err)
				}
				target = i + 1 + off
				spec = spec[k+1:]
			} else {
				target = 0
				for j := i + 1; j < n; j++ {
					l := strings.TrimSpace(src.Slice(src.LineSpan(j)))
					if l != "" && !strings.HasPrefix(l, "#") && !strings.HasPrefix(l, "//") {
						target = j + 1
						break
					}
				}
			}
		}
		pairs := pairRE.FindAllStringSubmatch(spec, -1)
		if len(pairs) == 0 {
			t.Fatalf("%s:%d: want comment without CODE \"regexp\": %q", relTo(root, path), i+1, line)
		}
		for _, p := range pairs {
			re, err := regexp.Compile(strings.ReplaceAll(p[2], `\"`, `"`))
			if err != nil {
				t.Fatalf("%s:%d: %v", relTo(root, path), i+1, err)
			}
			out = append(out, &expectation{path: path, line: target, code: p[1], re: re, src: fmt.Sprintf("%s:%d", relTo(root, path), i+1)})
		}
	}
	return out
}

func readWantFile(t *testing.T, root, path string) []*expectation {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var out []*expectation
	dir := filepath.Dir(path)
	for i, line := range strings.Split(strings.ReplaceAll(string(data), "\r\n", "\n"), "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		sp := strings.IndexByte(line, ' ')
		colon := strings.LastIndexByte(line[:max(sp, 0)], ':')
		if sp < 0 || colon < 0 {
			t.Fatalf("%s:%d: want `path:line CODE \"regexp\"`", relTo(root, path), i+1)
		}
		ln, err := strconv.Atoi(line[colon+1 : sp])
		if err != nil {
			t.Fatalf("%s:%d: %v", relTo(root, path), i+1, err)
		}
		file := filepath.Join(dir, filepath.FromSlash(line[:colon]))
		for _, p := range pairRE.FindAllStringSubmatch(line[sp+1:], -1) {
			re, err := regexp.Compile(strings.ReplaceAll(p[2], `\"`, `"`))
			if err != nil {
				t.Fatalf("%s:%d: %v", relTo(root, path), i+1, err)
			}
			out = append(out, &expectation{path: file, line: ln, code: p[1], re: re, src: fmt.Sprintf("%s:%d", relTo(root, path), i+1)})
		}
	}
	return out
}

func relTo(root, p string) string {
	if r, err := filepath.Rel(root, p); err == nil {
		return filepath.ToSlash(r)
	}
	return p
}

// diff shows the first differing lines of two texts.
func diff(want, got string) string {
	wl, gl := strings.Split(want, "\n"), strings.Split(got, "\n")
	var b strings.Builder
	shown := 0
	for i := 0; i < len(wl) || i < len(gl); i++ {
		var w, g string
		if i < len(wl) {
			w = wl[i]
		}
		if i < len(gl) {
			g = gl[i]
		}
		if w != g {
			fmt.Fprintf(&b, "line %d:\n  want %q\n  got  %q\n", i+1, w, g)
			if shown++; shown >= 5 {
				break
			}
		}
	}
	return b.String()
}
