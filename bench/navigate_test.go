package bench

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/gw403/gw403-lsp/analyzer/workspace"
	"github.com/gw403/gw403-lsp/bench/benchgen"
)

// navWorkspace writes a generated workspace of 50 services × 40 requests
// and returns a warm workspace on it (the editor's case: the snapshot is
// built once, then navigation asks again and again).
func navWorkspace(b *testing.B) (*workspace.Workspace, string) {
	b.Helper()
	dir := b.TempDir()
	if err := benchgen.Write(dir, benchgen.Workspace(benchgen.WorkspaceOptions{Services: 50, Requests: 40})); err != nil {
		b.Fatal(err)
	}
	ws := workspace.New(dir, workspace.Options{})
	if _, err := ws.CheckPaths(context.Background(), []string{dir}); err != nil {
		b.Fatal(err)
	}
	return ws, dir
}

// BenchmarkRouteUsages is the code lens of one template: every request
// file of the workspace evaluated in every environment.
func BenchmarkRouteUsages(b *testing.B) {
	ws, dir := navWorkspace(b)
	tpl := filepath.Join(dir, "services", benchgen.ServiceName(0), "template.yaml")
	b.ReportAllocs()
	for b.Loop() {
		us, err := ws.RouteUsages(context.Background(), tpl)
		if err != nil || len(us) == 0 {
			b.Fatalf("RouteUsages: %d routes, %v", len(us), err)
		}
	}
}

// BenchmarkRequestLinks is the inlay hints of one request file.
func BenchmarkRequestLinks(b *testing.B) {
	ws, dir := navWorkspace(b)
	req := filepath.Join(dir, "services", benchgen.ServiceName(0), "requests.http")
	b.ReportAllocs()
	for b.Loop() {
		ls, err := ws.RequestLinks(context.Background(), req)
		if err != nil || len(ls) != 40 {
			b.Fatalf("RequestLinks: %d links, %v", len(ls), err)
		}
	}
}
