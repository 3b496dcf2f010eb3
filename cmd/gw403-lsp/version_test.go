package main

import (
	"bytes"
	"debug/buildinfo"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/debug"
	"testing"
)

func TestResolveVersion(t *testing.T) {
	rev := "0123456789abcdef0123456789abcdef01234567"
	for _, tc := range []struct {
		name    string
		stamped string
		info    *debug.BuildInfo
		want    string
	}{
		{"stamped wins", "v9.9.9", &debug.BuildInfo{Main: debug.Module{Version: "v1.2.3"}}, "v9.9.9"},
		{"go install @version", "", &debug.BuildInfo{Main: debug.Module{Version: "v1.2.3"}}, "v1.2.3"},
		{"pseudo-version", "", &debug.BuildInfo{Main: debug.Module{Version: "v0.0.0-20261206071400-0123456789ab"}}, "v0.0.0-20261206071400-0123456789ab"},
		{"go build in a clone", "", &debug.BuildInfo{Main: debug.Module{Version: "(devel)"}, Settings: []debug.BuildSetting{{Key: "vcs.revision", Value: rev}, {Key: "vcs.modified", Value: "false"}}}, "dev-0123456789ab"},
		{"uncommitted changes", "", &debug.BuildInfo{Main: debug.Module{Version: "(devel)"}, Settings: []debug.BuildSetting{{Key: "vcs.revision", Value: rev}, {Key: "vcs.modified", Value: "true"}}}, "dev-0123456789ab+dirty"},
		{"nothing known", "", &debug.BuildInfo{Main: debug.Module{Version: "(devel)"}}, "dev"},
		{"no build information", "", nil, "dev"},
	} {
		if got := resolveVersion(tc.stamped, tc.info); got != tc.want {
			t.Errorf("%s: resolveVersion = %q, want %q", tc.name, got, tc.want)
		}
	}
}

// TestVersionFromBuildInfo builds the binary as `go build` in a clone does
// (nothing stamped, VCS information on) and checks that --version, SARIF
// and the LSP serverInfo all report what its build information says (the
// revision in a git clone), and that a stamped version wins everywhere.
func TestVersionFromBuildInfo(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	build := func(name string, args ...string) string {
		bin := filepath.Join(dir, name)
		cmd := exec.Command("go", append(append([]string{"build"}, args...), "-o", bin, "./cmd/gw403-lsp")...)
		cmd.Dir = root
		cmd.Env = append(os.Environ(), "GOFLAGS=")
		if b, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("go build: %v\n%s", err, b)
		}
		return bin
	}
	bin := build("plain", "-buildvcs=auto")
	info, err := buildinfo.ReadFile(bin)
	if err != nil {
		t.Fatal(err)
	}
	want := resolveVersion("", info)
	if want == "dev" {
		// No VCS information: not a git clone, or git missing (a git
		// worktree is not recognised by every Go release).
		t.Logf("the build records no revision; checking that dev is reported consistently")
	}
	checkReportedVersion(t, bin, want)
	checkReportedVersion(t, build("stamped", "-ldflags=-X main.version=v7.7.7"), "v7.7.7")
}

func checkReportedVersion(t *testing.T, bin, want string) {
	t.Helper()
	got, err := exec.Command(bin, "--version").Output()
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != "gw403-lsp "+want+"\n" {
		t.Errorf("--version = %q, want gw403-lsp %s", got, want)
	}

	check := exec.Command(bin, "check", "--format", "sarif", "--fail-on", "never", "testdata/project")
	sarif, err := check.Output()
	if err != nil {
		t.Fatalf("check --format sarif: %v", err)
	}
	var doc struct {
		Runs []struct {
			Tool struct {
				Driver struct {
					Version string `json:"version"`
				} `json:"driver"`
			} `json:"tool"`
		} `json:"runs"`
	}
	if err := json.Unmarshal(sarif, &doc); err != nil || len(doc.Runs) != 1 {
		t.Fatalf("SARIF: %v %s", err, sarif)
	}
	if v := doc.Runs[0].Tool.Driver.Version; v != want {
		t.Errorf("SARIF driver version = %q, want %s", v, want)
	}

	init := `{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"processId":null,"rootUri":null,"capabilities":{}}}`
	exit := `{"jsonrpc":"2.0","method":"exit"}`
	var in bytes.Buffer
	for _, m := range []string{init, exit} {
		in.WriteString("Content-Length: " + itoa(len(m)) + "\r\n\r\n" + m)
	}
	serve := exec.Command(bin, "serve")
	serve.Stdin = &in
	serve.Stderr = os.Stderr
	res, _ := serve.Output() // exit without shutdown: status 1
	if !bytes.Contains(res, []byte(`"serverInfo":{"name":"gw403-lsp","version":"`+want+`"}`)) {
		t.Errorf("initialize answer lacks serverInfo version %s: %s", want, res)
	}
}

func itoa(n int) string {
	b, _ := json.Marshal(n)
	return string(b)
}
