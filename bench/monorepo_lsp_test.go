package bench

import (
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"go.lsp.dev/protocol"

	"github.com/gw403/gw403-lsp/bench/benchgen"
	"github.com/gw403/gw403-lsp/lsp/lsptest"
)

// monorepoNewRequests is a request file added to sample 2's folder (it is
// not on disk: the editor opens a new buffer), calling the sample's API by
// its execute-api URL.
func monorepoNewRequests() (rel, text string) {
	base := fmt.Sprintf("https://%s.execute-api.%s.amazonaws.com/dev", benchgen.APIID(2), benchgen.Region)
	text = strings.NewReplacer("{{baseUrl}}", base, "{{apiKey}}", "dev-key").Replace(benchgen.SampleRequests(2))
	return "samples/" + benchgen.SampleName(2) + "/tests/new.http", text
}

// BenchmarkLSPMonorepoOpen starts the language server on the samples
// monorepo (default debounce), and times the first diagnostics of a
// request file added to one sample folder: from didOpen to its
// publishDiagnostics, which takes the walk of the tree and the parse of
// what the request links against (target: < 1 s). Each iteration is a
// new server on a new copy of the tree; writing it is not timed.
func BenchmarkLSPMonorepoOpen(b *testing.B) {
	files, _, _ := monorepoSet()
	rel, text := monorepoNewRequests()
	var lat []time.Duration
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		c := lsptest.Start(b, lsptest.Config{Files: files, History: -1})
		c.Initialize(lsptest.InitOptions{})
		b.StartTimer()
		start := time.Now()
		u := c.Open(rel, text)
		c.WaitVersion(u, 1)
		lat = append(lat, time.Since(start))
	}
	b.ReportMetric(float64(percentile(lat, 0.50).Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(percentile(lat, 1).Microseconds())/1000, "max-ms")
}

// BenchmarkLSPMonorepoTemplateSave keeps a request file of one sample
// open in the language server (default debounce) and saves templates on
// disk, each followed by workspace/didChangeWatchedFiles as an editor
// sends it; it times each save until the request file's diagnostics are
// published again, debounce included (target: < 300 ms). Saves alternate
// between the request file's own template (a route's method toggles, so
// its findings change) and a template of another sample.
func BenchmarkLSPMonorepoTemplateSave(b *testing.B) {
	files, _, _ := monorepoSet()
	s := benchgen.MonorepoHTTPSamples[0]
	reqRel := "samples/" + benchgen.SampleName(s) + "/tests/api.http"
	own := benchgen.MonorepoTemplatePath(s)
	far := benchgen.MonorepoTemplatePath(s + 500)
	if own == "" || far == "" || !strings.Contains(files[own], "Method: put\n") {
		b.Fatalf("no template to edit in samples %d and %d", s, s+500)
	}
	c := lsptest.Start(b, lsptest.Config{Files: files, History: -1})
	c.Initialize(lsptest.InitOptions{})
	u := c.Open(reqRel, files[reqRel])
	c.WaitVersion(u, 1)
	save := func(rel, text string) {
		if err := os.WriteFile(c.Path(rel), []byte(text), 0o644); err != nil {
			b.Fatal(err)
		}
		c.Notify(protocol.MethodWorkspaceDidChangeWatchedFiles, map[string]any{
			"changes": []map[string]any{{"uri": c.URI(rel), "type": protocol.FileChangeTypeChanged}},
		})
	}
	var lat []time.Duration
	b.ReportAllocs()
	p := startPeak()
	i := 0
	for b.Loop() {
		// own (a method toggled), far (its description changed), own
		// and far back as they were.
		rel, text := own, files[own]
		switch i % 4 {
		case 0:
			text = strings.Replace(text, "Method: put\n", "Method: get\n", 1)
		case 1:
			rel, text = far, strings.Replace(files[far], "Description: ", "Description: (saved) ", 1)
		case 3:
			rel, text = far, files[far]
		}
		mark := c.Mark()
		start := time.Now()
		save(rel, text)
		c.WaitPublish(u, mark, nil)
		lat = append(lat, time.Since(start))
		i++
	}
	p.report(b)
	b.ReportMetric(float64(percentile(lat, 0.50).Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(percentile(lat, 0.99).Microseconds())/1000, "p99-ms")
}
