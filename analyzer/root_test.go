package analyzer

import (
	"os"
	"path/filepath"
	"testing"
)

func TestFindRoot(t *testing.T) {
	dir := t.TempDir()
	for _, f := range []string{
		"cfg/.gw403.yaml", "cfg/svc/template.yaml", "cfg/svc/requests/a.http",
		"git/.git/HEAD", "git/svc/template.yml", "git/svc/requests/b.http",
		"plain/svc/template.yaml", "plain/svc/requests/http-client.env.json", "plain/svc/requests/c.http",
		"tf/infra/main.tf", "tf/infra/d.http",
		"none/e.http",
		"sls/serverless.yml", "sls/api/f.rest",
	} {
		p := filepath.Join(dir, filepath.FromSlash(f))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, nil, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, tc := range []struct{ path, want string }{
		// .gw403.yaml wins over a nearer template.
		{"cfg/svc/requests/a.http", "cfg"},
		// .git wins over a nearer template.
		{"git/svc/requests/b.http", "git"},
		// A template above: the env file beside the request is no marker.
		{"plain/svc/requests/c.http", "plain/svc"},
		{"plain/svc/requests", "plain/svc"},
		{"tf/infra/d.http", "tf/infra"},
		{"sls/api/f.rest", "sls"},
		// No marker anywhere: the file's own folder, or the directory itself.
		{"none/e.http", "none"},
		{"none", "none"},
		// A file that does not exist (yet) is rooted like one that does.
		{"plain/svc/requests/new.http", "plain/svc"},
	} {
		got := FindRoot(filepath.Join(dir, filepath.FromSlash(tc.path)))
		if want := filepath.Join(dir, filepath.FromSlash(tc.want)); got != want {
			t.Errorf("FindRoot(%s) = %s, want %s", tc.path, got, want)
		}
	}
}
