package workspace_test

import (
	"context"
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/gw403/gw403-lsp/analyzer"
	"github.com/gw403/gw403-lsp/analyzer/workspace"
)

// TestRequestCacheMatchesFreshCheck edits a request file many times through
// one workspace that keeps findings for a re-check (and reuses those of
// unchanged requests) and compares each result with a fresh workspace's
// check of the same text, which keeps none.
func TestRequestCacheMatchesFreshCheck(t *testing.T) {
	root, _ := filepath.Abs(filepath.Join("testdata", "projects", "rest-api-keys"))
	path := filepath.Join(root, "http", "catalog.http")
	orig, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	edits := []func(string) string{
		// Drop a key header: GW101 appears on that request only.
		func(s string) string { return strings.Replace(s, "x-api-key: {{apiKey}}\n", "", 1) },
		// Text inserted above every request shifts them all.
		func(s string) string { return "# 追記されたコメント 🎉\n" + s },
		// A file variable every request may use changes: the path it
		// builds exists, then does not, then does again.
		func(s string) string {
			return strings.Replace(s, "@productId = p-1001", "@productId = p-2002/reviews", 1)
		},
		func(s string) string {
			return strings.Replace(s, "@productId = p-2002/reviews", "@productId = p-1001", 1)
		},
		// A new request at the end, without a key.
		func(s string) string { return s + "\n### 追加\nGET {{baseUrl}}/products/{{productId}}\n" },
		// A stage typo in one request.
		func(s string) string { return strings.Replace(s, "{{baseUrl}}/health", "{{baseUrl}}/../V1/health", 1) },
		// CRLF everywhere.
		func(s string) string { return strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\n", "\r\n") },
		// A JetBrains handler script makes the file JetBrains-only.
		func(s string) string {
			return s + "\n###\n< {%\n  request.variables.set(\"t\", \"1\")\n%}\nPOST {{baseUrl}}/products\n"
		},
	}
	ws := workspace.New(root, workspace.Options{Recheck: true})
	ctx := context.Background()
	rng := rand.New(rand.NewSource(1))
	text := string(orig)
	for step := 0; step < 40; step++ {
		text = edits[rng.Intn(len(edits))](text)
		ws.SetOverlay(path, text)
		got, err := ws.Check(ctx, path)
		if err != nil {
			t.Fatal(err)
		}
		fresh := workspace.New(root, workspace.Options{})
		fresh.SetOverlay(path, text)
		want, err := fresh.Check(ctx, path)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("step %d: cached check differs from a fresh one\n got %s\nwant %s", step, summary(got), summary(want))
		}
	}
}

func summary(ds []analyzer.Diagnostic) string {
	var b strings.Builder
	for _, d := range ds {
		fmt.Fprintf(&b, "\n  %s %v %s", d.Code, d.Span, d.Message.EN)
	}
	return b.String()
}
