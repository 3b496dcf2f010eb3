package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/gw403/gw403-lsp/analyzer"
	"github.com/gw403/gw403-lsp/analyzer/workspace"
	"github.com/gw403/gw403-lsp/schemas/source"
)

// TestFixRefusesChangedFiles: when the file on disk is no longer the text
// the fixes were computed for (an editor saved it meanwhile), planWrites
// refuses it and says why, and nothing is written.
func TestFixRefusesChangedFiles(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "api.http")
	checked := "GET https://a1b2c3d4e5.execute-api.us-east-1.amazonaws.com/Prod/items\n"
	edit := analyzer.Edit{Path: p, Span: source.Span{Start: 59, End: 63}, NewText: "prod"}
	res := &workspace.Result{Files: map[string]*source.File{p: source.NewFile(p, checked)}}
	byPath := map[string][]analyzer.Edit{p: {edit}}
	if got := checked[edit.Span.Start:edit.Span.End]; got != "Prod" {
		t.Fatalf("fixture: the edit spans %q, want Prod", got)
	}
	for _, tc := range []struct {
		name, onDisk string
	}{
		{"edited meanwhile", "GET https://a1b2c3d4e5.execute-api.us-east-1.amazonaws.com/Prod/items\nx-api-key: k\n"},
		{"line ends converted", strings.ReplaceAll(checked, "\n", "\r\n")},
		{"emptied", ""},
	} {
		if err := os.WriteFile(p, []byte(tc.onDisk), 0o644); err != nil {
			t.Fatal(err)
		}
		plan, bad, err := planWrites(dir, res, byPath)
		if err == nil || bad != p || !strings.Contains(err.Error(), "changed since it was checked") {
			t.Errorf("%s: planWrites = %v, %q, %v, want the 'changed since it was checked' error for %s", tc.name, plan, bad, err, p)
		}
		got, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		if string(got) != tc.onDisk {
			t.Errorf("%s: the file became %q, want it untouched", tc.name, got)
		}
	}

	// The unchanged file is written, once.
	if err := os.WriteFile(p, []byte(checked), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(p, 0o600); err != nil {
		t.Fatal(err)
	}
	plan, bad, err := planWrites(dir, res, byPath)
	if err != nil {
		t.Fatalf("planWrites on the unchanged file: %s: %v", bad, err)
	}
	var stderr strings.Builder
	if _, written, err := writePlan(plan, []fixGroup{{files: []string{p}, fixes: 1}}, &stderr); len(written) != 1 || written[0] != p || err != nil {
		t.Fatalf("writePlan = %v, %v, want [%s]", written, err, p)
	}
	got, _ := os.ReadFile(p)
	if want := strings.Replace(checked, "/Prod/", "/prod/", 1); string(got) != want {
		t.Errorf("fixed file = %q, want %q", got, want)
	}
	if fi, err := os.Stat(p); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("mode after the fix = %v (%v), want 0600", fi.Mode().Perm(), err)
	}
}

// fixWorkspace writes a workspace whose request file has one safe fix per
// request (the stage "prod" where the API deploys "Prod"), n files of it.
func fixWorkspace(t *testing.T, dir string, n int) []string {
	t.Helper()
	tmpl := "AWSTemplateFormatVersion: \"2010-09-09\"\nTransform: AWS::Serverless-2016-10-31\nResources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n      Runtime: nodejs20.x\n      Handler: index.handler\n      CodeUri: src/\n      Events:\n        List:\n          Type: Api\n          Properties:\n            Path: /items\n            Method: get\n"
	if err := os.WriteFile(filepath.Join(dir, "template.yaml"), []byte(tmpl), 0o644); err != nil {
		t.Fatal(err)
	}
	var paths []string
	for i := 0; i < n; i++ {
		p := filepath.Join(dir, fmt.Sprintf("r%03d.http", i))
		if err := os.WriteFile(p, []byte(stageTypo), 0o644); err != nil {
			t.Fatal(err)
		}
		paths = append(paths, p)
	}
	return paths
}

const stageTypo = "GET https://a1b2c3d4e5.execute-api.us-east-1.amazonaws.com/prod/items\n"
const stageFixed = "GET https://a1b2c3d4e5.execute-api.us-east-1.amazonaws.com/Prod/items\n"

func checkFix(t *testing.T, dir string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb strings.Builder
	code := run(append(append([]string{"check", "--fix", "--fail-on", "never"}, args...), dir), strings.NewReader(""), &out, &errb)
	return code, out.String(), errb.String()
}

// TestFixLosesNoConcurrentEdit saves edits while --fix runs, at the
// worst moments: between the check and the replacement of a file, and
// right before the replacement of the very file being replaced (after it
// was verified), written in place or renamed over it. Every saved edit survives (those files are left unfixed,
// with a message), and every other file is fixed.
func TestFixLosesNoConcurrentEdit(t *testing.T) {
	dir := t.TempDir()
	paths := fixWorkspace(t, dir, 400)
	var saved []string
	save := func(p string) {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		// An editor's save: written in place.
		if err := os.WriteFile(p, append(data, "# edited\n"...), 0o644); err != nil {
			t.Fatal(err)
		}
		saved = append(saved, p)
	}
	// A save renamed over the file can only be caught where the system
	// swaps two files atomically (Linux).
	a, b := filepath.Join(dir, "a.tmp"), filepath.Join(dir, "b.tmp")
	os.WriteFile(a, nil, 0o644)
	os.WriteFile(b, nil, 0o644)
	canExchange := exchange(a, b) == nil
	os.Remove(a)
	os.Remove(b)
	calls := 0
	replaceHook = func(target string) error {
		calls++
		if calls%25 == 13 && !canExchange {
			calls++
		}
		switch calls % 25 {
		case 0: // the file about to be replaced, after its verification
			save(target)
		case 13: // the same, saved the way many editors do: a new file renamed over it
			data, err := os.ReadFile(target)
			if err != nil {
				t.Fatal(err)
			}
			tmp := target + ".swp"
			if err := os.WriteFile(tmp, append(data, "# edited\n"...), 0o644); err != nil {
				t.Fatal(err)
			}
			if err := os.Rename(tmp, target); err != nil {
				t.Fatal(err)
			}
			saved = append(saved, target)
		case 7: // a file replaced later in this run
			i := sort.SearchStrings(paths, target)
			if i+5 < len(paths) {
				save(paths[i+5])
			}
		}
		return nil
	}
	defer func() { replaceHook = nil }()
	code, _, stderr := checkFix(t, dir)
	replaceHook = nil
	if code != 0 {
		t.Fatalf("check --fix exit %d: %s", code, stderr)
	}
	lost := 0
	for _, p := range saved {
		data, _ := os.ReadFile(p)
		if !strings.Contains(string(data), "# edited") {
			lost++
		}
	}
	fixed := 0
	for _, p := range paths {
		data, _ := os.ReadFile(p)
		if string(data) == stageFixed {
			fixed++
		}
	}
	t.Logf("%d edits saved during --fix, %d lost; %d of %d files fixed (renamed-over saves tried: %v)", len(saved), lost, fixed, len(paths), canExchange)
	if len(saved) < 20 {
		t.Fatalf("only %d edits saved: the race was not run", len(saved))
	}
	if lost != 0 {
		t.Errorf("%d of %d concurrent edits lost", lost, len(saved))
	}
	if want := len(paths) - len(saved); fixed != want {
		t.Errorf("%d files fixed, want %d (all but the edited ones)", fixed, want)
	}
	if !strings.Contains(stderr, "changed while it was being fixed") || !strings.Contains(stderr, "changed since it was checked") {
		t.Errorf("stderr does not name the skipped files: %q", stderr)
	}
}

// TestFixMultiFileRollsBack: when replacing the second file of a
// two-file fix fails, the first is restored: the key stays where it was.
func TestFixMultiFileRollsBack(t *testing.T) {
	src := filepath.Join("..", "..", "analyzer", "rules", "testdata", "GW501", "fail-public-env-file")
	dir := t.TempDir()
	names := []string{"http-client.env.json", "http-client.private.env.json", "reports.http", "template.yaml"}
	before := map[string]string{}
	for _, name := range names {
		data, err := os.ReadFile(filepath.Join(src, name))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
		before[name] = string(data)
	}
	calls := 0
	replaceHook = func(path string) error {
		calls++
		if calls == 2 {
			return fmt.Errorf("injected failure")
		}
		return nil
	}
	defer func() { replaceHook = nil }()
	code, _, stderr := checkFix(t, dir, "--select", "GW501")
	if code != 2 || !strings.Contains(stderr, "injected failure") || !strings.Contains(stderr, "restored") {
		t.Errorf("exit %d, stderr %q: want 2 and the failure, with the restore", code, stderr)
	}
	if calls < 2 {
		t.Fatalf("%d replacements attempted: the fixture offers no two-file fix", calls)
	}
	for _, name := range names {
		data, _ := os.ReadFile(filepath.Join(dir, name))
		if string(data) != before[name] {
			t.Errorf("%s changed although its fix failed halfway:\n%s", name, data)
		}
	}
	// Without the failure the fix applies to both files.
	replaceHook = nil
	if code, _, stderr := checkFix(t, dir, "--select", "GW501"); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	changed := 0
	for _, name := range names[:2] {
		data, _ := os.ReadFile(filepath.Join(dir, name))
		if string(data) != before[name] {
			changed++
		}
	}
	if changed != 2 {
		t.Errorf("%d env files changed by the fix, want 2", changed)
	}
}

// TestFixRefusesReadOnly: a read-only file is not rewritten; --fix says
// so and exits 2, and fixes the other files.
func TestFixRefusesReadOnly(t *testing.T) {
	dir := t.TempDir()
	paths := fixWorkspace(t, dir, 2)
	if err := os.Chmod(paths[0], 0o444); err != nil {
		t.Fatal(err)
	}
	code, _, stderr := checkFix(t, dir)
	if code != 2 || !strings.Contains(stderr, "read-only") {
		t.Errorf("exit %d, stderr %q: want 2 and read-only", code, stderr)
	}
	if data, _ := os.ReadFile(paths[0]); string(data) != stageTypo {
		t.Errorf("the read-only file was rewritten: %q", data)
	}
	if fi, _ := os.Stat(paths[0]); fi.Mode().Perm() != 0o444 {
		t.Errorf("mode = %v, want 0444", fi.Mode().Perm())
	}
	if data, _ := os.ReadFile(paths[1]); string(data) != stageFixed {
		t.Errorf("the writable file was not fixed: %q", data)
	}
}

// TestFixThroughSymlink: a symlinked request file whose target is inside
// the workspace is fixed in its target and stays a symlink; one whose
// target is outside is not followed, and left alone.
func TestFixThroughSymlink(t *testing.T) {
	dir := t.TempDir()
	fixWorkspace(t, dir, 0)
	if err := os.MkdirAll(filepath.Join(dir, "shared"), 0o755); err != nil {
		t.Fatal(err)
	}
	target := filepath.Join(dir, "shared", "items.txt")
	if err := os.WriteFile(target, []byte(stageTypo), 0o644); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "items.http")
	if err := os.Symlink(filepath.Join("shared", "items.txt"), link); err != nil {
		t.Fatal(err)
	}
	if code, _, stderr := checkFix(t, dir); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if fi, err := os.Lstat(link); err != nil || fi.Mode()&os.ModeSymlink == 0 {
		t.Errorf("items.http is no longer a symlink: %v %v", fi.Mode(), err)
	}
	if data, _ := os.ReadFile(target); string(data) != stageFixed {
		t.Errorf("the symlink's target was not fixed: %q", data)
	}

	outside := filepath.Join(t.TempDir(), "elsewhere.txt")
	if err := os.WriteFile(outside, []byte(stageTypo), 0o644); err != nil {
		t.Fatal(err)
	}
	link2 := filepath.Join(dir, "other.http")
	if err := os.Symlink(outside, link2); err != nil {
		t.Fatal(err)
	}
	// A link to a file outside the root is not followed: the file is
	// neither read nor written.
	code, stdout, stderr := checkFix(t, dir)
	if code != 0 || strings.Contains(stdout, "other.http") {
		t.Errorf("exit %d, stdout %q, stderr %q: want 0 and nothing about other.http", code, stdout, stderr)
	}
	if data, _ := os.ReadFile(outside); string(data) != stageTypo {
		t.Errorf("the file outside the workspace was written: %q", data)
	}
	if fi, err := os.Lstat(link2); err != nil || fi.Mode()&os.ModeSymlink == 0 {
		t.Errorf("other.http is no longer a symlink")
	}

	// A directory symlinked out of the workspace: its files are never
	// written (the walk does not enter it; named, they are refused).
	os.Remove(link2)
	outDir := t.TempDir()
	if err := os.WriteFile(filepath.Join(outDir, "far.http"), []byte(stageTypo), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(outDir, filepath.Join(dir, "linked")); err != nil {
		t.Fatal(err)
	}
	if code, _, stderr := checkFix(t, dir); code != 0 {
		t.Errorf("directory symlink: exit %d, stderr %q", code, stderr)
	}
	var out, errb strings.Builder
	code = run([]string{"check", "--fix", "--fail-on", "never", dir, filepath.Join(dir, "linked", "far.http")}, strings.NewReader(""), &out, &errb)
	if code != 2 || !strings.Contains(errb.String(), "outside the workspace") {
		t.Errorf("directory symlink, file named: exit %d, stderr %q: want 2 and 'outside the workspace'", code, errb.String())
	}
	if data, _ := os.ReadFile(filepath.Join(outDir, "far.http")); string(data) != stageTypo {
		t.Errorf("the file in a directory outside the workspace was written: %q", data)
	}
}

// TestCheckUnsafeFixes: JSON and SARIF say which fixes are safe; the text
// summary counts the findings left with only unsafe fixes and names
// --unsafe-fixes; --fix applies the safe fix only, --unsafe-fixes the
// other too.
func TestCheckUnsafeFixes(t *testing.T) {
	src := filepath.Join("..", "..", "analyzer", "rules", "testdata", "GW201", "fail-implicit-globals-shared", "template.yaml")
	data, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	tmpl := filepath.Join(dir, "template.yaml")
	if err := os.WriteFile(tmpl, data, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, ".gw403.yaml"), []byte("exclude: []\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	check := func(args ...string) (int, string, string) {
		var out, errb strings.Builder
		code := run(append(append([]string{"check", "--fail-on", "never"}, args...), dir), strings.NewReader(""), &out, &errb)
		return code, out.String(), errb.String()
	}
	_, out, _ := check("--format", "json")
	var j struct {
		Diagnostics []struct {
			Message string `json:"message"`
			Fixes   []struct {
				Title string `json:"title"`
				Safe  *bool  `json:"safe"`
			} `json:"fixes"`
		} `json:"diagnostics"`
	}
	if err := json.Unmarshal([]byte(out), &j); err != nil {
		t.Fatal(err)
	}
	safe := map[bool]int{}
	for _, d := range j.Diagnostics {
		for _, f := range d.Fixes {
			if f.Safe == nil {
				t.Fatalf("fix %q has no safe field", f.Title)
			}
			safe[*f.Safe]++
			if !*f.Safe && !strings.Contains(f.Title, "(unsafe: also changes 1 other API)") {
				t.Errorf("unsafe fix title %q does not say what else it changes", f.Title)
			}
		}
	}
	if safe[true] != 1 || safe[false] != 1 {
		t.Fatalf("JSON fixes: %d safe, %d unsafe, want one each:\n%s", safe[true], safe[false], out)
	}
	_, out, _ = check("--format", "sarif")
	if strings.Count(out, `"safe": true`) != 1 || strings.Count(out, `"safe": false`) != 1 {
		t.Errorf("SARIF fixes do not carry safe in their properties:\n%s", out)
	}
	_, out, _ = check()
	if !strings.Contains(out, "; 1 fixable with --fix; 1 unsafe fix left (apply with --unsafe-fixes).") {
		t.Errorf("summary: %q", out)
	}
	_, out, _ = check("--lang", "ja")
	if !strings.Contains(out, "安全でない修正が 1 件残っています（--unsafe-fixes で適用）") {
		t.Errorf("Japanese summary: %q", out)
	}

	_, out, _ = check("--fix")
	after, _ := os.ReadFile(tmpl)
	if !strings.Contains(out, "Fixed 1 problem.") || strings.Count(string(after), "CreateUsagePlan: PER_API") != 1 || !strings.Contains(out, "1 unsafe fix left") {
		t.Errorf("--fix: %q\n%s", out, after)
	}
	_, out, _ = check("--unsafe-fixes")
	after, _ = os.ReadFile(tmpl)
	if !strings.Contains(out, "Fixed 1 problem.") || strings.Count(string(after), "CreateUsagePlan: PER_API") != 2 || strings.Contains(out, "unsafe fix") {
		t.Errorf("--unsafe-fixes: %q\n%s", out, after)
	}
}
