package hardening

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
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
	cmd, report := measuredCommand(t, ctx, append([]string{gw403(t)}, args...))
	cmd.Dir = dir
	// GOMEMLIMIT is not set: the process must stay small on its own.
	cmd.Env = append(cmd.Env, "NO_COLOR=1", "LANG=C.UTF-8")
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
	peak, sig, measured := readMeasure(report)
	if !measured {
		t.Fatalf("%s: not run: %v\nstderr: %s", what, err, tail(res.stderr))
	}
	if sig != 0 {
		t.Fatalf("%s: killed by %v\nstderr: %s", what, sig, tail(res.stderr))
	}
	res.peakMB = peak
	var ee *exec.ExitError
	switch {
	case err == nil:
	case errors.As(err, &ee):
		res.code = ee.ExitCode()
	default:
		t.Fatalf("%s: %v", what, err)
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

// writeGzipHAR writes a gzipped HAR to dir/name: head, then each entry
// produced by entry(i) for i < n (comma-separated), then the closing of
// the entries array and of the log.
func writeGzipHAR(t *testing.T, dir, name string, n int, entry func(w io.Writer, i int)) string {
	t.Helper()
	path := filepath.Join(dir, name)
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	zw, _ := gzip.NewWriterLevel(f, gzip.BestSpeed)
	bw := bufio.NewWriterSize(zw, 1<<20)
	bw.WriteString(`{"log":{"version":"1.2","creator":{"name":"gen","version":"1"},"entries":[`)
	for i := 0; i < n; i++ {
		if i > 0 {
			bw.WriteByte(',')
		}
		entry(bw, i)
	}
	bw.WriteString(`]}}`)
	if err := bw.Flush(); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

// harEntry writes one HAR entry whose response body is bodyLen bytes of
// filler.
func harEntry(w io.Writer, status, bodyLen int) {
	fmt.Fprintf(w, `{"request":{"method":"GET","url":"https://a1b2c3d4e5.execute-api.us-east-1.amazonaws.com/prod/items","headers":[]},`+
		`"response":{"status":%d,"statusText":"Forbidden","httpVersion":"HTTP/1.1","headers":[{"name":"x-amzn-errortype","value":"ForbiddenException"}],`+
		`"content":{"mimeType":"application/json","text":"{\"message\":\"Forbidden\"}`, status)
	chunk := []byte(strings.Repeat("x", 64<<10))
	for n := bodyLen; n > 0; n -= len(chunk) {
		if n < len(chunk) {
			chunk = chunk[:n]
		}
		w.Write(chunk)
	}
	io.WriteString(w, `"}}}`)
}

// TestExplainGzipHARBombs runs explain on small gzipped HARs that expand
// to far more than they weigh: a body string larger than the HAR input
// limit, hundreds of kept 403s with megabyte bodies, more entries than the
// entry limit, and brackets nested millions deep. Each must finish within
// a small memory, exit 0 or 2 (never a signal), and name the limit it hit.
// Before, the first and last ran out of memory (2 GB and more) and every
// kept body held its whole text.
func TestExplainGzipHARBombs(t *testing.T) {
	if testing.Short() {
		t.Skip("writes about 600 MB through gzip")
	}
	dir := t.TempDir()
	const maxMB = 200 // peak RSS allowed; the kept exchanges need ~20 MB
	tests := []struct {
		name     string
		path     string
		wantCode int
		want     string // in stderr
		wantOut  string // in stdout
	}{
		{
			name: "one body of 300 MiB",
			path: writeGzipHAR(t, dir, "big-body.har.gz", 1, func(w io.Writer, i int) { harEntry(w, 403, 300<<20) }),
			// Nothing was kept before the limit: an error naming it.
			wantCode: 2, want: "256 MiB",
		},
		{
			name:     "250 kept 403s of 1 MiB each",
			path:     writeGzipHAR(t, dir, "many-bodies.har.gz", 250, func(w io.Writer, i int) { harEntry(w, 403, 1<<20) }),
			wantCode: 0, wantOut: "403 Forbidden",
		},
		{
			name: "150,000 entries",
			path: writeGzipHAR(t, dir, "entries.har.gz", 150_000, func(w io.Writer, i int) {
				status := 200
				if i == 2 {
					status = 403
				}
				harEntry(w, status, 0)
			}),
			// The 403 was read before the limit: explained, with a note.
			wantCode: 0, want: "more than 100000 entries", wantOut: "403 Forbidden",
		},
		{
			name: "brackets nested 50 million deep",
			path: writeGzipHAR(t, dir, "deep.har.gz", 1, func(w io.Writer, i int) {
				io.WriteString(w, `{"x":`)
				open := bytes.Repeat([]byte("["), 1<<20)
				for k := 0; k < 50; k++ {
					w.Write(open)
				}
			}),
			wantCode: 2, want: "levels deep",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := runBounded(t, dir, "", "explain", tt.path)
			t.Logf("%s: exit %d, peak RSS %.0f MB", filepath.Base(tt.path), res.code, res.peakMB)
			if res.code != tt.wantCode {
				t.Errorf("exit %d, want %d\nstderr: %s", res.code, tt.wantCode, tail(res.stderr))
			}
			if !strings.Contains(res.stderr, tt.want) {
				t.Errorf("stderr does not name the limit (%q):\n%s", tt.want, tail(res.stderr))
			}
			if !strings.Contains(res.stdout, tt.wantOut) {
				t.Errorf("stdout lacks %q:\n%s", tt.wantOut, tail(res.stdout))
			}
			if res.peakMB > maxMB {
				t.Errorf("peak RSS %.0f MB, want at most %d MB", res.peakMB, maxMB)
			}
		})
	}
}
