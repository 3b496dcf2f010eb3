package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"syscall"

	"github.com/mattn/go-isatty"

	"github.com/gw403/gw403-lsp/analyzer/explain"
	"github.com/gw403/gw403-lsp/analyzer/link"
	"github.com/gw403/gw403-lsp/analyzer/msg"
	"github.com/gw403/gw403-lsp/schemas/capture"
)

func init() {
	register("explain", "explain a 403 response (curl -v, headers + body, HAR, REST Client, JetBrains)", runExplain)
}

// newWorkspaceMatcher links captured requests to the .http files of a
// workspace root. It is nil until the analyzer can match requests; the
// analyzer wiring sets it from an init function (see explain.Matcher).
var newWorkspaceMatcher func(root string) (explain.Matcher, error)

const explainSynopsis = "explain [--format text|json] [--lang en|ja] [--workspace DIR] [FILE|-]"

func runExplain(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("explain", flag.ContinueOnError)
	fs.SetOutput(stderr)
	format := fs.String("format", "text", "output format: text or json")
	lang := fs.String("lang", "", "language of the output: en or ja (default: from LC_ALL / LC_MESSAGES / LANG)")
	wsDir := fs.String("workspace", "", "workspace whose .http files the request is matched against (default: the current directory)")
	fs.Usage = func() {
		fmt.Fprintf(stderr, "usage: gw403-lsp %s\n\n", explainSynopsis)
		fmt.Fprintln(stderr, "Reads a 403 response — curl -v or curl -i output, response headers and body, a HAR file")
		fmt.Fprintln(stderr, "(gzipped or not), a REST Client or JetBrains HTTP Client response or request history —")
		fmt.Fprintln(stderr, "from FILE or standard input, and names its likely causes.")
		fmt.Fprintln(stderr, "\nFlags:")
		fs.PrintDefaults()
	}
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if *format != "text" && *format != "json" {
		fmt.Fprintf(stderr, "gw403-lsp explain: unknown format %q (want text or json)\n", *format)
		return 2
	}
	lg, err := checkLang(*lang)
	if err != nil {
		fmt.Fprintf(stderr, "gw403-lsp explain: %v\n", err)
		return 2
	}
	if len(pos) > 1 {
		fmt.Fprintf(stderr, "gw403-lsp explain: one input at a time (got %d)\nusage: gw403-lsp %s\n", len(pos), explainSynopsis)
		return 2
	}

	in, opts := stdin, capture.Options{}
	name := "-"
	if len(pos) == 1 && pos[0] != "-" {
		name = pos[0]
		f, err := os.Open(name)
		if err != nil {
			fmt.Fprintf(stderr, "gw403-lsp explain: %s\n", esc(err.Error()))
			return 2
		}
		defer f.Close()
		if st, err := f.Stat(); err == nil && st.IsDir() {
			fmt.Fprintf(stderr, "gw403-lsp explain: %s is a directory; give a file\n", esc(name))
			return 2
		}
		in = f
		dir := filepath.Dir(name)
		opts.Name = name
		opts.OpenRef = func(ref string) (io.ReadCloser, error) { return openRegular(filepath.Join(dir, filepath.Base(ref))) }
	} else if f, ok := stdin.(*os.File); ok && isatty.IsTerminal(f.Fd()) {
		if lg == "ja" {
			fmt.Fprintln(stderr, "レスポンス（curl -v の出力、ヘッダーと本文など）を貼り付けて、Ctrl-D を押してください。")
		} else {
			fmt.Fprintln(stderr, "Paste the response (curl -v output, headers and body, …), then press Ctrl-D.")
		}
	}

	c, err := capture.Parse(in, opts)
	if err != nil {
		fmt.Fprintf(stderr, "gw403-lsp explain: %s: %v\n", explainInputName(name), err)
		return 2
	}
	if c.Stopped != nil {
		fmt.Fprintf(stderr, "gw403-lsp explain: %s: note: %v; the responses of the part read are explained\n", explainInputName(name), c.Stopped)
	}

	var eo explain.Options
	if newWorkspaceMatcher != nil {
		root := *wsDir
		if root == "" {
			root, _ = os.Getwd()
		}
		if abs, err := filepath.Abs(root); err == nil {
			root = abs
		}
		m, err := newWorkspaceMatcher(root)
		if err != nil {
			fmt.Fprintf(stderr, "gw403-lsp explain: workspace %s: %s\n", esc(root), esc(err.Error()))
			return 2
		}
		eo.Matcher = m
	} else if *wsDir != "" {
		fmt.Fprintln(stderr, "gw403-lsp explain: note: matching the request to .http files is not available in this build; explaining the response alone")
	}

	ds, err := explain.Explain(context.Background(), c, eo)
	if sm, ok := eo.Matcher.(interface {
		Secrets(context.Context) []string
	}); ok {
		// The captured request may hold a key the workspace keeps in a
		// private env file: masked like everywhere else.
		if secrets := sm.Secrets(context.Background()); len(secrets) > 0 {
			rewriteCapture(c, ds, func(s string) string { return link.MaskValues(s, secrets) })
		}
	}
	if err != nil && len(ds) == 0 {
		fmt.Fprintf(stderr, "gw403-lsp explain: %s: %v\n", explainInputName(name), err)
		return 2
	}
	if err != nil {
		fmt.Fprintf(stderr, "gw403-lsp explain: %v\n", err)
	}
	if *format == "json" {
		err = writeExplainJSON(stdout, c, ds, lg)
	} else {
		// A newline or control character in a value (a HAR file is JSON,
		// its strings may hold any) must not reach the terminal: values
		// are escaped, and termWriter catches the rest.
		rewriteCapture(c, ds, esc)
		useColor := explainColor(stdout)
		err = writeExplainText(termWriter{stdout, useColor}, c, ds, lg, useColor)
	}
	if err != nil {
		fmt.Fprintf(stderr, "gw403-lsp explain: %v\n", err)
		return 2
	}
	return 0
}

// rewriteCapture applies f to the values of the input that explain prints
// (the request line, headers, status reason, body file name, the error
// message and request id, the evidence, steps and notes quoting them).
func rewriteCapture(c *capture.Capture, ds []*explain.Diagnosis, f func(string) string) {
	seen := map[*capture.Exchange]bool{}
	headers := func(h capture.Headers) {
		for i := range h {
			h[i].Name, h[i].Value = f(h[i].Name), f(h[i].Value)
		}
	}
	exchange := func(x *capture.Exchange) {
		if x == nil || seen[x] {
			return
		}
		seen[x] = true
		if r := x.Request; r != nil {
			r.Method, r.URL = f(r.Method), f(r.URL)
			headers(r.Headers)
		}
		if r := x.Response; r != nil {
			r.Proto, r.Reason, r.BodyFile, r.Body = f(r.Proto), f(r.Reason), f(r.BodyFile), f(r.Body)
			headers(r.Headers)
		}
	}
	texts := func(ts []msg.Text) {
		for i := range ts {
			ts[i].EN, ts[i].JA = f(ts[i].EN), f(ts[i].JA)
		}
	}
	for _, x := range c.Exchanges {
		exchange(x)
	}
	for _, d := range ds {
		exchange(d.Exchange)
		d.Message, d.RequestID, d.ErrorType = f(d.Message), f(d.RequestID), f(d.ErrorType)
		for i := range d.Causes {
			texts(d.Causes[i].Evidence)
			texts(d.Causes[i].NextSteps)
		}
		texts(d.NextSteps)
		texts(d.Notes)
		if m := d.Match; m != nil {
			// The check of a captured request quotes it too.
			one := []msg.Text{m.LinkReason}
			texts(one)
			m.LinkReason = one[0]
			for i := range m.Diagnostics {
				one[0] = m.Diagnostics[i].Message
				texts(one)
				m.Diagnostics[i].Message = one[0]
			}
		}
	}
}

// openRegular opens a file a history entry names, when it is a regular
// file: a FIFO would block the read forever, a device would never end.
// O_NONBLOCK keeps a FIFO swapped in after the Stat from blocking the
// open; it changes nothing for a regular file.
func openRegular(path string) (*os.File, error) {
	if fi, err := os.Stat(path); err != nil {
		return nil, err
	} else if !fi.Mode().IsRegular() {
		return nil, fmt.Errorf("%s is not a regular file", filepath.Base(path))
	}
	f, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		return nil, err
	}
	if fi, err := f.Stat(); err != nil || !fi.Mode().IsRegular() {
		f.Close()
		return nil, fmt.Errorf("%s is not a regular file", filepath.Base(path))
	}
	return f, nil
}

func explainInputName(name string) string {
	if name == "-" {
		return "standard input"
	}
	return esc(name)
}

// explainColor reports whether w is a terminal that wants colour.
func explainColor(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok || os.Getenv("NO_COLOR") != "" || os.Getenv("TERM") == "dumb" {
		return false
	}
	return isatty.IsTerminal(f.Fd()) || isatty.IsCygwinTerminal(f.Fd())
}
