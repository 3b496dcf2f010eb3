package hardening

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// boundedLimit is how long an attack input may keep the CLI busy in these
// tests before it counts as a hang: far above the 10 s target, so a loaded
// machine does not fail them, far below hangLimit.
const boundedLimit = 60 * time.Second

// runBounded runs the CLI with stdin from a file (or nothing) and a memory
// ceiling: it fails the test on a hang, a signal, a crash or a status
// other than 0, 1 or 2, and returns the result with the peak RSS.
func runBounded(t *testing.T, dir string, stdin string, args ...string) cliResult {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), boundedLimit)
	defer cancel()
	cmd := exec.CommandContext(ctx, gw403(t), args...)
	cmd.Dir = dir
	// GOMEMLIMIT is not set: the process must stay small on its own.
	cmd.Env = append(os.Environ(), "NO_COLOR=1", "LANG=C.UTF-8")
	if stdin != "" {
		f, err := os.Open(stdin)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		cmd.Stdin = f
	}
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	res := cliResult{stdout: out.String(), stderr: errb.String()}
	what := strings.Join(args, " ")
	if ctx.Err() != nil {
		t.Fatalf("%s: still running after %v", what, boundedLimit)
	}
	var ee *exec.ExitError
	switch {
	case err == nil:
	case errors.As(err, &ee):
		res.code = ee.ExitCode()
		if ws, ok := ee.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
			t.Fatalf("%s: killed by %v\nstderr: %s", what, ws.Signal(), tail(res.stderr))
		}
	default:
		t.Fatalf("%s: %v", what, err)
	}
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		res.peakMB = float64(ru.Maxrss) / 1024
	}
	if strings.Contains(res.stderr, "panic:") || strings.Contains(res.stderr, "goroutine ") {
		t.Fatalf("%s: crashed\nstderr: %s", what, tail(res.stderr))
	}
	if res.code > 2 {
		t.Fatalf("%s: exit status %d\nstderr: %s", what, res.code, tail(res.stderr))
	}
	return res
}

// TestExplainHistoryNamesFIFO: a JetBrains history entry whose response
// file is a FIFO (nobody writes to it) must not block explain; the entry
// is explained without its body.
func TestExplainHistoryNamesFIFO(t *testing.T) {
	dir := t.TempDir()
	hist := filepath.Join(dir, "http-requests-log.http")
	writeFiles(t, dir, map[string]string{
		"http-requests-log.http": "GET https://a1b2c3d4e5.execute-api.ap-northeast-1.amazonaws.com/prod/reports\n" +
			"Accept: application/json\n\n<> 2025-10-14T120410.403.json\n\n###\n\n" +
			"GET https://a1b2c3d4e5.execute-api.ap-northeast-1.amazonaws.com/prod/other\n\n<> 2025-10-14T120411.403.json\n\n###\n",
		"2025-10-14T120411.403.json": `{"message":"Missing Authentication Token"}`,
	})
	if err := syscall.Mkfifo(filepath.Join(dir, "2025-10-14T120410.403.json"), 0o644); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	res := runBounded(t, dir, "", "explain", "--format", "json", hist)
	if res.code != 0 {
		t.Fatalf("explain: status %d\nstderr: %s", res.code, res.stderr)
	}
	if !strings.Contains(res.stdout, "Missing Authentication Token") {
		t.Errorf("the regular response file of the second entry was not read:\n%s", tail(res.stdout))
	}
}
