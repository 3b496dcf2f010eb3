package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// parseInterspersed parses flags that may come before, between or after
// positional arguments ("check examples --format json"). A lone "--" ends
// flag parsing.
func parseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return pos, nil
		}
		if len(args) > 0 && len(rest) < len(args) && args[len(args)-len(rest)-1] == "--" {
			return append(pos, rest...), nil
		}
		pos = append(pos, rest[0])
		args = rest[1:]
	}
}

// newFlagSet returns a FlagSet that reports errors to stderr and prints
// usage with the command's synopsis.
func newFlagSet(name, synopsis string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintf(stderr, "usage: gw403-lsp %s\n\nFlags:\n", synopsis)
		fs.PrintDefaults()
	}
	return fs
}

// listFlag collects comma-separated values over repeated flags.
type listFlag []string

func (l *listFlag) String() string { return strings.Join(*l, ",") }
func (l *listFlag) Set(v string) error {
	for _, s := range strings.Split(v, ",") {
		if s = strings.TrimSpace(s); s != "" {
			*l = append(*l, s)
		}
	}
	return nil
}

// defaultLang returns "ja" when the locale environment asks for Japanese.
func defaultLang() string {
	for _, k := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		if v := os.Getenv(k); v != "" {
			if strings.HasPrefix(strings.ToLower(v), "ja") {
				return "ja"
			}
			return "en"
		}
	}
	return "en"
}

func checkLang(lang string) (string, error) {
	switch strings.ToLower(lang) {
	case "", "auto":
		return defaultLang(), nil
	case "en", "english":
		return "en", nil
	case "ja", "jp", "japanese":
		return "ja", nil
	}
	return "", fmt.Errorf("unknown language %q (want en or ja)", lang)
}

// resolvePaths turns the command's path arguments (default ".") and an
// optional --config value into absolute, existing paths, with the working
// directory. A missing path is a usage error.
func resolvePaths(paths []string, config string) (abs []string, cfg, cwd string, err error) {
	if len(paths) == 0 {
		paths = []string{"."}
	}
	if cwd, err = os.Getwd(); err != nil {
		return nil, "", "", err
	}
	for _, p := range paths {
		a, err := filepath.Abs(p)
		if err == nil {
			_, err = os.Stat(a)
		}
		if err != nil {
			return nil, "", "", err
		}
		abs = append(abs, a)
	}
	if config != "" {
		if cfg, err = filepath.Abs(config); err == nil {
			_, err = os.Stat(cfg)
		}
		if err != nil {
			return nil, "", "", fmt.Errorf("--config: %w", err)
		}
	}
	return abs, cfg, cwd, nil
}
