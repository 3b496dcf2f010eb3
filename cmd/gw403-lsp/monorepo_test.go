package main

import (
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var updateMonorepo = flag.Bool("update-monorepo", false, "rewrite testdata/monorepo.golden")

// copyMonorepo copies testdata/monorepo into a temp dir that is a git
// repository (a .git folder at its top), as a clone of a samples
// repository is.
func copyMonorepo(t *testing.T) string {
	t.Helper()
	dst := t.TempDir()
	src := filepath.Join("testdata", "monorepo")
	err := filepath.WalkDir(src, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
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
	if err := os.Mkdir(filepath.Join(dst, ".git"), 0o755); err != nil {
		t.Fatal(err)
	}
	return dst
}

// TestMonorepoGolden checks a repository of independent samples of the
// kinds found in the wild: SAM with and without problems, SAM local's
// env.json and .env.json, appspec.yml, buildspec.yml, docker-compose.yml,
// a Kubernetes manifest, a workflow, vendored botocore data (one file of it
// malformed), two samples that both use api.example.com, raw-HTTP test
// fixtures and requests to sam local. The golden holds exactly the true
// findings: a missing API key and one malformed template, reported once
// where the error is.
func TestMonorepoGolden(t *testing.T) {
	dir := copyMonorepo(t)
	code, out, errOut := runIn(t, dir, "check", "--color", "never")
	if code != 1 || errOut != "" {
		t.Errorf("check: exit %d (want 1), stderr %q", code, errOut)
	}
	golden := filepath.Join("testdata", "monorepo.golden")
	if *updateMonorepo {
		if err := os.WriteFile(golden, []byte(out), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if out != string(want) {
		t.Errorf("check output:\n%s\nwant (%s):\n%s", out, golden, want)
	}

	// Run in one sample's folder, the root is still the repository: the
	// same findings for that sample, and no link to the other sample's
	// api.example.com.
	_, out, _ = runIn(t, filepath.Join(dir, "samples", "catalog-api"), "check", "--color", "never")
	if want := "No problems found in 2 files.\nChecked 2 files: 1 request checked against an API, 0 not linked, 1 to a local host.\n"; out != want {
		t.Errorf("check in samples/catalog-api:\n%s\nwant:\n%s", out, want)
	}

	// The counts in JSON.
	_, out, _ = runIn(t, dir, "check", "--format", "json")
	var doc struct {
		Files    int            `json:"files"`
		Requests map[string]int `json:"requests"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Files != 7 || doc.Requests["linked"] != 3 || doc.Requests["unlinked"] != 1 || doc.Requests["local"] != 2 {
		t.Errorf("json counts = %d files, %v; want 7 files, 3 linked, 1 unlinked, 2 local", doc.Files, doc.Requests)
	}

	// inspect says why the raw-HTTP fixture is not linked.
	_, out, _ = runIn(t, dir, "inspect", "samples/vtl-editor")
	if !strings.Contains(out, "not linked: api.example.com is a custom domain of another project (samples/") {
		t.Errorf("inspect of the raw-HTTP fixture does not say why it is unlinked:\n%s", out)
	}
}

// TestParseErrorExitStatus: a GW001 that is not reported does not make the
// exit status 1.
func TestParseErrorExitStatus(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, ".gw403.yaml"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	tmpl := "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  Api:\n    Description: 'text' (more)\n    Type: AWS::Serverless::Api\n"
	if err := os.WriteFile(filepath.Join(dir, "template.yaml"), []byte(tmpl), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, out, _ := runIn(t, dir, "check", "--color", "never"); code != 1 || !strings.HasPrefix(out, "template.yaml:4:25: error GW001 parse-error: ") {
		t.Errorf("check: exit %d, output %q; want 1 and the GW001 at 4:25", code, out)
	}
	for _, args := range [][]string{{"--ignore", "GW001"}, {"--ignore", "parse-error"}, {"--select", "GW1"}} {
		if code, out, _ := runIn(t, dir, append([]string{"check"}, args...)...); code != 0 || strings.Contains(out, "GW001") {
			t.Errorf("check %v: exit %d, output %q; want 0 and no GW001", args, code, out)
		}
	}
	if err := os.WriteFile(filepath.Join(dir, ".gw403.yaml"), []byte("rules:\n  disable: [GW001]\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, _, _ := runIn(t, dir, "check"); code != 0 {
		t.Errorf("check with rules.disable [GW001]: exit %d, want 0", code)
	}
}
