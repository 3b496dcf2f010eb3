package nvim

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

// buildServer builds cmd/gw403-lsp into a temporary directory, or returns
// $GW403_LSP_BIN when set (a binary built once for several tests).
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
	cmd := exec.Command("go", "build", "-o", bin, "./cmd/gw403-lsp")
	cmd.Dir = root
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build ./cmd/gw403-lsp: %v\n%s", err, out)
	}
	return bin
}

// copyDir copies the regular files of src (recursively) into dst.
func copyDir(t *testing.T, src, dst string) {
	t.Helper()
	err := filepath.WalkDir(src, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(src, p)
		if err != nil {
			return err
		}
		target := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(target, b, 0o644)
	})
	if err != nil {
		t.Fatalf("copy %s: %v", src, err)
	}
}

// TestNeovimEndToEnd runs test/e2e.lua in a headless Neovim against a copy of
// testdata/workspace: filetype detection, the content check, GW101 on the
// URL, the "Add x-api-key header" quick fix, and environment switching.
func TestNeovimEndToEnd(t *testing.T) {
	nvim, err := exec.LookPath("nvim")
	if err != nil {
		t.Skip("nvim not installed (apt-get install neovim); skipping the Neovim end-to-end test")
	}
	bin := buildServer(t)
	plugin, err := filepath.Abs(".")
	if err != nil {
		t.Fatal(err)
	}
	ws := filepath.Join(t.TempDir(), "orders")
	copyDir(t, filepath.Join("testdata", "workspace"), ws)
	home := t.TempDir()

	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, nvim, "--headless", "-u", "NONE", "-i", "NONE",
		"-c", "luafile "+filepath.Join(plugin, "test", "e2e.lua"), ws)
	cmd.Dir = ws
	cmd.Env = append(os.Environ(),
		"HOME="+home,
		"XDG_CONFIG_HOME="+filepath.Join(home, ".config"),
		"XDG_DATA_HOME="+filepath.Join(home, ".local", "share"),
		"XDG_STATE_HOME="+filepath.Join(home, ".local", "state"),
		"XDG_CACHE_HOME="+filepath.Join(home, ".cache"),
		"GW403_BIN="+bin,
		"GW403_PLUGIN="+plugin,
	)
	var out bytes.Buffer
	cmd.Stdout = &out
	cmd.Stderr = &out
	err = cmd.Run()
	text := out.String()
	t.Logf("nvim output:\n%s", text)
	if ctx.Err() != nil {
		t.Fatalf("nvim did not finish within the deadline")
	}
	if err != nil {
		t.Fatalf("nvim e2e.lua: %v (see the FAIL lines above)", err)
	}
	if !strings.Contains(text, " 0 failed") || strings.Contains(text, "FAIL ") {
		t.Fatalf("nvim e2e.lua reported failures")
	}
}

// TestNeovimReadmeSetup follows the README on examples/orders-service with
// the request file opened from requests/ (Neovim's nearest-marker root was
// requests/ there, and the template unseen): the 4 findings appear, the
// client picks the project as root and :checkhealth gw403 reports it.
func TestNeovimReadmeSetup(t *testing.T) {
	nvim, err := exec.LookPath("nvim")
	if err != nil {
		t.Skip("nvim not installed (apt-get install neovim); skipping the Neovim end-to-end test")
	}
	bin := buildServer(t)
	plugin, err := filepath.Abs(".")
	if err != nil {
		t.Fatal(err)
	}
	tmp, err := filepath.EvalSymlinks(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	ws := filepath.Join(tmp, "orders-service")
	copyDir(t, filepath.Join("..", "..", "examples", "orders-service"), ws)
	home := t.TempDir()

	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, nvim, "--headless", "-u", "NONE", "-i", "NONE",
		"-c", "luafile "+filepath.Join(plugin, "test", "example.lua"))
	cmd.Dir = filepath.Join(ws, "requests")
	cmd.Env = append(os.Environ(),
		"HOME="+home,
		"XDG_CONFIG_HOME="+filepath.Join(home, ".config"),
		"XDG_DATA_HOME="+filepath.Join(home, ".local", "share"),
		"XDG_STATE_HOME="+filepath.Join(home, ".local", "state"),
		"XDG_CACHE_HOME="+filepath.Join(home, ".cache"),
		"GW403_BIN="+bin,
		"GW403_PLUGIN="+plugin,
		"GW403_EXAMPLE="+ws,
		"GW403_DEFINITION=1",
	)
	var out bytes.Buffer
	cmd.Stdout = &out
	cmd.Stderr = &out
	err = cmd.Run()
	text := out.String()
	t.Logf("nvim output:\n%s", text)
	if ctx.Err() != nil {
		t.Fatalf("nvim did not finish within the deadline")
	}
	if err != nil || !strings.Contains(text, " 0 failed") || strings.Contains(text, "FAIL ") {
		t.Fatalf("nvim example.lua reported failures (%v)", err)
	}
}

// TestNeovimVersionPaths runs test/paths.lua: the plugin's vim.lsp.start
// (0.8-0.10) and vim.lsp.config / vim.lsp.enable (0.11+) paths, with those
// APIs stood in for on the Neovim installed here.
func TestNeovimVersionPaths(t *testing.T) {
	nvim, err := exec.LookPath("nvim")
	if err != nil {
		t.Skip("nvim not installed (apt-get install neovim); skipping the Neovim end-to-end test")
	}
	plugin, err := filepath.Abs(".")
	if err != nil {
		t.Fatal(err)
	}
	tmp, err := filepath.EvalSymlinks(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	ws := filepath.Join(tmp, "orders-service")
	copyDir(t, filepath.Join("..", "..", "examples", "orders-service"), ws)
	if err := os.WriteFile(filepath.Join(ws, "docker-compose.yml"), []byte("services:\n  api:\n    image: x\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	home := t.TempDir()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, nvim, "--headless", "-u", "NONE", "-i", "NONE",
		"-c", "luafile "+filepath.Join(plugin, "test", "paths.lua"), ws)
	cmd.Env = append(os.Environ(), "HOME="+home, "XDG_CONFIG_HOME="+filepath.Join(home, ".config"),
		"XDG_DATA_HOME="+filepath.Join(home, ".local", "share"), "XDG_STATE_HOME="+filepath.Join(home, ".local", "state"),
		"GW403_PLUGIN="+plugin)
	var out bytes.Buffer
	cmd.Stdout = &out
	cmd.Stderr = &out
	err = cmd.Run()
	t.Logf("nvim output:\n%s", out.String())
	if err != nil || !strings.Contains(out.String(), " 0 failed") || strings.Contains(out.String(), "FAIL ") {
		t.Fatalf("nvim paths.lua reported failures (%v)", err)
	}
}
