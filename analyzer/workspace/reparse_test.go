package workspace

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gw403/gw403-lsp/analyzer"
)

// TestTemplateSaveReparsesOnlyThatTemplate saves one template of a
// workspace of several (on disk, then as an editor buffer) and checks
// that the next check parses that file again and reuses the parse of
// every other definition file, while its findings follow the new text.
func TestTemplateSaveReparsesOnlyThatTemplate(t *testing.T) {
	files := map[string]string{
		"a/template.yaml":        miniTemplate,
		"b/template.yaml":        strings.Replace(miniTemplate, "/items", "/orders", 1),
		"c/template.json":        `{"AWSTemplateFormatVersion": "2010-09-09", "Resources": {"Q": {"Type": "AWS::SQS::Queue"}}}`,
		"d/api/openapi.yaml":     "openapi: 3.0.1\ninfo: {title: d, version: '1'}\npaths:\n  /d:\n    get: {responses: {'200': {description: OK}}}\n",
		"d/main.tf":              "resource \"aws_api_gateway_rest_api\" \"d\" {\n  name = \"d\"\n}\n",
		"a/http-client.env.json": `{"dev": {"host": "https://abc1234567.execute-api.us-east-1.amazonaws.com/Prod"}}`,
		"a/requests.http":        "GET {{host}}/items\n",
	}
	dir := writeTree(t, files)
	ws := New(dir, Options{})
	req := filepath.Join(dir, "a", "requests.http")
	check := func() []analyzer.Diagnostic {
		t.Helper()
		d, err := ws.Check(context.Background(), req)
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	codes := func(ds []analyzer.Diagnostic) string {
		var c []string
		for _, d := range ds {
			c = append(c, d.Code)
		}
		return strings.Join(c, ",")
	}
	if got := codes(check()); got != "" {
		t.Fatalf("first check: %s, want no findings", got)
	}
	first := ws.parses.Load()
	if first < 5 {
		t.Fatalf("first check parsed %d definition files, want at least the 5", first)
	}

	// Saved on disk: the route's method changes, so the request's finding
	// does too; only the template saved is parsed again.
	tmpl := filepath.Join(dir, "a", "template.yaml")
	if err := os.WriteFile(tmpl, []byte(strings.Replace(miniTemplate, "Method: get", "Method: post", 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	ws.FileChanged(tmpl)
	if got := codes(check()); !strings.Contains(got, "GW122") {
		t.Errorf("after the save: %q, want GW122 (GET on a POST-only route)", got)
	}
	if n := ws.parses.Load() - first; n != 1 {
		t.Errorf("a template save parsed %d definition files, want 1", n)
	}

	// Edited in the editor, then closed: the buffer, then the disk again.
	before := ws.parses.Load()
	ws.SetOverlay(tmpl, miniTemplate)
	if got := codes(check()); got != "" {
		t.Errorf("with the buffer: %q, want no findings", got)
	}
	ws.CloseOverlay(tmpl)
	if got := codes(check()); !strings.Contains(got, "GW122") {
		t.Errorf("buffer closed: %q, want GW122 again", got)
	}
	if n := ws.parses.Load() - before; n != 2 {
		t.Errorf("an edit and a close parsed %d definition files, want 2", n)
	}

	// A file saved unchanged is read again and not parsed again.
	before = ws.parses.Load()
	ws.FileChanged(filepath.Join(dir, "b", "template.yaml"))
	check()
	if n := ws.parses.Load() - before; n != 0 {
		t.Errorf("a file saved unchanged: %d parses, want 0", n)
	}
}

// TestChangeDuringBuildIsNotCachedStale changes a template on disk while a
// snapshot build is reading it (outside the workspace lock): the text read
// before the change must not stay in the disk cache, so the check sees the
// new text.
func TestChangeDuringBuildIsNotCachedStale(t *testing.T) {
	dir := writeTree(t, map[string]string{
		"template.yaml":        miniTemplate,
		"http-client.env.json": `{"dev": {"host": "https://abc1234567.execute-api.us-east-1.amazonaws.com/Prod"}}`,
		"requests.http":        "GET {{host}}/items\n",
	})
	ws := New(dir, Options{})
	tmpl := filepath.Join(dir, "template.yaml")
	changed := false
	ws.readFile = func(p string, buf []byte) ([]byte, error) {
		data, err := readInto(p, buf)
		if p == tmpl && !changed {
			changed = true
			if err := os.WriteFile(tmpl, []byte(strings.Replace(miniTemplate, "Method: get", "Method: post", 1)), 0o644); err != nil {
				t.Error(err)
			}
			ws.FileChanged(tmpl)
		}
		return data, err // the text from before the change
	}
	ds, err := ws.Check(context.Background(), filepath.Join(dir, "requests.http"))
	if err != nil {
		t.Fatal(err)
	}
	if !changed {
		t.Fatal("the template was not read")
	}
	found := false
	for _, d := range ds {
		found = found || d.Code == "GW122"
	}
	if !found {
		t.Errorf("findings %v: want GW122 from the template as changed during the build", ds)
	}
}

// TestReadCandidateKeepsNothingOfWhatIsNotOurs reads YAML/JSON files
// through the reusable memory: a template's text is its own copy (reading
// the next file does not change it), a data set is dropped, and a
// workspace check reports the template and not the data.
func TestReadCandidateKeepsNothingOfWhatIsNotOurs(t *testing.T) {
	data := `{"Items": [` + strings.Repeat(`{"PutRequest": {"Item": {"id": {"S": "1"}}}},`, 20000) + `{}]}`
	tmpl := `{"AWSTemplateFormatVersion": "2010-09-09", "Resources": {"Q": {"Type": "AWS::SQS::Queue"}}}`
	dir := writeTree(t, map[string]string{
		"a/template.json": tmpl,
		"b/template.json": strings.Replace(tmpl, `"Q"`, `"R"`, 1),
		"data/seed.json":  data,
		"events/big.yaml": "kind: List\nitems:\n" + strings.Repeat("  - name: x\n", 50000),
	})
	ws := New(dir, Options{})
	a, notOurs, err := ws.readCandidate(filepath.Join(dir, "a", "template.json"))
	if err != nil || notOurs || a != tmpl {
		t.Fatalf("a/template.json: %q, not ours %v, %v", a, notOurs, err)
	}
	if _, _, err := ws.readCandidate(filepath.Join(dir, "b", "template.json")); err != nil {
		t.Fatal(err)
	}
	if a != tmpl {
		t.Errorf("a/template.json's text changed after the next read: %q", a)
	}
	for _, p := range []string{"data/seed.json", "events/big.yaml"} {
		text, notOurs, err := ws.readCandidate(filepath.Join(dir, filepath.FromSlash(p)))
		if err != nil || !notOurs || text != "" {
			t.Errorf("%s: %d bytes kept, not ours %v, %v", p, len(text), notOurs, err)
		}
	}
	if _, _, err := ws.readCandidate(filepath.Join(dir, "missing.json")); err == nil {
		t.Error("a missing file: no error")
	}

	res, err := ws.CheckPaths(context.Background(), []string{dir})
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(relPaths(dir, res.Checked), " "); got != "a/template.json b/template.json" {
		t.Errorf("checked %s, want the two templates", got)
	}
	ws.mu.Lock()
	defer ws.mu.Unlock()
	if _, kept := ws.disk[filepath.Join(dir, "data", "seed.json")]; kept {
		t.Error("the data set's text is in the disk cache")
	}
	if !ws.notOurs[filepath.Join(dir, "data", "seed.json")] {
		t.Error("the data set is not remembered as not ours")
	}
}
