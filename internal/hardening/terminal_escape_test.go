package hardening

import (
	"path/filepath"
	"strings"
	"testing"
)

// hostile control sequences: set the window title (OSC … BEL), clear the
// screen (CSI 2J), a C1 CSI, and a carriage return that overwrites a line.
const (
	oscTitle  = "\x1b]0;pwned\x07"
	clearScr  = "\x1b[2J"
	c1CSI     = "\u009b2J"
	fakeLine  = "FAKE: all clear"
	crOverlay = "\r" + fakeLine
)

// checkTerminalSafe fails when out holds a control character other than
// newline and tab, or a line made by a value's newline.
func checkTerminalSafe(t *testing.T, what, out string) {
	t.Helper()
	for i, r := range out {
		if (r < 0x20 && r != '\n' && r != '\t') || r == 0x7f || (r >= 0x80 && r <= 0x9f) {
			t.Errorf("%s: control character %U at byte %d: …%q…", what, r, i, out[max(0, i-40):min(len(out), i+40)])
			return
		}
	}
	for _, l := range strings.Split(out, "\n") {
		if strings.HasPrefix(strings.TrimSpace(l), fakeLine) {
			t.Errorf("%s: a value's newline made the line %q", what, l)
		}
	}
}

// TestTerminalOutputEscapesControls puts escape sequences, CR and LF in
// file names, request file content and env values, and runs every
// human-facing output on them: check (text and github formats), inspect,
// explain. Nothing may reach the terminal raw.
func TestTerminalOutputEscapesControls(t *testing.T) {
	evilName := "good/evil" + oscTitle + ".http"
	files := goodFiles()
	// GW132 (stage "Prod" for "prod") on the evil file, with the stage
	// from an env value holding a title sequence, CR and LF.
	files[evilName] = "### " + oscTitle + " title\n" +
		"GET https://a1b2c3d4e5.execute-api.ap-northeast-1.amazonaws.com/Prod/orders?q={{note}}\n" +
		"x-api-key: " + clearScr + c1CSI + "abc\n" +
		"Authorization: {{token}}\n"
	files["good/http-client.env.json"] = `{"prod": {"apiKey": "k", "note": "n\u001b]0;x\u0007\r\n` + fakeLine + `", "token": "Bearer x\r` + fakeLine + `"}}`
	files["har/trace"+clearScr+".har"] = `{"log":{"version":"1.2","entries":[{"request":{"method":"GET","url":"https://a1b2c3d4e5.execute-api.ap-northeast-1.amazonaws.com/Prod/orders\n` + fakeLine + `\u001b]0;t\u0007","headers":[{"name":"x-note","value":"v\r` + fakeLine + `"}]},` +
		`"response":{"status":403,"statusText":"Forbidden\u001b[2J","headers":[{"name":"x-amzn-errortype","value":"AccessDeniedException"},{"name":"x-amzn-requestid","value":"id\u001b]0;t\u0007"}],` +
		`"content":{"mimeType":"application/json","text":"{\"message\":\"User is not authorized\\n` + fakeLine + `\\u001b]0;t\\u0007\"}"}}}]}}`
	dir := newWorkspace(t, files)
	for _, args := range [][]string{
		{"check", "--env", "prod", "."},
		{"check", "--format", "github", "--env", "prod", "."},
		{"check", "--lang", "ja", "."},
		{"inspect", "."},
		{"inspect", "--env", "prod", "."},
		{"explain", "--workspace", dir, filepath.Join(dir, "har", "trace"+clearScr+".har")},
		{"explain", "--lang", "ja", filepath.Join(dir, "har", "trace"+clearScr+".har")},
		{"explain", filepath.Join(dir, "missing"+oscTitle+".har")},
	} {
		res := runCLI(t, dir, nil, args...)
		what := strings.Join(args[:1], " ")
		if len(res.stdout) == 0 && args[0] != "explain" {
			t.Errorf("%s: no output", strings.Join(args, " "))
		}
		checkTerminalSafe(t, what+" (stdout)", res.stdout)
		checkTerminalSafe(t, what+" (stderr)", res.stderr)
		if args[0] != "explain" && !strings.Contains(res.stdout, `evil\x1b]0;pwned\x07.http`) {
			t.Errorf("%s: the file name is not shown escaped:\n%s", what, tail(res.stdout))
		}
	}
}
