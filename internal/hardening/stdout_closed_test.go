package hardening

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"syscall"
	"testing"
	"time"
)

// TestServerExitsWhenStdoutCloses runs the language server with its stdout
// on a pipe whose read end is closed, keeps stdin open and sends
// initialize: the answer cannot be written, and the server must exit with
// status 1, not be killed by SIGPIPE, and not hang.
func TestServerExitsWhenStdoutCloses(t *testing.T) {
	bin := gw403(t)
	outR, outW, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	outR.Close() // the client has gone away
	cmd := exec.Command(bin, "serve")
	cmd.Dir = t.TempDir()
	cmd.Stdout = outW
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	outW.Close()
	defer stdin.Close()
	body := `{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"processId":null,"rootUri":null,"capabilities":{}}}`
	fmt.Fprintf(stdin, "Content-Length: %d\r\n\r\n%s", len(body), body)

	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err = <-done:
	case <-time.After(hangLimit):
		_ = cmd.Process.Kill()
		<-done
		t.Fatalf("the server still runs %v after its stdout was closed", hangLimit)
	}
	var ee *exec.ExitError
	if !errors.As(err, &ee) {
		t.Fatalf("exit: %v, want status 1", err)
	}
	if ws, ok := ee.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
		t.Fatalf("the server was killed by %v, want exit status 1", ws.Signal())
	}
	if code := ee.ExitCode(); code != 1 {
		t.Errorf("exit status %d, want 1", code)
	}
}
