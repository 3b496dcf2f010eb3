package workspace

import (
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

// TestWalkMatchesSerialWalk compares the parallel walk with the walk by
// filepath.WalkDir on a tree with nested .gitignore files, skipped and
// excluded directories, links, an unreadable directory and a CDK app, from
// the root and from a subdirectory, and with an entry limit the tree
// passes.
func TestWalkMatchesSerialWalk(t *testing.T) {
	files := map[string]string{
		".gitignore":                              "ignored/\n*.local.http\n",
		"api.http":                                "GET https://example.com/\n",
		"me.local.http":                           "GET https://example.com/\n",
		"ignored/a.http":                          "GET https://example.com/\n",
		"svc/template.yaml":                       miniTemplate,
		"svc/.gitignore":                          "secret.http\nhttp-client.private.env.json\n",
		"svc/secret.http":                         "GET https://example.com/\n",
		"svc/http-client.private.env.json":        `{"dev": {}}`,
		"svc/events/event.json":                   "{}",
		"svc/package.json":                        "{}",
		"svc/samconfig.toml":                      "version = 0.1\n",
		"svc/node_modules/x/t.yaml":               miniTemplate,
		"svc/deep/er/still/api.yaml":              "openapi: 3.0.1\n",
		"vendor/botocore/data/s/1/service-2.json": "{}",
		"excluded/template.yaml":                  miniTemplate,
		"cdkapp/cdk.json":                         `{"app": "npx ts-node app.ts"}`,
		"cdkapp/cdk.out/Stack.template.json":      `{"Resources": {}}`,
		"locked/template.yaml":                    miniTemplate,
	}
	for i := 0; i < 40; i++ {
		files[fmt.Sprintf("many/s%02d/template.yaml", i)] = miniTemplate
		files[fmt.Sprintf("many/s%02d/README.md", i)] = "x"
	}
	dir := writeTree(t, files)
	if err := os.Symlink(filepath.Join(dir, "svc", "template.yaml"), filepath.Join(dir, "linked.yaml")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(filepath.Join(dir, "svc"), filepath.Join(dir, "svc-link")); err != nil {
		t.Fatal(err)
	}
	locked := filepath.Join(dir, "locked")
	if err := os.Chmod(locked, 0); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.Chmod(locked, 0o755) })
	exclude := []string{"excluded/**"}
	same := func(name, from string) {
		t.Helper()
		got, gotErrs := walk(dir, from, exclude)
		want, wantErrs := walkSerial(dir, from, exclude)
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s: walk\n%v\nwalkSerial\n%v", name, got, want)
		}
		if fmt.Sprint(gotErrs) != fmt.Sprint(wantErrs) {
			t.Errorf("%s: errors %v, want %v", name, gotErrs, wantErrs)
		}
		if len(got) == 0 {
			t.Errorf("%s: no files", name)
		}
	}
	same("root", dir)
	same("subdirectory", filepath.Join(dir, "svc"))
	defer func(n int) { MaxWalkEntries = n }(MaxWalkEntries)
	MaxWalkEntries = 30
	same("limit", dir)
}
