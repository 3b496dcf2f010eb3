package workspace

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gw403/gw403-lsp/analyzer/link"
)

func TestRequestContextEnvVars(t *testing.T) {
	dir := writeTree(t, map[string]string{
		"api.http":                     "@host = https://example.com\n\n### one\n@id = 1\nGET {{host}}/items/{{id}}\n\n### two\nGET {{host}}/items\n",
		"http-client.env.json":         `{"dev": {"apiKey": "k"}, "prod": {"token": "t"}, "$shared": {"region": "ap-northeast-1"}}`,
		"http-client.private.env.json": `{"dev": {"secret": "s"}}`,
		".env":                         "DOTENV_VAR=x\n",
	})
	ws := New(dir, Options{})
	snap := ws.snapshot(context.Background())
	path := filepath.Join(dir, "api.http")
	src, err := ws.Source(path)
	if err != nil {
		t.Fatal(err)
	}
	fd := ws.httpData(snap, path, src)
	if len(fd.HTTP.Requests) != 2 {
		t.Fatalf("parsed %d requests, want 2", len(fd.HTTP.Requests))
	}
	for _, tc := range []struct {
		req  int
		env  string
		want string
	}{
		{0, "dev", "DOTENV_VAR,apiKey,host,id,region,secret"},
		{1, "dev", "DOTENV_VAR,apiKey,host,id,region,secret"}, // file variables count wherever written
		{1, "prod", "DOTENV_VAR,host,id,region,token"},
		{0, "prod", "DOTENV_VAR,host,id,region,token"},
	} {
		// Twice: the second time from the per-file cache.
		for round := 0; round < 2; round++ {
			rc := link.BuildRequestContext(snap, fd, fd.HTTP.Requests[tc.req], tc.env)
			if got := strings.Join(rc.EnvVars, ","); got != tc.want {
				t.Errorf("request %d in %s (round %d): EnvVars = %s, want %s", tc.req, tc.env, round, got, tc.want)
			}
			// A caller that appends must not change what the next request sees.
			_ = append(rc.EnvVars, "appended")
		}
	}
}
