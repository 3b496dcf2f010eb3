package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/fatih/color"
	"github.com/mattn/go-isatty"

	"github.com/gw403/gw403-lsp/analyzer"
	"github.com/gw403/gw403-lsp/analyzer/link"
	"github.com/gw403/gw403-lsp/analyzer/workspace"
	"github.com/gw403/gw403-lsp/schemas/source"
)

// formatter prints a check result.
type formatter struct {
	kind   string
	w      io.Writer
	lang   string
	color  bool
	nfixed int
}

func newFormatter(kind string, w io.Writer, lang, colorMode string) (*formatter, error) {
	switch kind {
	case "text", "json", "sarif", "github":
	default:
		return nil, fmt.Errorf("unknown --format %q (want text, json, sarif or github)", kind)
	}
	f := &formatter{kind: kind, w: w, lang: lang}
	switch colorMode {
	case "always":
		f.color = true
	case "never":
	case "auto", "":
		if file, ok := w.(*os.File); ok && os.Getenv("NO_COLOR") == "" {
			f.color = isatty.IsTerminal(file.Fd()) || isatty.IsCygwinTerminal(file.Fd())
		}
	default:
		return nil, fmt.Errorf("unknown --color %q (want auto, always or never)", colorMode)
	}
	return f, nil
}

func (f *formatter) fixed(n int) { f.nfixed = n }

func (f *formatter) write(res *workspace.Result, cwd string) error {
	switch f.kind {
	case "json":
		return f.writeJSON(res, cwd)
	case "sarif":
		return writeSARIF(f.w, res, cwd, f.lang)
	case "github":
		return f.writeGitHub(res, cwd)
	}
	return f.writeText(res, cwd)
}

// relPath shows a path relative to the working directory when it is
// inside it, slash-separated.
func relPath(path, cwd string) string {
	if rel, err := filepath.Rel(cwd, path); err == nil && !strings.HasPrefix(rel, "..") {
		return filepath.ToSlash(rel)
	}
	return filepath.ToSlash(path)
}

// message is a diagnostic's message with the environments it was seen in.
func message(d analyzer.Diagnostic, lang string) string {
	msg := d.Message.In(lang)
	if len(d.Envs) > 0 {
		if strings.HasPrefix(lang, "ja") {
			msg += "（環境: " + strings.Join(d.Envs, ", ") + "）"
		} else {
			msg += " (env " + strings.Join(d.Envs, ", ") + ")"
		}
	}
	return msg
}

func (f *formatter) writeText(res *workspace.Result, cwd string) error {
	sevColor := map[analyzer.Severity]*color.Color{
		analyzer.Error:   color.New(color.FgRed, color.Bold),
		analyzer.Warning: color.New(color.FgYellow, color.Bold),
		analyzer.Info:    color.New(color.FgCyan),
	}
	bold := color.New(color.Bold)
	dim := color.New(color.Faint)
	for _, c := range []*color.Color{bold, dim, sevColor[analyzer.Error], sevColor[analyzer.Warning], sevColor[analyzer.Info]} {
		if f.color {
			c.EnableColor()
		} else {
			c.DisableColor()
		}
	}
	counts := map[analyzer.Severity]int{}
	fixable, unsafeOnly := analyzer.FixCounts(res.Diagnostics)
	for _, d := range res.Diagnostics {
		line, col := res.Files[d.Path].LineCol(d.Span.Start, source.Runes)
		counts[d.Severity]++
		_, err := fmt.Fprintf(f.w, "%s:%d:%d: %s %s %s: %s\n",
			bold.Sprint(esc(relPath(d.Path, cwd))), line, col,
			sevColor[d.Severity].Sprint(d.Severity), bold.Sprint(d.Code), dim.Sprint(d.Slug), esc(message(d, f.lang)))
		if err != nil {
			return err
		}
	}
	n := len(res.Diagnostics)
	ja := strings.HasPrefix(f.lang, "ja")
	switch {
	case f.nfixed > 0 && ja:
		fmt.Fprintf(f.w, "%d 件を修正しました。\n", f.nfixed)
	case f.nfixed > 0:
		fmt.Fprintf(f.w, "Fixed %d %s.\n", f.nfixed, plural(f.nfixed, "problem", "problems"))
	}
	if n == 0 {
		if ja {
			fmt.Fprintf(f.w, "問題は見つかりませんでした（%d ファイル）。\n", len(res.Checked))
		} else {
			fmt.Fprintf(f.w, "No problems found in %d %s.\n", len(res.Checked), plural(len(res.Checked), "file", "files"))
		}
		return writeRequestSummary(f.w, res, f.lang)
	}
	if ja {
		fmt.Fprintf(f.w, "%d 件の問題（エラー %d、警告 %d、情報 %d）", n, counts[analyzer.Error], counts[analyzer.Warning], counts[analyzer.Info])
		if fixable > 0 {
			fmt.Fprintf(f.w, "。%d 件は --fix で修正できます", fixable)
		}
		if unsafeOnly > 0 {
			fmt.Fprintf(f.w, "。安全でない修正が %d 件残っています（--unsafe-fixes で適用）", unsafeOnly)
		}
		fmt.Fprintln(f.w, "。")
		return writeRequestSummary(f.w, res, f.lang)
	}
	fmt.Fprintf(f.w, "Found %d %s (%d %s, %d %s, %d info)", n, plural(n, "problem", "problems"),
		counts[analyzer.Error], plural(counts[analyzer.Error], "error", "errors"),
		counts[analyzer.Warning], plural(counts[analyzer.Warning], "warning", "warnings"), counts[analyzer.Info])
	if fixable > 0 {
		fmt.Fprintf(f.w, "; %d fixable with --fix", fixable)
	}
	if unsafeOnly > 0 {
		fmt.Fprintf(f.w, "; %d unsafe %s left (apply with --unsafe-fixes)", unsafeOnly, plural(unsafeOnly, "fix", "fixes"))
	}
	fmt.Fprintln(f.w, ".")
	return writeRequestSummary(f.w, res, f.lang)
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// JSON output: the stable contract of DESIGN.md.
type jsonOutput struct {
	Version     int              `json:"version"`
	Diagnostics []jsonDiagnostic `json:"diagnostics"`
	// Files and Requests were added within version 1 (consumers that
	// read only diagnostics are unaffected).
	Files    int             `json:"files"`
	Requests link.LinkCounts `json:"requests"`
}

type jsonDiagnostic struct {
	Path      string    `json:"path"`
	Line      int       `json:"line"`
	Column    int       `json:"column"`
	EndLine   int       `json:"endLine"`
	EndColumn int       `json:"endColumn"`
	Code      string    `json:"code"`
	Slug      string    `json:"slug"`
	Severity  string    `json:"severity"`
	Message   string    `json:"message"`
	ErrorType string    `json:"errorType"`
	Fixes     []jsonFix `json:"fixes"`
}

type jsonFix struct {
	Title string `json:"title"`
	// Safe fixes are applied by --fix, the others only by --unsafe-fixes.
	Safe  bool       `json:"safe"`
	Edits []jsonEdit `json:"edits"`
}

type jsonEdit struct {
	Path      string `json:"path"`
	Line      int    `json:"line"`
	Column    int    `json:"column"`
	EndLine   int    `json:"endLine"`
	EndColumn int    `json:"endColumn"`
	NewText   string `json:"newText"`
}

func (f *formatter) writeJSON(res *workspace.Result, cwd string) error {
	out := jsonOutput{Version: 1, Diagnostics: []jsonDiagnostic{}, Files: len(res.Checked), Requests: res.Requests}
	for _, d := range res.Diagnostics {
		src := res.Files[d.Path]
		l, c := src.LineCol(d.Span.Start, source.Runes)
		el, ec := src.LineCol(d.Span.End, source.Runes)
		jd := jsonDiagnostic{
			Path: relPath(d.Path, cwd), Line: l, Column: c, EndLine: el, EndColumn: ec,
			Code: d.Code, Slug: d.Slug, Severity: d.Severity.String(),
			Message: message(d, f.lang), ErrorType: d.ErrorType, Fixes: []jsonFix{},
		}
		for _, fx := range d.Fixes {
			jf := jsonFix{Title: fx.Title.In(f.lang), Safe: fx.Safe, Edits: []jsonEdit{}}
			for _, e := range fx.Edits {
				es := res.Files[e.Path]
				l, c := es.LineCol(e.Span.Start, source.Runes)
				el, ec := es.LineCol(e.Span.End, source.Runes)
				jf.Edits = append(jf.Edits, jsonEdit{Path: relPath(e.Path, cwd), Line: l, Column: c, EndLine: el, EndColumn: ec, NewText: e.MaskedText()})
			}
			jd.Fixes = append(jd.Fixes, jf)
		}
		out.Diagnostics = append(out.Diagnostics, jd)
	}
	enc := json.NewEncoder(f.w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}

// writeGitHub prints GitHub Actions workflow commands (annotations).
func (f *formatter) writeGitHub(res *workspace.Result, cwd string) error {
	for _, d := range res.Diagnostics {
		src := res.Files[d.Path]
		l, c := src.LineCol(d.Span.Start, source.Runes)
		el, ec := src.LineCol(d.Span.End, source.Runes)
		level := map[analyzer.Severity]string{analyzer.Error: "error", analyzer.Warning: "warning", analyzer.Info: "notice"}[d.Severity]
		props := fmt.Sprintf("file=%s,line=%d,col=%d,endLine=%d,endColumn=%d,title=%s",
			ghProp(relPath(d.Path, cwd)), l, c, el, ec, ghProp(d.Code+" "+d.Slug))
		if _, err := fmt.Fprintf(f.w, "::%s %s::%s\n", level, props, ghData(message(d, f.lang))); err != nil {
			return err
		}
	}
	return nil
}

// ghData escapes an annotation's message: the workflow command escapes
// of %, CR and LF, and every other control character as esc writes it
// (the runner prints the message to the job log, a terminal).
func ghData(s string) string {
	return esc(strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace(s))
}

func ghProp(s string) string {
	return esc(strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C").Replace(s))
}
