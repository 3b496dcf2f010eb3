package lsp_test

import (
	"fmt"
	"runtime"
	"sort"
	"strings"
	"testing"
	"time"

	"go.lsp.dev/protocol"

	"github.com/gw403/gw403-lsp/lsp"
	"github.com/gw403/gw403-lsp/lsp/lsptest"
)

// The benchmarks run over the fake analyzer (the cost of the protocol
// layer: sync, scheduling, conversion, JSON) and over the real one. They
// check without the typing debounce, which would only add its own 150 ms.
// Run them with a fixed count, e.g. -bench . -benchtime 300x.

// requestFile returns a .http file of n requests, every other one without
// an API key, with Japanese titles and CRLF line ends.
func requestFile(n int) string {
	var b strings.Builder
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "### 注文 %d 🧾\r\n", i)
		fmt.Fprintf(&b, "GET https://abc123.execute-api.ap-northeast-1.amazonaws.com/prod/items/%d?q=日本語\r\n", i)
		b.WriteString("Accept: application/json\r\n")
		if i%2 == 1 {
			b.WriteString("x-api-key: {{apiKey}}\r\n")
		}
		b.WriteString("\r\n")
	}
	return b.String()
}

type backend struct {
	name string
	opts func() lsp.Options
}

func backends() []backend {
	return []backend{
		{"fake", func() lsp.Options { return lsp.Options{NewWorkspace: newFakeFactory().new, Debounce: -1} }},
		{"analyzer", func() lsp.Options { return lsp.Options{Debounce: -1} }},
	}
}

// report adds p50 and p99 of the latencies, and the heap growth.
func report(b *testing.B, lat []time.Duration, before runtime.MemStats) {
	b.Helper()
	b.StopTimer()
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	q := func(p float64) float64 {
		i := int(p * float64(len(lat)-1))
		return float64(lat[i].Microseconds()) / 1000
	}
	b.ReportMetric(q(0.50), "p50-ms")
	b.ReportMetric(q(0.99), "p99-ms")
	runtime.GC()
	var after runtime.MemStats
	runtime.ReadMemStats(&after)
	b.ReportMetric(float64(int64(after.HeapAlloc)-int64(before.HeapAlloc))/1024, "heap-growth-KiB")
}

func memStats() runtime.MemStats {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m
}

// BenchmarkDidChange measures a keystroke in a 1,000-request file to the
// publishDiagnostics of that version.
func BenchmarkDidChange(b *testing.B) {
	for _, be := range backends() {
		b.Run(be.name, func(b *testing.B) {
			files := baseFiles()
			files["big.http"] = requestFile(1000)
			c := lsptest.Start(b, lsptest.Config{Files: files, Options: be.opts(), History: -1})
			c.Initialize(lsptest.InitOptions{})
			doc := c.Open("big.http", files["big.http"])
			c.WaitVersion(doc, 1)
			before := memStats()
			lat := make([]time.Duration, 0, b.N)
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				ch := lsptest.Edit(0, 6, 0, 6, "x")
				if i%2 == 1 {
					ch = lsptest.Edit(0, 6, 0, 7, "")
				}
				start := time.Now()
				v := c.Change(doc, ch)
				c.WaitPublish(doc, 0, func(p lsptest.Publish) bool { return p.Version != nil && *p.Version == v })
				lat = append(lat, time.Since(start))
			}
			report(b, lat, before)
		})
	}
}

// BenchmarkTemplateEdit measures an edit of the template 20 open request
// files depend on, to the last of their 20 publishDiagnostics.
func BenchmarkTemplateEdit(b *testing.B) {
	for _, be := range backends() {
		b.Run(be.name, func(b *testing.B) {
			files := baseFiles()
			for i := 0; i < 20; i++ {
				files[fmt.Sprintf("req%02d.http", i)] = requestFile(50)
			}
			c := lsptest.Start(b, lsptest.Config{Files: files, Options: be.opts(), History: -1})
			c.Initialize(lsptest.InitOptions{})
			var docs []protocol.DocumentURI
			for i := 0; i < 20; i++ {
				name := fmt.Sprintf("req%02d.http", i)
				docs = append(docs, c.Open(name, files[name]))
			}
			tpl := c.Open("template.yaml", tplYAML)
			for _, d := range append(docs, tpl) {
				c.WaitVersion(d, 1)
			}
			before := memStats()
			lat := make([]time.Duration, 0, b.N)
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				ch := lsptest.Edit(5, 24, 5, 28, "false")
				if i%2 == 1 {
					ch = lsptest.Edit(5, 24, 5, 29, "true")
				}
				mark := c.Mark()
				start := time.Now()
				c.Change(tpl, ch)
				for _, d := range docs {
					c.WaitPublish(d, mark, nil)
				}
				lat = append(lat, time.Since(start))
			}
			report(b, lat, before)
		})
	}
}

// BenchmarkEdits10k types 10,000 edits (one op) into a 1,000-request file
// with the default debounce, then waits for the diagnostics of the last
// version: heap-growth-KiB and goroutine-growth show whether memory stays
// flat. Run it with -benchtime 1x.
func BenchmarkEdits10k(b *testing.B) {
	for _, be := range backends() {
		b.Run(be.name, func(b *testing.B) {
			opts := be.opts()
			opts.Debounce = 0
			files := baseFiles()
			files["big.http"] = requestFile(1000)
			c := lsptest.Start(b, lsptest.Config{Files: files, Options: opts, History: -1})
			c.Initialize(lsptest.InitOptions{})
			doc := c.Open("big.http", files["big.http"])
			c.WaitVersion(doc, 1)
			before := memStats()
			goroutines := runtime.NumGoroutine()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				var v int32
				for j := 0; j < 10000; j++ {
					ch := lsptest.Edit(uint32(j%1000)*5+1, 4, uint32(j%1000)*5+1, 4, "h")
					if j%2 == 1 {
						ch = lsptest.Edit(uint32(j%1000)*5+1, 4, uint32(j%1000)*5+1, 5, "")
					}
					v = c.Change(doc, ch)
				}
				c.WaitPublish(doc, 0, func(p lsptest.Publish) bool { return p.Version != nil && *p.Version == v })
			}
			b.StopTimer()
			b.ReportMetric(float64(runtime.NumGoroutine()-goroutines), "goroutine-growth")
			after := memStats()
			b.ReportMetric(float64(int64(after.HeapAlloc)-int64(before.HeapAlloc))/1024, "heap-growth-KiB")
		})
	}
}
