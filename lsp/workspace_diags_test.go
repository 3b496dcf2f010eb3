package lsp_test

import (
	"strings"
	"testing"

	"go.lsp.dev/protocol"

	"github.com/gw403/gw403-lsp/lsp/lsptest"
)

// TestUnopenedFilesFindings: editing a template publishes the findings of
// the request files of its project that are not open, and clears them when
// the edit fixes them; request files of another project get nothing.
func TestUnopenedFilesFindings(t *testing.T) {
	files := rootFiles()
	files["svc/requests/keyed.http"] = "GET {{host}}/prod/orders\nx-api-key: k\n"
	files["other/template.yaml"] = strings.Replace(files["svc/template.yaml"], "ApiKeyRequired: true", "ApiKeyRequired: false", 1)
	files["other/x.http"] = "GET https://zzzzzzzzzz.execute-api.us-east-1.amazonaws.com/prod/orders\n"
	c := lsptest.Start(t, lsptest.Config{Files: files})
	c.Initialize(lsptest.InitOptions{})
	orders := c.URI("svc/requests/orders.http")

	// Opening the template checks the request files that depend on it.
	tpl := c.Open("svc/template.yaml", files["svc/template.yaml"])
	p := c.WaitPublish(orders, 0, func(p lsptest.Publish) bool { return len(byCode(p.Diagnostics, "GW101")) == 1 })
	if p.Version != nil {
		t.Errorf("an unopened file's diagnostics carry version %d, want none", *p.Version)
	}

	// Turning the key requirement off clears them.
	mark := c.Mark()
	fixed := strings.Replace(files["svc/template.yaml"], "ApiKeyRequired: true", "ApiKeyRequired: false", 1)
	c.Change(tpl, lsptest.Full(fixed))
	c.WaitPublish(orders, mark, func(p lsptest.Publish) bool { return len(p.Diagnostics) == 0 })

	// Back on: they return.
	mark = c.Mark()
	c.Change(tpl, lsptest.Full(files["svc/template.yaml"]))
	c.WaitPublish(orders, mark, func(p lsptest.Publish) bool { return len(byCode(p.Diagnostics, "GW101")) == 1 })

	// Opening the file hands it to its buffer: versioned diagnostics.
	doc := c.Open("svc/requests/orders.http", files["svc/requests/orders.http"])
	if p := c.WaitVersion(doc, 1); len(byCode(p.Diagnostics, "GW101")) != 1 {
		t.Errorf("open orders.http: %s, want GW101", codes(p.Diagnostics))
	}

	for _, p := range c.History() {
		switch p.URI {
		case c.URI("svc/requests/keyed.http"):
			if len(p.Diagnostics) > 0 {
				t.Errorf("keyed.http (sends the key) got %s", codes(p.Diagnostics))
			}
		case c.URI("other/x.http"):
			t.Errorf("other/x.http belongs to another project, got a publish: %s", codes(p.Diagnostics))
		}
	}
}

// TestUnopenedFilesWatchedChange: a template changed on disk (the client's
// file watcher) publishes the findings of the unopened request files; the
// request file deleted on disk has its findings cleared.
func TestUnopenedFilesWatchedChange(t *testing.T) {
	files := rootFiles()
	tpl := files["svc/template.yaml"]
	files["svc/template.yaml"] = strings.Replace(tpl, "ApiKeyRequired: true", "ApiKeyRequired: false", 1)
	c := lsptest.Start(t, lsptest.Config{Files: files})
	c.Initialize(lsptest.InitOptions{})
	// A workspace exists once some file of it is open.
	c.WaitVersion(c.Open("svc/requests/http-client.env.json", files["svc/requests/http-client.env.json"]), 1)
	orders := c.URI("svc/requests/orders.http")

	lsptest.WriteFiles(t, c.Dir, map[string]string{"svc/template.yaml": tpl})
	c.Notify(protocol.MethodWorkspaceDidChangeWatchedFiles, map[string]any{
		"changes": []map[string]any{{"uri": c.URI("svc/template.yaml"), "type": 2}},
	})
	c.WaitPublish(orders, 0, func(p lsptest.Publish) bool { return len(byCode(p.Diagnostics, "GW101")) == 1 })

	mark := c.Mark()
	if err := removeFile(c.Path("svc/requests/orders.http")); err != nil {
		t.Fatal(err)
	}
	c.Notify(protocol.MethodWorkspaceDidChangeWatchedFiles, map[string]any{
		"changes": []map[string]any{{"uri": orders, "type": 3}},
	})
	c.WaitPublish(orders, mark, func(p lsptest.Publish) bool { return len(p.Diagnostics) == 0 })
}
