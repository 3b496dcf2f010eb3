package precommit

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// run runs name with args in dir and returns the combined output and the
// exit code (-1 when the command could not run).
func run(ctx context.Context, t *testing.T, dir string, env []string, name string, args ...string) (string, int) {
	t.Helper()
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Dir = dir
	cmd.Env = env
	var out bytes.Buffer
	cmd.Stdout = &out
	cmd.Stderr = &out
	err := cmd.Run()
	if ctx.Err() != nil {
		t.Fatalf("%s %s: deadline exceeded\n%s", name, strings.Join(args, " "), out.String())
	}
	if err != nil {
		if ee, ok := err.(*exec.ExitError); ok {
			return out.String(), ee.ExitCode()
		}
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out.String())
	}
	return out.String(), 0
}

func mustRun(ctx context.Context, t *testing.T, dir string, env []string, name string, args ...string) string {
	t.Helper()
	out, code := run(ctx, t, dir, env, name, args...)
	if code != 0 {
		t.Fatalf("%s %s: exit %d\n%s", name, strings.Join(args, " "), code, out)
	}
	return out
}

// TestPreCommitHook runs `pre-commit try-repo` with the gw403-check hook of
// this repository's committed HEAD against a throwaway git repository that
// holds a SAM template, a request that sends the required API key and one
// that does not. pre-commit builds the hook (language: golang) with
// `go install ./...` from a clone of the repository at that ref, so
// uncommitted changes in the working tree are not part of the test: commit
// first. The Go module and build caches of the caller are reused.
func TestPreCommitHook(t *testing.T) {
	for _, tool := range []string{"pre-commit", "git", "go"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s not installed (apt-get install pre-commit); skipping the pre-commit hook test", tool)
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()

	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	baseEnv := os.Environ()
	if _, code := run(ctx, t, root, baseEnv, "git", "rev-parse", "--verify", "-q", "HEAD"); code != 0 {
		t.Skip("the repository has no commit; the hook is built from a committed ref")
	}
	head := strings.TrimSpace(mustRun(ctx, t, root, baseEnv, "git", "rev-parse", "HEAD"))
	if _, code := run(ctx, t, root, baseEnv, "git", "cat-file", "-e", head+":.pre-commit-hooks.yaml"); code != 0 {
		t.Fatalf(".pre-commit-hooks.yaml is not committed at HEAD %s", head)
	}
	modCache := strings.TrimSpace(mustRun(ctx, t, root, baseEnv, "go", "env", "GOMODCACHE"))
	goCache := strings.TrimSpace(mustRun(ctx, t, root, baseEnv, "go", "env", "GOCACHE"))

	repo := t.TempDir()
	home := t.TempDir()
	env := append(os.Environ(),
		// pre-commit sets GOPATH to the hook's environment; keep the
		// module and build caches shared so the build reuses downloads.
		"GOMODCACHE="+modCache,
		"GOCACHE="+goCache,
		"GOFLAGS=-mod=mod",
		"GOTOOLCHAIN=local",
		"PRE_COMMIT_HOME="+filepath.Join(home, "pre-commit"),
		"PRE_COMMIT_COLOR=never",
		"GIT_CONFIG_NOSYSTEM=1",
		"HOME="+home,
		"GIT_AUTHOR_NAME=gw403 test", "GIT_AUTHOR_EMAIL=test@example.com",
		"GIT_COMMITTER_NAME=gw403 test", "GIT_COMMITTER_EMAIL=test@example.com",
	)
	for _, name := range []string{"template.yaml", "good.http", "bad.http"} {
		b, err := os.ReadFile(filepath.Join("testdata", "project", name))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(repo, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	mustRun(ctx, t, repo, env, "git", "init", "-q")
	mustRun(ctx, t, repo, env, "git", "add", ".")
	mustRun(ctx, t, repo, env, "git", "commit", "-q", "-m", "inventory api")

	tryRepo := func(files ...string) (string, int) {
		args := append([]string{"try-repo", root, "gw403-check", "--ref", head, "--verbose", "--files"}, files...)
		return run(ctx, t, repo, env, "pre-commit", args...)
	}

	tests := []struct {
		name     string
		edit     map[string]string // file → replacement of its "StageName: v1" before the run
		files    []string
		wantCode int
		want     []*regexp.Regexp
		notWant  []*regexp.Regexp
	}{
		{
			name:     "good request passes",
			files:    []string{"good.http"},
			wantCode: 0,
			want:     []*regexp.Regexp{regexp.MustCompile(`gw403 \(API Gateway 403 check\)\.+Passed`)},
			notWant:  []*regexp.Regexp{regexp.MustCompile(`GW\d{3}`)},
		},
		{
			// A staged template brings in the request files of its project.
			name:     "staged template checks the requests that call it",
			files:    []string{"template.yaml"},
			wantCode: 1,
			want: []*regexp.Regexp{
				regexp.MustCompile(`gw403 \(API Gateway 403 check\)\.+Failed`),
				regexp.MustCompile(`(?m)bad\.http:2:5: error GW101 missing-api-key: `),
			},
			notWant: []*regexp.Regexp{regexp.MustCompile(`good\.http`)},
		},
		{
			// The stage renamed v1 → v2 and only the template staged: the
			// unstaged request files that still say v1 fail the commit.
			name:     "stage renamed in the staged template only",
			edit:     map[string]string{"template.yaml": "StageName: v2"},
			files:    []string{"template.yaml"},
			wantCode: 1,
			want: []*regexp.Regexp{
				regexp.MustCompile(`gw403 \(API Gateway 403 check\)\.+Failed`),
				regexp.MustCompile(`(?m)good\.http:2:\d+: error GW132 unknown-stage: .*"v1"`),
			},
		},
		{
			name:     "request without the API key fails the commit",
			files:    []string{"bad.http"},
			wantCode: 1,
			want: []*regexp.Regexp{
				regexp.MustCompile(`gw403 \(API Gateway 403 check\)\.+Failed`),
				regexp.MustCompile(`(?m)bad\.http:2:5: error GW101 missing-api-key: .*x-api-key`),
			},
			notWant: []*regexp.Regexp{regexp.MustCompile(`good\.http`)},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			for name, repl := range tc.edit {
				p := filepath.Join(repo, name)
				orig, err := os.ReadFile(p)
				if err != nil {
					t.Fatal(err)
				}
				edited := strings.Replace(string(orig), "StageName: v1", repl, 1)
				if edited == string(orig) {
					t.Fatalf("%s has no StageName: v1", name)
				}
				if err := os.WriteFile(p, []byte(edited), 0o644); err != nil {
					t.Fatal(err)
				}
				mustRun(ctx, t, repo, env, "git", "add", name)
				t.Cleanup(func() {
					_ = os.WriteFile(p, orig, 0o644)
					mustRun(ctx, t, repo, env, "git", "checkout", "-q", "HEAD", "--", name)
				})
			}
			out, code := tryRepo(tc.files...)
			if code != tc.wantCode {
				t.Errorf("pre-commit try-repo --files %v: exit %d, want %d", tc.files, code, tc.wantCode)
			}
			for _, re := range tc.want {
				if !re.MatchString(out) {
					t.Errorf("output does not match %q", re)
				}
			}
			for _, re := range tc.notWant {
				if re.MatchString(out) {
					t.Errorf("output matches %q", re)
				}
			}
			if t.Failed() {
				t.Logf("output:\n%s", out)
			}
		})
	}
}
