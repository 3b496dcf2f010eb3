package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestREADMEExample: the bundled example reports exactly what README.md
// says it reports, run as the README's first command runs it.
func TestREADMEExample(t *testing.T) {
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	readme, err := os.ReadFile(filepath.Join(root, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	cmd := regexp.MustCompile("(?s)```sh\n(go run ./cmd/gw403-lsp [^\n]+)\n```").FindSubmatch(readme)
	if cmd == nil {
		t.Fatal("README.md has no go run ./cmd/gw403-lsp command block")
	}
	args := strings.Fields(string(cmd[1]))[3:] // after "go run ./cmd/gw403-lsp"
	block := regexp.MustCompile("(?s)```\n(examples/orders-service/[^`]*)```").FindSubmatch(readme)
	if block == nil {
		t.Fatal("README.md shows no output of the example")
	}
	code, out, errOut := runIn(t, root, append(args, "--color", "never")...)
	if code != 1 || errOut != "" {
		t.Errorf("%v: exit %d, stderr %q; want exit 1 (findings) and nothing on stderr", args, code, errOut)
	}
	if out != string(block[1]) {
		t.Errorf("README.md shows\n%s\nbut %v prints\n%s", block[1], args, out)
	}
}

// TestREADMETerraformExample: the Terraform example reports what README.md
// shows.
func TestREADMETerraformExample(t *testing.T) {
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	readme, err := os.ReadFile(filepath.Join(root, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	block := regexp.MustCompile("(?s)```\n(examples/terraform-orders/[^`]*)```").FindSubmatch(readme)
	if block == nil {
		t.Fatal("README.md shows no output of examples/terraform-orders")
	}
	args := []string{"check", "examples/terraform-orders", "--color", "never"}
	code, out, errOut := runIn(t, root, args...)
	if code != 1 || errOut != "" {
		t.Errorf("%v: exit %d, stderr %q; want exit 1 (findings) and nothing on stderr", args, code, errOut)
	}
	if out != string(block[1]) {
		t.Errorf("README.md shows\n%s\nbut %v prints\n%s", block[1], args, out)
	}
}

// TestREADMEServerlessExample: the lines README.md shows for the Serverless
// example are lines the command prints, in that order.
func TestREADMEServerlessExample(t *testing.T) {
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	readme, err := os.ReadFile(filepath.Join(root, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	block := regexp.MustCompile("(?s)```\n\\$ go run ./cmd/gw403-lsp (check examples/serverless-orders)\n([^`]*)```").FindSubmatch(readme)
	if block == nil {
		t.Fatal("README.md shows no output of examples/serverless-orders")
	}
	_, out, errOut := runIn(t, root, append(strings.Fields(string(block[1])), "--color", "never")...)
	if errOut != "" {
		t.Errorf("stderr %q", errOut)
	}
	rest := out
	for _, line := range strings.Split(strings.TrimSpace(string(block[2])), "\n") {
		if line == "…" {
			continue
		}
		i := strings.Index(rest, line+"\n")
		if i < 0 {
			t.Errorf("README.md shows %q, but the command prints (from there on)\n%s", line, rest)
			return
		}
		rest = rest[i+len(line)+1:]
	}
}
