package hardening

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
)

// Linux counts the memory of the process that starts a program in that
// program's peak RSS: execve keeps the high-water mark of the memory it
// replaces, and Go starts programs from the parent's own address space. A
// test process that has grown to 240 MB would so see every CLI run peak at
// 240 MB at least. CLI runs therefore go through a small measuring process,
// this test binary started afresh with measureEnv set: its own memory is a
// few MB when it starts the CLI, so the CLI's peak is the CLI's.

// measureEnv names the file the measuring process writes the CLI's peak RSS
// (KiB) and termination signal (0: none) to.
const measureEnv = "GW403_HARDENING_MEASURE"

// measureMain runs os.Args[1:] with this process's standard streams,
// writes its peak RSS and signal to the file measureEnv names, and exits
// with its exit status (or 125 when it was killed by a signal).
func measureMain(out string) int {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "measure: no command")
		return 125
	}
	cmd := exec.Command(os.Args[1], os.Args[2:]...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	err := cmd.Run()
	if cmd.ProcessState == nil {
		fmt.Fprintf(os.Stderr, "measure: %v\n", err)
		return 125
	}
	var kb int64
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		kb = ru.Maxrss
	}
	sig := 0
	if ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
		sig = int(ws.Signal())
	}
	if werr := os.WriteFile(out, fmt.Appendf(nil, "%d %d", kb, sig), 0o644); werr != nil {
		fmt.Fprintf(os.Stderr, "measure: %v\n", werr)
		return 125
	}
	if sig != 0 {
		return 125
	}
	return cmd.ProcessState.ExitCode()
}

// measuredCommand returns a command that runs argv through the measuring
// process, in its own process group so that cancelling ctx kills the CLI
// too, and the path of the file it reports to (read it with readMeasure).
func measuredCommand(t *testing.T, ctx context.Context, argv []string) (*exec.Cmd, string) {
	t.Helper()
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	report := filepath.Join(t.TempDir(), "measure")
	cmd := exec.CommandContext(ctx, self, argv...)
	cmd.Env = append(os.Environ(), measureEnv+"="+report)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	return cmd, report
}

// readMeasure reads what the measuring process reported: the CLI's peak
// RSS in MB and the signal that ended it (0: it exited). ok is false when
// nothing was reported (the CLI could not be started).
func readMeasure(report string) (peakMB float64, sig syscall.Signal, ok bool) {
	b, err := os.ReadFile(report)
	if err != nil {
		return 0, 0, false
	}
	f := strings.Fields(string(b))
	if len(f) != 2 {
		return 0, 0, false
	}
	kb, err1 := strconv.ParseInt(f[0], 10, 64)
	s, err2 := strconv.Atoi(f[1])
	if err1 != nil || err2 != nil {
		return 0, 0, false
	}
	return float64(kb) / 1024, syscall.Signal(s), true
}
