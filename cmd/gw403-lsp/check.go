package main

import (
	"context"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/gw403/gw403-lsp/analyzer"
	_ "github.com/gw403/gw403-lsp/analyzer/rules" // the rule catalog
	"github.com/gw403/gw403-lsp/analyzer/workspace"
)

func init() {
	register("check", "lint request files, templates and OpenAPI documents", runCheck)
}

const checkSynopsis = `check [flags] [paths…]

Checks .http/.rest request files, SAM/CloudFormation templates, OpenAPI
documents and env files under the given paths (default: the current
directory) and prints every finding. Exit status: 0 when no finding is at or
above --fail-on, 1 when some are, 2 on a usage or I/O error.`

func runCheck(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := newFlagSet("check", checkSynopsis, stderr)
	format := fs.String("format", "text", "output format: text, json, sarif or github")
	fix := fs.Bool("fix", false, "apply safe fixes and write the files")
	unsafeFixes := fs.Bool("unsafe-fixes", false, "apply unsafe fixes too (implies --fix)")
	envName := fs.String("env", "", "check request files in this environment only (default: .gw403.yaml's environment, else every environment)")
	config := fs.String("config", "", "use this .gw403.yaml instead of the one at the workspace root")
	failOn := fs.String("fail-on", "error", "lowest severity that makes the exit status 1: error, warning, info or never")
	lang := fs.String("lang", "", "message language: en or ja (default: from LANG)")
	color := fs.String("color", "auto", "colour text output: auto, always or never")
	dependents := fs.Bool("dependents", false, "also check the request files whose findings depend on the given templates, OpenAPI documents, env files and configuration (pre-commit passes only the staged files)")
	var sel, ign listFlag
	fs.Var(&sel, "select", "only run these rules (codes, code prefixes or slugs; comma-separated)")
	fs.Var(&ign, "ignore", "do not run these rules (codes, code prefixes or slugs; comma-separated)")
	paths, err := parseInterspersed(fs, args)
	if err != nil {
		if err.Error() == "flag: help requested" {
			return 0
		}
		return 2
	}
	l, err := checkLang(*lang)
	if err != nil {
		fmt.Fprintln(stderr, "gw403-lsp check:", esc(err.Error()))
		return 2
	}
	threshold, err := parseFailOn(*failOn)
	if err != nil {
		fmt.Fprintln(stderr, "gw403-lsp check:", esc(err.Error()))
		return 2
	}
	out, err := newFormatter(*format, stdout, l, *color)
	if err != nil {
		fmt.Fprintln(stderr, "gw403-lsp check:", esc(err.Error()))
		return 2
	}
	for _, code := range append(append([]string{}, sel...), ign...) {
		if !knownRuleSelector(code) {
			fmt.Fprintf(stderr, "gw403-lsp check: unknown rule %q in --select/--ignore\n", code)
			return 2
		}
	}
	abs, cfgPath, cwd, err := resolvePaths(paths, *config)
	if err != nil {
		fmt.Fprintln(stderr, "gw403-lsp check:", esc(err.Error()))
		return 2
	}
	// --fix checks again after each round of fixes: only then are the
	// findings of unchanged requests worth keeping.
	opts := workspace.Options{Env: *envName, ConfigPath: cfgPath, Select: sel, Ignore: ign, Recheck: *fix || *unsafeFixes}
	// Each path is checked in its own workspace root (the root rule of
	// DESIGN.md): paths in two repositories are two workspaces.
	roots, byRoot := workspace.GroupByRoot(abs)
	wss := make([]*workspace.Workspace, len(roots))
	for i, root := range roots {
		wss[i] = workspace.New(root, opts)
	}
	ctx := context.Background()
	if *envName != "" {
		var names []string
		for _, ws := range wss {
			names = append(names, ws.AllEnvironments()...)
		}
		if len(names) > 0 && !contains(names, *envName) {
			sort.Strings(names)
			fmt.Fprintf(stderr, "gw403-lsp check: unknown environment %q (defined: %s)\n", *envName, esc(strings.Join(uniqueStrings(names), ", ")))
			return 2
		}
	}

	results := make([]*workspace.Result, len(roots))
	nfixed, refused := 0, false
	for i, ws := range wss {
		paths := byRoot[roots[i]]
		if *dependents {
			paths = withDependents(ctx, ws, paths)
		}
		res, err := ws.CheckPaths(ctx, paths)
		if err != nil {
			fmt.Fprintln(stderr, "gw403-lsp check:", esc(err.Error()))
			return 2
		}
		for _, e := range ws.WalkErrors() {
			fmt.Fprintln(stderr, "gw403-lsp check: warning:", esc(e.Error()))
		}
		if *fix || *unsafeFixes {
			fixed, err := applyFixes(ctx, ws, paths, res, *unsafeFixes, stderr)
			if err != nil {
				fmt.Fprintln(stderr, "gw403-lsp check: --fix:", esc(err.Error()))
				return 2
			}
			res = fixed.after
			nfixed += fixed.count
			refused = refused || fixed.refused
		}
		results[i] = res
	}
	res := workspace.MergeResults(results...)
	if *fix || *unsafeFixes {
		out.fixed(nfixed)
	}
	if err := out.write(res, cwd); err != nil {
		fmt.Fprintln(stderr, "gw403-lsp check:", esc(err.Error()))
		return 2
	}
	if refused {
		return 2
	}
	for _, d := range res.Diagnostics {
		if threshold != analyzer.Off && d.Severity >= threshold {
			return 1
		}
	}
	return 0
}

func parseFailOn(s string) (analyzer.Severity, error) {
	if strings.EqualFold(s, "never") {
		return analyzer.Off, nil
	}
	sev, err := analyzer.ParseSeverity(s)
	if err != nil || sev == analyzer.Off {
		return analyzer.Off, fmt.Errorf("--fail-on %q: want error, warning, info or never", s)
	}
	return sev, nil
}

func knownRuleSelector(s string) bool {
	s = strings.TrimSpace(s)
	if strings.EqualFold(s, "all") || analyzer.Lookup(s) != nil {
		return true
	}
	for _, r := range analyzer.Rules() {
		if strings.HasPrefix(r.Code, strings.ToUpper(s)) {
			return true
		}
	}
	return false
}

// uniqueStrings drops repeats from a sorted list.
func uniqueStrings(list []string) []string {
	var out []string
	for i, s := range list {
		if i == 0 || s != list[i-1] {
			out = append(out, s)
		}
	}
	return out
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// withDependents adds to paths the request files whose findings depend on
// the files among them (analyzer.Workspace.Dependents).
func withDependents(ctx context.Context, ws *workspace.Workspace, paths []string) []string {
	seen := map[string]bool{}
	for _, p := range paths {
		seen[p] = true
	}
	out := paths
	for _, p := range paths {
		for _, d := range ws.Dependents(ctx, p) {
			if !seen[d] {
				seen[d] = true
				out = append(out, d)
			}
		}
	}
	return out
}

// writeRequestSummary says how the checked requests linked: how many were
// checked against an API and how many were not linked (no finding is made
// for those, so the count is the only sign), and how many files were read.
func writeRequestSummary(w io.Writer, res *workspace.Result, lang string) error {
	rq := res.Requests
	files := len(res.Checked)
	var err error
	if strings.HasPrefix(lang, "ja") {
		msg := fmt.Sprintf("%d ファイルを検査: リクエスト %d 件を API と照合、%d 件はリンクなし", files, rq.Linked, rq.Unlinked)
		if rq.Local > 0 {
			msg += fmt.Sprintf("、%d 件はローカルホスト宛て", rq.Local)
		}
		if rq.Unlinked > 0 {
			msg += "（理由は gw403-lsp inspect で確認できます）"
		}
		_, err = fmt.Fprintln(w, msg+"。")
		return err
	}
	msg := fmt.Sprintf("Checked %d %s: %d %s checked against an API, %d not linked", files, plural(files, "file", "files"),
		rq.Linked, plural(rq.Linked, "request", "requests"), rq.Unlinked)
	if rq.Local > 0 {
		msg += fmt.Sprintf(", %d to a local host", rq.Local)
	}
	if rq.Unlinked > 0 {
		msg += " (gw403-lsp inspect says why)"
	}
	_, err = fmt.Fprintln(w, msg+".")
	return err
}
