package emacs

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// eglotLoadPath returns -L arguments for eglot and its dependencies when
// Emacs does not have eglot built in (Emacs < 29 with Debian's elpa-eglot).
func eglotLoadPath(t *testing.T, emacs string) ([]string, bool) {
	t.Helper()
	probe := func(args ...string) bool {
		cmd := exec.Command(emacs, append(append([]string{"--batch", "-Q"}, args...), "--eval", "(require 'eglot)")...)
		return cmd.Run() == nil
	}
	if probe() {
		return nil, true
	}
	var args []string
	dirs, _ := filepath.Glob("/usr/share/emacs/site-lisp/elpa/*")
	for _, d := range dirs {
		args = append(args, "-L", d)
	}
	if len(args) > 0 && probe(args...) {
		return args, true
	}
	return nil, false
}

// TestEmacsEglotEndToEnd runs test/e2e.el in a batch Emacs with eglot
// against a copy of testdata/workspace: gw403-http-mode, GW101, the
// "Add x-api-key header" quick fix, gw403-set-environment.
// It skips without emacs and eglot (Debian: emacs-nox elpa-eglot).
func TestEmacsEglotEndToEnd(t *testing.T) {
	emacs, err := exec.LookPath("emacs")
	if err != nil {
		t.Skip("emacs not installed (apt-get install emacs-nox elpa-eglot)")
	}
	loadPath, ok := eglotLoadPath(t, emacs)
	if !ok {
		t.Skip("eglot not available (Emacs 29+, or apt-get install elpa-eglot)")
	}
	bin := buildServer(t)
	ws := filepath.Join(t.TempDir(), "orders")
	if err := os.CopyFS(ws, os.DirFS(filepath.Join("testdata", "workspace"))); err != nil {
		t.Fatal(err)
	}
	runEmacs(t, emacs, loadPath, bin, "e2e.el", ws)
}

// TestEmacsReadmeSetup follows the README on a copy of
// examples/orders-service outside any git repository, with the request
// file opened from requests/ (eglot's root was requests/ there, and the
// template unseen): the root is the service and the 4 findings appear.
func TestEmacsReadmeSetup(t *testing.T) {
	emacs, err := exec.LookPath("emacs")
	if err != nil {
		t.Skip("emacs not installed (apt-get install emacs-nox elpa-eglot)")
	}
	loadPath, ok := eglotLoadPath(t, emacs)
	if !ok {
		t.Skip("eglot not available (Emacs 29+, or apt-get install elpa-eglot)")
	}
	bin := buildServer(t)
	tmp, err := filepath.EvalSymlinks(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	ws := filepath.Join(tmp, "orders-service")
	if err := os.CopyFS(ws, os.DirFS(filepath.Join("..", "..", "examples", "orders-service"))); err != nil {
		t.Fatal(err)
	}
	runEmacs(t, emacs, loadPath, bin, "example.el", ws)
}

// runEmacs runs test/script in a batch Emacs on ws and fails the test
// unless every check passed.
func runEmacs(t *testing.T, emacs string, loadPath []string, bin, script, ws string) {
	t.Helper()
	here, err := filepath.Abs(".")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	args := append([]string{"--batch", "-Q"}, loadPath...)
	args = append(args, "-L", here, "-l", filepath.Join(here, "test", script), ws)
	cmd := exec.CommandContext(ctx, emacs, args...)
	cmd.Env = append(os.Environ(), "HOME="+t.TempDir(), "GW403_BIN="+bin)
	var out bytes.Buffer
	cmd.Stdout = &out
	cmd.Stderr = &out
	err = cmd.Run()
	t.Logf("emacs output:\n%s", out.String())
	if ctx.Err() != nil {
		t.Fatal("emacs did not finish within the deadline")
	}
	if err != nil || !strings.Contains(out.String(), " 0 failed") {
		t.Fatalf("test/%s failed: %v", script, err)
	}
}

// buildServer builds cmd/gw403-lsp, or returns $GW403_LSP_BIN when set.
func buildServer(t *testing.T) string {
	t.Helper()
	if bin := os.Getenv("GW403_LSP_BIN"); bin != "" {
		return bin
	}
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(t.TempDir(), "gw403-lsp")
	build := exec.Command("go", "build", "-o", bin, "./cmd/gw403-lsp")
	build.Dir = root
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build ./cmd/gw403-lsp: %v\n%s", err, out)
	}
	return bin
}
