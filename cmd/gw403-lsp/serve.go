package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/mattn/go-isatty"

	_ "github.com/gw403/gw403-lsp/analyzer/rules" // the rule catalog
	"github.com/gw403/gw403-lsp/lsp"
)

func init() {
	register("serve", "run the language server on stdin/stdout (the default)", runServe)
}

// runServe runs the language server on stdin/stdout until the client
// sends exit (code 0 after shutdown, 1 without) or closes stdin (1).
func runServe(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintf(stderr, "usage: gw403-lsp serve [--log FILE]\n\nSpeaks LSP 3.17 on stdin/stdout.\n\nFlags:\n")
		fs.PrintDefaults()
	}
	// Clients such as vscode-languageclient add --stdio; it is the only
	// transport, so the flag is accepted and ignored.
	fs.Bool("stdio", true, "use stdin/stdout (the only transport)")
	logPath := fs.String("log", "", "append the server log to `FILE` instead of stderr")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "gw403-lsp serve: unexpected argument %q\n", fs.Arg(0))
		fs.Usage()
		return 2
	}
	logw := stderr
	if *logPath != "" {
		f, err := os.OpenFile(*logPath, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
		if err != nil {
			fmt.Fprintf(stderr, "gw403-lsp serve: %v\n", err)
			return 2
		}
		defer f.Close()
		logw = f
	}
	if f, ok := stdin.(*os.File); ok && isatty.IsTerminal(f.Fd()) {
		// Someone typed gw403-lsp in a terminal: say what is going on.
		fmt.Fprintln(stderr, "gw403-lsp: language server on stdin/stdout, for an editor to start. Run 'gw403-lsp help' for the commands (check, explain, inspect, rules); Ctrl-D quits.")
	}
	// A client that closes its end of stdout makes writes fail with EPIPE,
	// which ends the session with status 1, instead of killing the
	// process with SIGPIPE.
	signal.Ignore(syscall.SIGPIPE)
	// Nothing but the transport may write to stdout.
	opts := lsp.Options{Log: logw, Version: version, Locale: envLocale()}
	return lsp.Serve(context.Background(), stdio{stdin, stdout}, opts)
}

// envLocale returns the locale the environment asks for (LC_ALL,
// LC_MESSAGES, LANG), for clients that send none: "ja_JP.UTF-8" → "ja_JP".
func envLocale() string {
	for _, k := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		if v := os.Getenv(k); v != "" {
			v, _, _ = strings.Cut(v, ".")
			return v
		}
	}
	return ""
}

// stdio joins stdin and stdout into the stream the server reads and writes.
type stdio struct {
	r io.Reader
	w io.Writer
}

func (s stdio) Read(p []byte) (int, error)  { return s.r.Read(p) }
func (s stdio) Write(p []byte) (int, error) { return s.w.Write(p) }

// Close closes both ends when they can be closed.
func (s stdio) Close() error {
	var errs []error
	if c, ok := s.r.(io.Closer); ok {
		errs = append(errs, c.Close())
	}
	if c, ok := s.w.(io.Closer); ok {
		errs = append(errs, c.Close())
	}
	return errors.Join(errs...)
}
