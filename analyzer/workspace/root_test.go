package workspace

import (
	"path/filepath"
	"testing"

	"github.com/gw403/gw403-lsp/analyzer/link"
)

// TestFindRoot: the root rule of DESIGN.md, "Projects inside a workspace".
func TestFindRoot(t *testing.T) {
	dir := writeTree(t, map[string]string{
		"repo/.gw403.yaml":               "",
		"repo/.git/HEAD":                 "ref: refs/heads/main\n",
		"repo/sub/.git/HEAD":             "ref: refs/heads/main\n",
		"repo/sub/requests/a.http":       "GET https://example.com/\n",
		"git/.git/HEAD":                  "ref: refs/heads/main\n",
		"git/svc/template.yaml":          "Resources: {}\n",
		"git/svc/requests/b.http":        "GET https://example.com/\n",
		"sam/app/template.yml":           "Resources: {}\n",
		"sam/app/requests/c.http":        "GET https://example.com/\n",
		"tf/main.tf":                     "",
		"tf/tests/d.http":                "GET https://example.com/\n",
		"loose/deep/e.http":              "GET https://example.com/\n",
		"gitfile/.git":                   "gitdir: ../elsewhere\n",
		"gitfile/f.http":                 "GET https://example.com/\n",
		"loose/deep/notyet/.placeholder": "",
	})
	j := func(p string) string { return filepath.Join(dir, filepath.FromSlash(p)) }
	for _, tc := range []struct{ path, want, why string }{
		{"repo/sub/requests/a.http", "repo", ".gw403.yaml wins over a nearer .git"},
		{"repo/sub", "repo", "a directory: its .gw403.yaml ancestor"},
		{"git/svc/requests/b.http", "git", ".git wins over a nearer template"},
		{"sam/app/requests/c.http", "sam/app", "no .git: the nearest folder with an API definition"},
		{"tf/tests/d.http", "tf", "Terraform files mark a project"},
		{"loose/deep/e.http", "loose/deep", "nothing: the file's own folder"},
		{"loose/deep", "loose/deep", "nothing: the directory itself"},
		{"loose/deep/unsaved.http", "loose/deep", "a file not on disk yet (an editor buffer)"},
		{"gitfile/f.http", "gitfile", "a .git file (a worktree) counts"},
	} {
		if got := FindRoot(j(tc.path)); got != j(tc.want) {
			t.Errorf("FindRoot(%s) = %s, want %s (%s)", tc.path, got, j(tc.want), tc.why)
		}
	}
}

// TestFindRootRelativeAndFromSlash: a relative path is taken from the
// working directory, and `check /x/y/a.http` run from / does not walk /.
func TestFindRootRelativeAndFromSlash(t *testing.T) {
	dir := writeTree(t, map[string]string{"x/a.http": "GET https://example.com/\n"})
	t.Chdir("/")
	if got := FindRoot(filepath.Join(dir, "x", "a.http")); got != filepath.Join(dir, "x") {
		t.Errorf("FindRoot(abs file) from / = %s, want %s", got, filepath.Join(dir, "x"))
	}
	t.Chdir(dir)
	if got := FindRoot(filepath.Join("x", "a.http")); got != filepath.Join(dir, "x") {
		t.Errorf("FindRoot(x/a.http) from %s = %s, want %s", dir, got, filepath.Join(dir, "x"))
	}
	if got := FindRoot("."); got != dir {
		t.Errorf("FindRoot(.) = %s, want %s", got, dir)
	}
}

// TestProjectOf: a file's project is its nearest folder that is a project,
// else the root.
func TestProjectOf(t *testing.T) {
	root := "/ws"
	projects := map[string]bool{"/ws/a": true, "/ws/a/nested": true}
	is := func(d string) bool { return projects[d] }
	for _, tc := range []struct{ path, want string }{
		{"/ws/a/requests/x.http", "/ws/a"},
		{"/ws/a/nested/y.http", "/ws/a/nested"},
		{"/ws/api-tests/z.http", "/ws"},
		{"/ws/top.http", "/ws"},
	} {
		if got := link.ProjectOf(root, tc.path, is); got != tc.want {
			t.Errorf("ProjectOf(%s) = %s, want %s", tc.path, got, tc.want)
		}
	}
}
