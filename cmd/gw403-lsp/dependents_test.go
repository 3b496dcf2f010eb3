package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestCheckDependents: check --dependents on a template alone (what
// pre-commit passes when only the template is staged) also checks the
// request files of its project, which still use the stage the template no
// longer has.
func TestCheckDependents(t *testing.T) {
	dir := copyProject(t)
	tpl := filepath.Join(dir, "template.yaml")
	data, err := os.ReadFile(tpl)
	if err != nil {
		t.Fatal(err)
	}
	// The fixture's first request lacks its API key (GW101) but uses the
	// right stage.
	if code, out, _ := runIn(t, dir, "check", "--color", "never", "--dependents", "template.yaml"); code != 1 || !strings.Contains(out, "GW101") || strings.Contains(out, "GW132") {
		t.Fatalf("before the rename: exit %d\n%s\nwant GW101 from requests/items.http and no GW132", code, out)
	}
	renamed := strings.Replace(string(data), "StageName: v1", "StageName: v2", 1)
	if renamed == string(data) {
		t.Fatal("testdata/project/template.yaml has no StageName: v1")
	}
	if err := os.WriteFile(tpl, []byte(renamed), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := runIn(t, dir, "check", "--color", "never", "--dependents", "template.yaml")
	if code != 1 || !strings.Contains(out, filepath.Join("requests", "items.http")) || !strings.Contains(out, "GW132") {
		t.Errorf("check --dependents template.yaml: exit %d, stderr %q\n%s\nwant GW132 in requests/items.http", code, errOut, out)
	}
	if code, out, _ := runIn(t, dir, "check", "--color", "never", "template.yaml"); code != 0 {
		t.Errorf("check template.yaml without --dependents: exit %d\n%s", code, out)
	}
}
