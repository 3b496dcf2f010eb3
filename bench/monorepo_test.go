package bench

import (
	"sort"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/gw403/gw403-lsp/bench/benchgen"
)

// monorepoSet is the generated samples monorepo, the paths of its
// templates and their total size.
func monorepoSet() (files benchgen.Files, templates []string, size int64) {
	files = benchgen.Monorepo(benchgen.MonorepoOptions{})
	for i := 0; i < benchgen.MonorepoSamples; i++ {
		if p := benchgen.MonorepoTemplatePath(i); p != "" {
			templates = append(templates, p)
			size += int64(len(files[p]))
		}
	}
	sort.Strings(templates)
	return files, templates, size
}

// BenchmarkCheckMonorepo is `gw403-lsp check` of the whole samples
// monorepo: 1,000 sample folders, about 5,000 YAML/JSON files of which 580
// are templates, and 90 MB of vendored JSON (target: ≤ 3×
// BenchmarkBareDecodeMonorepo). Bytes per second count the templates.
func BenchmarkCheckMonorepo(b *testing.B) {
	files, templates, size := monorepoSet()
	dir := writeSet(b, files)
	want := 0
	for p := range files {
		if strings.HasSuffix(p, ".http") || strings.HasSuffix(p, "http-client.env.json") || p == benchgen.RootMarker {
			want++
		}
	}
	want += len(templates) + 60 // and the OpenAPI documents
	benchCheck(b, dir, size, want, dir)
}

// BenchmarkBareDecodeMonorepo is its baseline: a yaml.v3 node decode of
// each template of the monorepo, nothing else.
func BenchmarkBareDecodeMonorepo(b *testing.B) {
	files, templates, size := monorepoSet()
	b.SetBytes(size)
	b.ReportAllocs()
	p := startPeak()
	for b.Loop() {
		for _, t := range templates {
			var n yaml.Node
			if err := yaml.Unmarshal([]byte(files[t]), &n); err != nil {
				b.Fatal(err)
			}
		}
	}
	p.report(b)
}
