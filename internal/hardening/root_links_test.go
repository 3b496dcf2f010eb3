package hardening

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestLinksOutOfTheRootAreNotRead: a workspace that links to files
// outside itself (a .env pointing at a credentials file, a template
// pointing into another checkout) does not read them: the walk skips the
// links silently, and naming one gets a GW001 that says why, without its
// content. Links to files inside the root are still read.
func TestLinksOutOfTheRootAreNotRead(t *testing.T) {
	outside := writeFiles(t, t.TempDir(), map[string]string{
		"credentials":   "[default]\naws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYSECRETKEY\n",
		"template.yaml": "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  A:\n    Description: 'broken' x\n",
		"api.http":      "GET https://{{host}}/\n",
	})
	dir := newWorkspace(t, map[string]string{
		"requests/orders.http": "GET https://example.com/orders\n",
		"real/template.yaml":   "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  B:\n    Description: 'in the root' y\n",
	})
	mustSymlink(t, filepath.Join(outside, "credentials"), filepath.Join(dir, "requests", ".env"))
	mustSymlink(t, filepath.Join(outside, "template.yaml"), filepath.Join(dir, "template.yaml"))
	mustSymlink(t, filepath.Join(outside, "api.http"), filepath.Join(dir, "linked.http"))
	mustSymlink(t, filepath.Join(dir, "real", "template.yaml"), filepath.Join(dir, "inside.yaml"))

	res := runCLI(t, dir, nil, "check", "--color", "never", ".")
	fs := findings(res.stdout)
	if strings.Contains(res.stdout, "wJalrXUtnFEMI") || strings.Contains(res.stdout, ".env") || has(fs, "/template.yaml", "GW001") && !has(fs, "real/template.yaml", "GW001") {
		t.Errorf("a link out of the root was read:\n%s", res.stdout)
	}
	for _, f := range fs {
		if f.path == "template.yaml" || f.path == "linked.http" {
			t.Errorf("finding in a link out of the root: %s", f.line)
		}
	}
	if !has(fs, "real/template.yaml", "GW001") || !has(fs, "inside.yaml", "GW001") {
		t.Errorf("files inside the root (and a link to one) must still be read:\n%s", res.stdout)
	}

	// Named explicitly: refused with a reason, never read.
	res = runCLI(t, dir, nil, "check", "--color", "never", "template.yaml")
	if !strings.Contains(res.stdout, "symbolic link to a file outside the workspace") || strings.Contains(res.stdout, "broken") {
		t.Errorf("check template.yaml (a link out of the root):\n%s", res.stdout)
	}
}

// TestCheckFileFromSlashDoesNotWalkTheFilesystem: `check /x/y/a.http` run
// from / takes /x/y as the root (no marker above it), so it answers at once
// and reads nothing else; a file beside it that is malformed is found, a
// folder beside its parent is not.
func TestCheckFileFromSlashDoesNotWalkTheFilesystem(t *testing.T) {
	base := t.TempDir()
	if real, err := filepath.EvalSymlinks(base); err == nil {
		base = real
	}
	dir := writeFiles(t, base, map[string]string{
		"x/y/a.http":          "GET https://example.com/\n",
		"x/y/openapi.yaml":    "openapi: 3.0.1\npaths:\n  /a:\n    get: {responses: {'200': {description: 'ok' x}}}\n",
		"x/other/broken.yaml": "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  A: 'x' y\n",
	})
	res := runCLI(t, "/", nil, "check", "--color", "never", filepath.Join(dir, "x", "y", "a.http"))
	if strings.Contains(res.stdout, "broken.yaml") || strings.Contains(res.stderr, "stopped after") {
		t.Errorf("check from / walked beyond the file's folder:\nstdout %s\nstderr %s", res.stdout, res.stderr)
	}
	if !strings.Contains(res.stdout, "Checked 1 file:") {
		t.Errorf("check from /: want the named file checked\n%s", res.stdout)
	}
	res = runCLI(t, "/", nil, "check", "--color", "never", filepath.Join(dir, "x", "y"))
	if fs := findings(res.stdout); !has(fs, "openapi.yaml", "GW001") || has(fs, "broken.yaml", "GW001") {
		t.Errorf("check of the folder from /: want openapi.yaml's GW001 only\n%s", res.stdout)
	}
}
