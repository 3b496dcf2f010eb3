package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/gw403/gw403-lsp/analyzer/workspace"
	"github.com/santhosh-tekuri/jsonschema/v6"
)

// runIn runs the CLI with the working directory set to dir.
func runIn(t *testing.T, dir string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Chdir(dir); err != nil {
		t.Fatal(err)
	}
	defer os.Chdir(wd)
	var out, errb bytes.Buffer
	code = run(args, strings.NewReader(""), &out, &errb)
	return code, out.String(), errb.String()
}

// copyProject copies testdata/project into a temp dir and returns it.
func copyProject(t *testing.T) string {
	t.Helper()
	dst := t.TempDir()
	err := filepath.WalkDir(filepath.Join("testdata", "project"), func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(filepath.Join("testdata", "project"), p)
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(dst, rel), 0o755)
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dst, rel), data, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	// A marker so the project is its own workspace root.
	if err := os.WriteFile(filepath.Join(dst, ".gw403.yaml"), []byte("environment: \"\"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	return dst
}

var textLine = regexp.MustCompile(`^(\S+):(\d+):(\d+): (error|warning|info) (GW\d{3}) ([a-z0-9-]+): (.+)$`)

func TestCheckText(t *testing.T) {
	dir := copyProject(t)
	code, out, errOut := runIn(t, dir, "check", "--color", "never")
	if code != 1 {
		t.Fatalf("check exit = %d, want 1 (stderr %q, stdout %q)", code, errOut, out)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	m := textLine.FindStringSubmatch(lines[0])
	if m == nil {
		t.Fatalf("first line %q is not file:line:col: severity CODE slug: message", lines[0])
	}
	// CRLF file with a Japanese title: the request line is line 2, the URL at column 5.
	if m[1] != "requests/items.http" || m[2] != "2" || m[3] != "5" || m[5] != "GW101" || m[6] != "missing-api-key" {
		t.Errorf("finding = %q, want requests/items.http:2:5 GW101 missing-api-key", lines[0])
	}
	if !strings.HasPrefix(lines[len(lines)-2], "Found 1 problem (1 error") {
		t.Errorf("summary = %q", lines[len(lines)-2])
	}
	if got, want := lines[len(lines)-1], "Checked 3 files: 2 requests checked against an API, 0 not linked."; got != want {
		t.Errorf("request summary = %q, want %q", got, want)
	}
	// Japanese.
	_, out, _ = runIn(t, dir, "check", "--lang", "ja", "--color", "never")
	if !strings.Contains(out, "x-api-key ヘッダーを送っていません") || !strings.Contains(out, "件の問題") {
		t.Errorf("--lang ja output = %q", out)
	}
	// --fail-on never, --ignore.
	if code, _, _ := runIn(t, dir, "check", "--fail-on", "never"); code != 0 {
		t.Errorf("--fail-on never exit = %d, want 0", code)
	}
	if code, out, _ := runIn(t, dir, "check", "--ignore", "GW101"); code != 0 || !strings.Contains(out, "No problems found") {
		t.Errorf("--ignore GW101: exit %d, output %q", code, out)
	}
	if code, out, _ := runIn(t, dir, "check", "--select", "GW2"); code != 0 || strings.Contains(out, "GW101") {
		t.Errorf("--select GW2: exit %d, output %q", code, out)
	}
}

func TestCheckUsageErrors(t *testing.T) {
	dir := copyProject(t)
	for _, args := range [][]string{
		{"check", "--format", "xml"},
		{"check", "--fail-on", "sometimes"},
		{"check", "--select", "GW999"},
		{"check", "no/such/path"},
		{"check", "--lang", "fr"},
		{"check", "--config", "missing.yaml"},
		{"nosuchcommand"},
	} {
		code, out, errOut := runIn(t, dir, args...)
		if code != 2 {
			t.Errorf("%v: exit %d, want 2", args, code)
		}
		if out != "" {
			t.Errorf("%v: wrote to stdout: %q", args, out)
		}
		if strings.TrimSpace(errOut) == "" {
			t.Errorf("%v: no message on stderr", args)
		}
	}
}

func TestCheckJSONContract(t *testing.T) {
	dir := copyProject(t)
	code, out, _ := runIn(t, dir, "check", "--format", "json")
	if code != 1 {
		t.Fatalf("exit %d, want 1", code)
	}
	var doc map[string]any
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out)
	}
	// files and requests were added to version 1 without changing a field.
	if keys(doc) != "diagnostics,files,requests,version" || doc["version"] != float64(1) {
		t.Fatalf("top level = %v", doc)
	}
	if doc["files"] != float64(3) || fmt.Sprint(doc["requests"]) != "map[linked:2 local:0 unlinked:0]" {
		t.Errorf("files = %v, requests = %v, want 3 and 2 linked", doc["files"], doc["requests"])
	}
	diags := doc["diagnostics"].([]any)
	if len(diags) != 1 {
		t.Fatalf("diagnostics = %d, want 1", len(diags))
	}
	d := diags[0].(map[string]any)
	if got, want := keys(d), "code,column,endColumn,endLine,errorType,fixes,line,message,path,severity,slug"; got != want {
		t.Errorf("diagnostic keys = %s, want %s", got, want)
	}
	if d["path"] != "requests/items.http" || d["line"] != float64(2) || d["column"] != float64(5) || d["endLine"] != float64(2) ||
		d["code"] != "GW101" || d["severity"] != "error" || d["errorType"] != "ForbiddenException" {
		t.Errorf("diagnostic = %v", d)
	}
	fixes := d["fixes"].([]any)
	if len(fixes) == 0 {
		t.Fatalf("no fixes")
	}
	fx := fixes[0].(map[string]any)
	edit := fx["edits"].([]any)[0].(map[string]any)
	if got, want := keys(edit), "column,endColumn,endLine,line,newText,path"; got != want {
		t.Errorf("edit keys = %s, want %s", got, want)
	}
	if fx["title"] != "Add x-api-key header" || edit["line"] != float64(4) || edit["column"] != float64(1) || !strings.HasPrefix(edit["newText"].(string), "x-api-key: {{apiKey}}") {
		t.Errorf("fix = %v", fx)
	}
}

func keys(m map[string]any) string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return strings.Join(ks, ",")
}

func TestCheckSARIFValidates(t *testing.T) {
	dir := copyProject(t)
	_, out, _ := runIn(t, dir, "check", "--format", "sarif")
	c := jsonschema.NewCompiler()
	schema, err := c.Compile(filepath.Join("testdata", "sarif-2.1.0-required.schema.json"))
	if err != nil {
		t.Fatal(err)
	}
	inst, err := jsonschema.UnmarshalJSON(strings.NewReader(out))
	if err != nil {
		t.Fatalf("SARIF is not JSON: %v", err)
	}
	if err := schema.Validate(inst); err != nil {
		t.Fatalf("SARIF does not validate: %v", err)
	}
	var log struct {
		Runs []struct {
			Tool struct {
				Driver struct {
					Rules []struct {
						ID   string
						Help struct{ Text, Markdown string }
					}
				}
			}
			Results []struct {
				RuleID    string
				RuleIndex int
				Locations []struct {
					PhysicalLocation struct {
						ArtifactLocation struct{ URI, URIBaseID string }
						Region           struct{ StartLine, StartColumn int }
					}
				}
			}
		}
	}
	if err := json.Unmarshal([]byte(out), &log); err != nil {
		t.Fatal(err)
	}
	run := log.Runs[0]
	if len(run.Tool.Driver.Rules) < 30 {
		t.Errorf("driver lists %d rules, want the whole catalog", len(run.Tool.Driver.Rules))
	}
	for _, r := range run.Tool.Driver.Rules {
		if !strings.Contains(r.Help.Markdown, "## ") || r.Help.Text == "" {
			t.Errorf("rule %s has no help text", r.ID)
		}
	}
	if len(run.Results) != 1 {
		t.Fatalf("results = %d, want 1", len(run.Results))
	}
	res := run.Results[0]
	loc := res.Locations[0].PhysicalLocation
	if res.RuleID != "GW101" || run.Tool.Driver.Rules[res.RuleIndex].ID != "GW101" || loc.ArtifactLocation.URI != "requests/items.http" || loc.Region.StartLine != 2 || loc.Region.StartColumn != 5 {
		t.Errorf("result = %+v", res)
	}
}

func TestCheckGitHubAnnotations(t *testing.T) {
	dir := copyProject(t)
	_, out, _ := runIn(t, dir, "check", "--format", "github", "--lang", "ja")
	want := regexp.MustCompile(`^::error file=requests/items\.http,line=2,col=5,endLine=2,endColumn=\d+,title=GW101 missing-api-key::.*x-api-key`)
	if !want.MatchString(strings.TrimSpace(out)) {
		t.Errorf("github output = %q", out)
	}
}

func TestCheckFixWritesAndRechecks(t *testing.T) {
	dir := copyProject(t)
	path := filepath.Join(dir, "requests", "items.http")
	if err := os.Chmod(path, 0o640); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := runIn(t, dir, "check", "--fix")
	if code != 0 {
		t.Fatalf("check --fix exit %d: %s %s", code, out, errOut)
	}
	if !strings.Contains(out, "Fixed 1 problem") {
		t.Errorf("output = %q", out)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	want := "### 在庫一覧\r\nGET https://k1l2m3n4o5.execute-api.ap-northeast-1.amazonaws.com/v1/items\r\nAccept: application/json\r\nx-api-key: {{apiKey}}\r\n\r\n### with key\r\n"
	if !strings.HasPrefix(string(data), want) {
		t.Errorf("fixed file =\n%q\nwant prefix\n%q", data, want)
	}
	fi, _ := os.Stat(path)
	if fi.Mode().Perm() != 0o640 {
		t.Errorf("mode after fix = %v, want 0640", fi.Mode().Perm())
	}
	// A second run changes nothing.
	code, out, _ = runIn(t, dir, "check", "--fix")
	again, _ := os.ReadFile(path)
	if code != 0 || string(again) != string(data) || strings.Contains(out, "Fixed") {
		t.Errorf("second --fix: exit %d, output %q, changed=%v", code, out, string(again) != string(data))
	}
}

// TestFixAcrossFilesIsAllOrNothing: a fix that moves a secret from
// http-client.env.json to the private env file edits both files; when the
// private file changed on disk after the check, neither file is written.
func TestFixAcrossFilesIsAllOrNothing(t *testing.T) {
	src := filepath.Join("..", "..", "analyzer", "rules", "testdata", "GW501", "fail-public-env-file")
	dir := t.TempDir()
	for _, name := range []string{"http-client.env.json", "http-client.private.env.json", "reports.http", "template.yaml"} {
		data, err := os.ReadFile(filepath.Join(src, name))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	ws := workspace.New(dir, workspace.Options{Select: []string{"GW501"}})
	ctx := context.Background()
	res, err := ws.CheckPaths(ctx, []string{dir})
	if err != nil {
		t.Fatal(err)
	}
	moves := 0
	for _, d := range res.Diagnostics {
		for _, f := range d.Fixes {
			files := map[string]bool{}
			for _, e := range f.Edits {
				files[e.Path] = true
			}
			if f.Safe && len(files) == 2 {
				moves++
			}
		}
	}
	if moves == 0 {
		t.Fatalf("the fixture offers no safe two-file fix: %+v", res.Diagnostics)
	}
	public := filepath.Join(dir, "http-client.env.json")
	before, _ := os.ReadFile(public)
	priv := filepath.Join(dir, "http-client.private.env.json")
	if err := os.WriteFile(priv, []byte("{\n  \"dev\": {}\n}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	var stderr bytes.Buffer
	if _, err := applyFixes(ctx, ws, []string{dir}, res, false, &stderr); err != nil {
		t.Fatal(err)
	}
	after, _ := os.ReadFile(public)
	if string(after) != string(before) {
		t.Errorf("the public env file was written although the private one could not be:\n%s", after)
	}
	if !strings.Contains(stderr.String(), "changed since it was checked") {
		t.Errorf("stderr = %q, want the reason", stderr.String())
	}
}
