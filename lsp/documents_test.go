package lsp_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"go.lsp.dev/protocol"

	"github.com/gw403/gw403-lsp/lsp/lsptest"
)

// TestIncrementalSync sends incremental edits around multi-byte text, CRLF
// and surrogate pairs and compares the server's copy (the overlay the
// analyzer sees) with the client's after each one.
func TestIncrementalSync(t *testing.T) {
	for _, enc := range []string{"utf-16", "utf-8"} {
		t.Run(enc, func(t *testing.T) {
			c, f := start(t, baseFiles())
			c.Initialize(lsptest.InitOptions{PositionEncodings: []string{enc}})
			utf8Cols := enc == "utf-8"
			doc := c.Open("api.http", apiHTTP)
			text := apiHTTP
			col := func(u16, u8 uint32) uint32 {
				if utf8Cols {
					return u8
				}
				return u16
			}
			steps := []struct {
				name    string
				changes []lsptest.Change
			}{
				{"insert after the surrogate pair of line 1", []lsptest.Change{lsptest.Edit(1, col(78, 86), 1, col(78, 86), "&x=🗾")}},
				{"replace 東京 in the title", []lsptest.Change{lsptest.Edit(0, col(4, 4), 0, col(6, 10), "大阪")}},
				{"delete across a CRLF", []lsptest.Change{lsptest.Edit(2, col(24, 24), 3, 0, "")}},
				{"two changes in one notification", []lsptest.Change{
					lsptest.Edit(0, 0, 0, 0, "# 最初 😀\r\n"),
					lsptest.Edit(7, col(11, 11), 7, col(18, 30), "{{apiKey}}"),
				}},
				{"insert a header line", []lsptest.Change{lsptest.Edit(3, 0, 3, 0, "x-api-key: {{apiKey}}\r\n")}},
				{"replace everything", []lsptest.Change{lsptest.Full("GET https://x.execute-api.us-east-1.amazonaws.com/prod/a\n")}},
				{"append at the end without a newline", []lsptest.Change{lsptest.Edit(1, 0, 1, 0, "POST https://y.execute-api.us-east-1.amazonaws.com/prod/b")}},
				{"line end past the last character clamps", []lsptest.Change{lsptest.Edit(1, 0, 1, 999, "POST https://z.execute-api.us-east-1.amazonaws.com/prod/c")}},
			}
			for _, st := range steps {
				for _, ch := range st.changes {
					text = refApply(t, text, ch, utf8Cols)
				}
				v := c.Change(doc, st.changes...)
				c.WaitVersion(doc, v)
				if got := mustOverlay(t, f, c, "api.http"); got != text {
					t.Fatalf("%s: server text\n%q\nwant\n%q", st.name, got, text)
				}
			}
			p, _ := c.Latest(doc)
			if len(p.Diagnostics) != 2 {
				t.Fatalf("final diagnostics = %+v, want 2", p.Diagnostics)
			}
			wantEnd := uint32(len("POST https://z.execute-api.us-east-1.amazonaws.com/prod/c"))
			if got := p.Diagnostics[1].Range; got != rng(1, 5, 1, wantEnd) {
				t.Errorf("last diagnostic at %v, want 1:5-1:%d", got, wantEnd)
			}
		})
	}
}

func TestEditPastTheEnd(t *testing.T) {
	c, f := start(t, baseFiles())
	c.Initialize(lsptest.InitOptions{})
	doc := c.Open("api.http", "GET https://a.execute-api.us-east-1.amazonaws.com/prod/x\n")
	c.WaitVersion(doc, 1)
	v := c.Change(doc, lsptest.Edit(40, 3, 99, 0, "# 末尾\n"))
	p := c.WaitVersion(doc, v)
	c.WaitLog("past the end of the document")
	if got, want := mustOverlay(t, f, c, "api.http"), "GET https://a.execute-api.us-east-1.amazonaws.com/prod/x\n# 末尾\n"; got != want {
		t.Errorf("text = %q, want the insertion clamped to the end: %q", got, want)
	}
	if len(p.Diagnostics) != 1 {
		t.Errorf("diagnostics = %+v, want 1", p.Diagnostics)
	}
	// A full change brings the copies back in step.
	v = c.Change(doc, lsptest.Full("# empty\n"))
	if p := c.WaitVersion(doc, v); len(p.Diagnostics) != 0 {
		t.Errorf("after a full change: %+v, want none", p.Diagnostics)
	}
}

func TestChangeOfClosedDocument(t *testing.T) {
	c, f := start(t, baseFiles())
	c.Initialize(lsptest.InitOptions{})
	ghost := c.URI("ghost.http")
	c.ChangeVersion(ghost, 2, lsptest.Full("GET https://a.execute-api.us-east-1.amazonaws.com/prod/x\n"))
	c.WaitLog("not open")
	doc := c.Open("api.http", apiHTTP)
	c.WaitVersion(doc, 1)
	if _, ok := c.Latest(ghost); ok {
		t.Errorf("diagnostics published for a document that is not open")
	}
	if _, ok := f.get(c.Dir).Overlay(c.Path("ghost.http")); ok {
		t.Errorf("a change to a closed document became an overlay")
	}
	// Closing twice and changing after close are ignored too.
	c.Close(doc)
	c.Close(doc)
	c.ChangeVersion(doc, 5, lsptest.Edit(0, 0, 0, 0, "x"))
	if _, ok := f.get(c.Dir).Overlay(c.Path("api.http")); ok {
		t.Errorf("overlay kept after close")
	}
}

func TestOutOfOrderAndDuplicateVersions(t *testing.T) {
	c, f := start(t, baseFiles())
	c.Initialize(lsptest.InitOptions{})
	doc := c.Open("api.http", "# v1\n")
	c.WaitVersion(doc, 1)
	c.ChangeVersion(doc, 5, lsptest.Full("# v5\n"))
	c.WaitVersion(doc, 5)
	c.ChangeVersion(doc, 3, lsptest.Full("GET https://a.execute-api.us-east-1.amazonaws.com/prod/x\n"))
	c.WaitLog("version 3 after 5")
	c.ChangeVersion(doc, 3, lsptest.Edit(0, 0, 0, 0, "# dup\n"))
	c.WaitLog("version 3 after 3")
	// The stream's order wins: the last text is what the server has, and
	// its diagnostics carry the last version sent.
	want := "# dup\nGET https://a.execute-api.us-east-1.amazonaws.com/prod/x\n"
	p := c.WaitPublish(doc, 0, func(p lsptest.Publish) bool {
		return p.Version != nil && *p.Version == 3 && len(p.Diagnostics) == 1 && p.Diagnostics[0].Range.Start.Line == 1
	})
	if got := mustOverlay(t, f, c, "api.http"); got != want {
		t.Errorf("text = %q, want %q", got, want)
	}
	c.Shutdown()
	c.Exit()
	if last, _ := c.Latest(doc); last.Seq != p.Seq {
		t.Errorf("a publish followed the one for the last text: %+v", last)
	}
}

// TestTemplateChangeRechecksRequests edits the template an open request
// file depends on, then closes it (the disk content counts again).
func TestTemplateChangeRechecksRequests(t *testing.T) {
	c, _ := start(t, baseFiles())
	c.Initialize(lsptest.InitOptions{})
	doc := c.Open("api.http", apiHTTP)
	if p := c.WaitVersion(doc, 1); len(byCode(p.Diagnostics, "GW101")) != 1 {
		t.Fatalf("GW101 missing: %+v", p.Diagnostics)
	}
	tpl := c.Open("template.yaml", tplYAML)
	c.WaitVersion(tpl, 1)
	mark := c.Mark()
	c.Change(tpl, lsptest.Edit(5, 24, 5, 28, "false"))
	p := c.WaitPublish(doc, mark, func(p lsptest.Publish) bool { return len(byCode(p.Diagnostics, "GW101")) == 0 })
	if *p.Version != 1 {
		t.Errorf("after the template edit: version %d, want 1", *p.Version)
	}
	mark = c.Mark()
	c.Close(tpl)
	// The disk says true again.
	c.WaitPublish(doc, mark, func(p lsptest.Publish) bool { return len(byCode(p.Diagnostics, "GW101")) == 1 })
}

func TestWatchedFiles(t *testing.T) {
	c, f := start(t, baseFiles())
	c.Initialize(lsptest.InitOptions{})
	reg := c.WaitRegistration(protocol.MethodWorkspaceDidChangeWatchedFiles)
	globs := mustJSON(t, reg.RegisterOptions)
	for _, g := range []string{"**/*.{http,rest}", "**/*.{yaml,yml,json}", "**/*.{tf,tfvars}", "**/.env*"} {
		if !strings.Contains(globs, g) {
			t.Errorf("watchers %s lack %s", globs, g)
		}
	}
	doc := c.Open("api.http", apiHTTP)
	c.WaitVersion(doc, 1)
	tplPath := c.Path("template.yaml")
	if err := os.WriteFile(tplPath, []byte(strings.Replace(tplYAML, "true", "false", 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	mark := c.Mark()
	c.Notify(protocol.MethodWorkspaceDidChangeWatchedFiles, map[string]any{
		"changes": []map[string]any{{"uri": c.URI("template.yaml"), "type": 2}},
	})
	c.WaitPublish(doc, mark, func(p lsptest.Publish) bool { return len(byCode(p.Diagnostics, "GW101")) == 0 })
	if got := f.get(c.Dir).Changed(); len(got) != 1 || got[0] != tplPath {
		t.Errorf("FileChanged calls = %v, want [%s]", got, tplPath)
	}
}

func TestNoWatchersWithoutDynamicRegistration(t *testing.T) {
	c, _ := start(t, baseFiles())
	c.Initialize(lsptest.InitOptions{Capabilities: map[string]any{}})
	doc := c.Open("api.http", apiHTTP)
	c.WaitVersion(doc, 1)
	if r := c.Registrations(); len(r) != 0 {
		t.Errorf("registrations = %+v, want none", r)
	}
	if items := c.ConfigItems(); len(items) != 0 {
		t.Errorf("configuration asked of a client without the capability: %+v", items)
	}
}

func TestWorkspaceFolders(t *testing.T) {
	files := map[string]string{
		"a/template.yaml": tplYAML,
		"b/template.yaml": strings.Replace(tplYAML, "true", "false", 1),
		"loose/x.http":    "GET https://a.execute-api.us-east-1.amazonaws.com/prod/x\n",
		"c/template.yaml": tplYAML,
	}
	c, f := start(t, files)
	c.Initialize(lsptest.InitOptions{Folders: []string{"a", "b"}})
	reqA := c.Open("a/api.http", "GET https://a.execute-api.us-east-1.amazonaws.com/prod/x\n")
	reqB := c.Open("b/api.http", "GET https://a.execute-api.us-east-1.amazonaws.com/prod/x\n")
	if p := c.WaitVersion(reqA, 1); len(p.Diagnostics) != 1 {
		t.Errorf("folder a: %+v, want GW101 (its template requires a key)", p.Diagnostics)
	}
	if p := c.WaitVersion(reqB, 1); len(p.Diagnostics) != 0 {
		t.Errorf("folder b: %+v, want none (its template does not)", p.Diagnostics)
	}
	loose := c.Open("loose/x.http", files["loose/x.http"])
	c.WaitVersion(loose, 1)
	want := []string{c.Path("a"), c.Path("b"), c.Path("loose")}
	if got := f.roots(); strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("workspaces = %v, want %v", got, want)
	}
	// Every workspace sees every buffer.
	if _, ok := f.get(c.Path("b")).Overlay(c.Path("a/api.http")); !ok {
		t.Errorf("workspace b lacks the overlay of a/api.http")
	}
	// A folder added later takes its documents.
	reqC := c.Open("c/api.http", "GET https://a.execute-api.us-east-1.amazonaws.com/prod/x\n")
	c.WaitVersion(reqC, 1)
	mark := c.Mark()
	c.Notify(protocol.MethodWorkspaceDidChangeWorkspaceFolders, map[string]any{
		"event": map[string]any{
			"added":   []map[string]any{{"uri": c.URI("c"), "name": "c"}},
			"removed": []map[string]any{{"uri": c.URI("b"), "name": "b"}},
		},
	})
	c.WaitPublish(reqC, mark, nil)
	if f.get(c.Path("c")) == nil {
		t.Errorf("no workspace for the added folder c (have %v)", f.roots())
	}
	if w := f.get(filepath.Join(c.Path("c"))); w != nil {
		if _, ok := w.Overlay(c.Path("c/api.http")); !ok {
			t.Errorf("the new workspace lacks the open buffers")
		}
	}
}
