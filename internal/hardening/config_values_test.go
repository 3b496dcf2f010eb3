package hardening

import (
	"strings"
	"testing"
)

// TestConfigValuesAreChecked: .gw403.yaml accepted `severity: {GW101:
// banana, GW999: off}` silently and ignored an apis entry whose template
// does not exist. Each is now a finding on the key or value at fault that
// says what is wrong and what is allowed, and the rest of the
// configuration (the valid severity, the disabled rule) still applies.
func TestConfigValuesAreChecked(t *testing.T) {
	files := goodFiles()
	files[".gw403.yaml"] = goodConfig +
		"  billing:\n    template: infra/missing.yaml\n" +
		"rules:\n  disable: [GW152, nosuch-rule]\n" +
		"  severity: {GW101: banana, GW999: off, GW132: info}\n"
	dir := newWorkspace(t, files)
	res := runCLI(t, dir, nil, "check", "--color", "never", ".")
	fs := findings(res.stdout)
	want := []struct{ line, text string }{
		{".gw403.yaml:7:15:", `"infra/missing.yaml" does not exist`},
		{".gw403.yaml:9:20:", `"nosuch-rule" names no rule`},
		{".gw403.yaml:10:21:", `"banana" is not a severity (want error, warning, info or off`},
		{".gw403.yaml:10:29:", `unknown rule "GW999"`},
	}
	for _, w := range want {
		found := false
		for _, f := range fs {
			found = found || strings.HasPrefix(f.line, w.line) && f.code == "GW001" && strings.Contains(f.line, w.text)
		}
		if !found {
			t.Errorf("no GW001 at %s saying %q in:\n%s", w.line, w.text, res.stdout)
		}
	}
	// The valid entries still apply: GW132 is reported as info.
	ok := false
	for _, f := range fs {
		ok = ok || f.code == "GW132" && strings.Contains(f.line, " info GW132 ")
	}
	if !ok {
		t.Errorf("the valid severity entry (GW132: info) no longer applies:\n%s", res.stdout)
	}
}
