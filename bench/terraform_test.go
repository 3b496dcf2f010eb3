package bench

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"

	"github.com/gw403/gw403-lsp/bench/benchgen"
	"github.com/gw403/gw403-lsp/lsp/lsptest"
	"github.com/gw403/gw403-lsp/schemas/apimodel"
	"github.com/gw403/gw403-lsp/schemas/source"
	"github.com/gw403/gw403-lsp/schemas/terraform"
)

func tfSize(fs benchgen.Files) (n int64) {
	for _, t := range fs {
		n += int64(len(t))
	}
	return n
}

// BenchmarkBareParseTerraform is the baseline of the Terraform rows: an
// hclsyntax parse of every file of the generated repository (100 files,
// 200 APIs, 2,000 methods), one after the other, as bench/hclparse does.
func BenchmarkBareParseTerraform(b *testing.B) {
	fs := benchgen.BigTerraform()
	b.SetBytes(tfSize(fs))
	b.ReportAllocs()
	p := startPeak()
	for b.Loop() {
		for name, text := range fs {
			if _, diags := hclsyntax.ParseConfig([]byte(text), name, hcl.InitialPos); diags.HasErrors() {
				b.Fatal(diags)
			}
		}
	}
	p.report(b)
}

// BenchmarkLoadTerraform parses, evaluates and builds the model of the
// same repository.
func BenchmarkLoadTerraform(b *testing.B) {
	fs := benchgen.BigTerraform()
	b.SetBytes(tfSize(fs))
	b.ReportAllocs()
	p := startPeak()
	for b.Loop() {
		var files []*terraform.File
		for name, text := range fs {
			f, problems := terraform.Parse(source.NewFile(name, text))
			if len(problems) > 0 {
				b.Fatal(problems)
			}
			files = append(files, f)
		}
		m := apimodel.Build(nil, nil, apimodel.Options{Terraform: terraform.Load(files)})
		if len(m.APIs) != benchgen.TerraformAPIs {
			b.Fatalf("%d APIs, want %d", len(m.APIs), benchgen.TerraformAPIs)
		}
		routes := 0
		for _, a := range m.APIs {
			routes += len(a.Routes)
		}
		if routes != benchgen.TerraformMethods {
			b.Fatalf("%d routes, want %d", routes, benchgen.TerraformMethods)
		}
	}
	p.report(b)
}

// BenchmarkCheckTerraform is `gw403-lsp check` of the repository (target:
// ≤ 1.5× BenchmarkBareParseTerraform; bench/compare.sh compares the
// processes).
func BenchmarkCheckTerraform(b *testing.B) {
	dir := writeSet(b, benchgen.Big())
	tf := filepath.Join(dir, benchgen.TerraformDir)
	benchCheck(b, tf, tfSize(benchgen.BigTerraform()), benchgen.TerraformFiles+4, tf)
}

// BenchmarkLSPTerraformEdit edits one method of main.tf (open in the
// editor) that a request file of 1,000 requests calls, and times until the
// request file is re-checked and its diagnostics published (target: <
// 100 ms).
func BenchmarkLSPTerraformEdit(b *testing.B) {
	benchLSPTerraformEdit(b, benchgen.TerraformLSP(1000))
}

// BenchmarkLSPTerraformEditLargeRepo is the same edit in a workspace that
// also holds the 100-file repository of BigTerraform (main.tf is one more
// root module beside it): files whose text did not change are not parsed
// again.
func BenchmarkLSPTerraformEditLargeRepo(b *testing.B) {
	files := benchgen.TerraformLSP(1000)
	for p, text := range benchgen.BigTerraform() {
		files["repo/"+p] = text
	}
	benchLSPTerraformEdit(b, files)
}

func benchLSPTerraformEdit(b *testing.B, files benchgen.Files) {
	c, uris := startLSP(b, files, "main.tf", "requests.http")
	tf, req := uris[0], uris[1]
	lines := strings.Split(files["main.tf"], "\n")
	line := -1
	for i, l := range lines {
		if strings.Contains(l, `http_method      = "POST"`) {
			line = i
			break
		}
	}
	if line < 0 {
		b.Fatal(`no http_method = "POST" line in main.tf`)
	}
	col := uint32(strings.Index(lines[line], "POST"))
	var lat []time.Duration
	b.ReportAllocs()
	p := startPeak()
	i := 0
	for b.Loop() {
		mark := c.Mark()
		from, to := "POST", "PUT "
		if i%2 == 1 {
			from, to = "PUT ", "POST"
		}
		_ = from
		start := time.Now()
		c.Change(tf, lsptest.Edit(uint32(line), col, uint32(line), col+4, to))
		c.WaitPublish(req, mark, func(lsptest.Publish) bool { return true })
		lat = append(lat, time.Since(start))
		i++
	}
	p.report(b)
	b.ReportMetric(float64(percentile(lat, 0.50).Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(percentile(lat, 0.99).Microseconds())/1000, "p99-ms")
}
