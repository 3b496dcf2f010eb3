// Package hardening holds the cross-cutting tests of gw403-lsp as a whole:
// bad input of every kind through the CLI and the language server (huge,
// binary, non-UTF-8, alias bombs, deep nesting, symlink loops, FIFOs and
// devices), `check --fix` file safety, secret masking in every output, and
// running with no network and no script execution.
//
// CLI tests run the real binary, built once (on first use) into a
// temporary directory.
package hardening

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"
)

var (
	buildOnce sync.Once
	buildDir  string // removed by TestMain
	buildErr  error
	binPath   string
)

// gw403 returns the gw403-lsp binary, built on first use (fuzz workers,
// which run no CLI test, never build it).
func gw403(t testing.TB) string {
	t.Helper()
	buildOnce.Do(func() {
		buildDir, buildErr = os.MkdirTemp("", "gw403-hardening-")
		if buildErr != nil {
			return
		}
		binPath = filepath.Join(buildDir, "gw403-lsp")
		goTool := filepath.Join(runtime.GOROOT(), "bin", "go")
		if _, err := os.Stat(goTool); err != nil {
			goTool = "go"
		}
		cmd := exec.Command(goTool, "build", "-o", binPath, "github.com/gw403/gw403-lsp/cmd/gw403-lsp")
		out, err := cmd.CombinedOutput()
		if err != nil {
			buildErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return binPath
}

func TestMain(m *testing.M) {
	if out := os.Getenv(measureEnv); out != "" {
		os.Exit(measureMain(out))
	}
	code := m.Run()
	if buildDir != "" {
		os.RemoveAll(buildDir)
	}
	os.Exit(code)
}

// hangLimit is how long a CLI run may take before the test calls it hung.
// It detects hangs (a FIFO read, an endless device); it measures nothing.
const hangLimit = 3 * time.Minute

// cliResult is the outcome of one CLI run.
type cliResult struct {
	stdout, stderr string
	code           int
	peakMB         float64 // peak resident set size of the process
}

// runCLI runs the binary in dir with args and returns what it did. It
// fails the test when the process hangs, crashes (a Go panic or a signal)
// or exits with a status other than 0, 1 or 2.
func runCLI(t *testing.T, dir string, env []string, args ...string) cliResult {
	t.Helper()
	return runArgv(t, dir, env, append([]string{gw403(t)}, args...))
}

func runArgv(t *testing.T, dir string, env []string, argv []string) cliResult {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), hangLimit)
	defer cancel()
	cmd, report := measuredCommand(t, ctx, argv)
	cmd.Dir = dir
	cmd.Env = append(cmd.Env, "NO_COLOR=1", "LANG=C.UTF-8")
	cmd.Env = append(cmd.Env, env...)
	cmd.Stdin = strings.NewReader("")
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	res := cliResult{stdout: out.String(), stderr: errb.String()}
	if ctx.Err() != nil {
		t.Fatalf("%s: still running after %v (hung)\nstderr: %s", strings.Join(argv[1:], " "), hangLimit, tail(res.stderr))
	}
	peak, sig, measured := readMeasure(report)
	if !measured {
		t.Fatalf("%s: not run: %v\nstderr: %s", strings.Join(argv, " "), err, tail(res.stderr))
	}
	if sig != 0 {
		t.Fatalf("%s: killed by %v\nstderr: %s", strings.Join(argv[1:], " "), sig, tail(res.stderr))
	}
	res.peakMB = peak
	var ee *exec.ExitError
	switch {
	case err == nil:
	case errors.As(err, &ee):
		res.code = ee.ExitCode()
	default:
		t.Fatalf("%s: %v", strings.Join(argv, " "), err)
	}
	if strings.Contains(res.stderr, "panic:") || strings.Contains(res.stderr, "goroutine ") {
		t.Fatalf("%s: crashed\nstderr: %s", strings.Join(argv[1:], " "), tail(res.stderr))
	}
	if res.code > 2 {
		t.Fatalf("%s: exit status %d, want 0, 1 or 2\nstderr: %s", strings.Join(argv[1:], " "), res.code, tail(res.stderr))
	}
	return res
}

func tail(s string) string {
	if len(s) > 3000 {
		return "…" + s[len(s)-3000:]
	}
	return s
}

// writeFiles writes files (slash paths relative to dir) and returns dir.
func writeFiles(t testing.TB, dir string, files map[string]string) string {
	t.Helper()
	for p, text := range files {
		full := filepath.Join(dir, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// newWorkspace returns a fresh workspace directory holding files and a
// .gw403.yaml, so that the CLI takes it as the root.
func newWorkspace(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	if real, err := filepath.EvalSymlinks(dir); err == nil {
		dir = real
	}
	if _, ok := files[".gw403.yaml"]; !ok {
		files[".gw403.yaml"] = "# workspace root\n"
	}
	return writeFiles(t, dir, files)
}

// finding is one line of the CLI's text output: "path:line:col: severity CODE slug: message".
type finding struct {
	path, code, line string
}

// findings parses text output.
func findings(out string) []finding {
	var fs []finding
	for _, l := range strings.Split(out, "\n") {
		i := strings.Index(l, ": ")
		if i < 0 {
			continue
		}
		loc := l[:i]
		f := strings.Fields(l[i+2:])
		if len(f) < 2 || !strings.HasPrefix(f[1], "GW") {
			continue
		}
		path := loc
		if k := strings.IndexByte(loc, ':'); k >= 0 {
			path = loc[:k]
		}
		fs = append(fs, finding{path: filepath.ToSlash(path), code: f[1], line: l})
	}
	return fs
}

// has reports whether fs holds a finding with code in a file whose path
// ends with suffix.
func has(fs []finding, suffix, code string) bool {
	for _, f := range fs {
		if f.code == code && strings.HasSuffix(f.path, suffix) {
			return true
		}
	}
	return false
}
