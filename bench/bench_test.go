package bench

import (
	"context"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	_ "github.com/gw403/gw403-lsp/analyzer/rules" // the rule catalog, as the binary has it
	"github.com/gw403/gw403-lsp/analyzer/workspace"
	"github.com/gw403/gw403-lsp/bench/benchgen"
	"github.com/gw403/gw403-lsp/schemas/apimodel"
	"github.com/gw403/gw403-lsp/schemas/httpfile"
	"github.com/gw403/gw403-lsp/schemas/openapi"
	"github.com/gw403/gw403-lsp/schemas/source"
	"github.com/gw403/gw403-lsp/schemas/template"
)

// peak measures the process's peak resident set size over a benchmark.
type peak struct{ ok bool }

// startPeak collects garbage, returns memory to the OS and resets the
// kernel's high-water mark of the resident set to the current size.
func startPeak() peak {
	runtime.GC()
	debug.FreeOSMemory()
	err := os.WriteFile("/proc/self/clear_refs", []byte("5"), 0)
	return peak{ok: err == nil}
}

// report adds peak-RSS-MB (the high-water mark since startPeak) to b.
func (p peak) report(b *testing.B) {
	b.Helper()
	if !p.ok {
		b.ReportMetric(0, "peak-RSS-MB")
		return
	}
	status, err := os.ReadFile("/proc/self/status")
	if err != nil {
		b.ReportMetric(0, "peak-RSS-MB")
		return
	}
	for _, line := range strings.Split(string(status), "\n") {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, err := strconv.Atoi(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")))
			if err == nil {
				b.ReportMetric(float64(kb)/1024, "peak-RSS-MB")
			}
			return
		}
	}
}

// writeSet writes a generated file set under a new temporary directory and
// returns the directory (symlinks resolved, as the CLI sees it).
func writeSet(b *testing.B, files benchgen.Files) string {
	b.Helper()
	dir := b.TempDir()
	if real, err := filepath.EvalSymlinks(dir); err == nil {
		dir = real
	}
	if err := benchgen.Write(dir, files); err != nil {
		b.Fatal(err)
	}
	return dir
}

func BenchmarkParseHTTP(b *testing.B) {
	text := benchgen.BigHTTP()
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	p := startPeak()
	for b.Loop() {
		f := httpfile.Parse(source.NewFile("requests.http", text))
		if len(f.Requests) != 10000 {
			b.Fatalf("Parse: %d requests, want 10000", len(f.Requests))
		}
	}
	p.report(b)
}

func BenchmarkLoadOpenAPI(b *testing.B) {
	text := string(benchgen.BigOpenAPI())
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	p := startPeak()
	for b.Loop() {
		d, probs := openapi.Load(source.NewFile("openapi.yaml", text))
		if len(probs) != 0 || len(d.Paths) != 2000 {
			b.Fatalf("Load: %d problems, %d paths", len(probs), len(d.Paths))
		}
	}
	p.report(b)
}

func BenchmarkLoadSAM(b *testing.B) {
	text := string(benchgen.BigSAM())
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	p := startPeak()
	for b.Loop() {
		t, probs := template.Load(source.NewFile("template.yaml", text))
		if len(probs) != 0 {
			b.Fatalf("Load: %v", probs)
		}
		m := apimodel.Build([]*template.Template{t}, nil, apimodel.Options{})
		if len(m.APIs) != 2 {
			b.Fatalf("Build: %d APIs, want OrdersApi and the implicit API", len(m.APIs))
		}
	}
	p.report(b)
}

// benchBareDecode is the baseline: a yaml.v3 node decode of the same bytes.
func benchBareDecode(b *testing.B, doc []byte) {
	b.SetBytes(int64(len(doc)))
	b.ReportAllocs()
	p := startPeak()
	for b.Loop() {
		var n yaml.Node
		if err := yaml.Unmarshal(doc, &n); err != nil {
			b.Fatal(err)
		}
	}
	p.report(b)
}

func BenchmarkBareDecodeOpenAPI(b *testing.B) { benchBareDecode(b, benchgen.BigOpenAPI()) }
func BenchmarkBareDecodeSAM(b *testing.B)     { benchBareDecode(b, benchgen.BigSAM()) }

// benchCheck times what `gw403-lsp check PATH` does past flag parsing: a
// new workspace on dir (cold caches), the walk, parsing, linking and every
// rule, over the paths.
func benchCheck(b *testing.B, dir string, size int64, wantChecked int, paths ...string) {
	b.Helper()
	if size > 0 {
		b.SetBytes(size)
	}
	b.ReportAllocs()
	p := startPeak()
	for b.Loop() {
		ws := workspace.New(dir, workspace.Options{})
		res, err := ws.CheckPaths(context.Background(), paths)
		if err != nil {
			b.Fatal(err)
		}
		if len(res.Checked) != wantChecked {
			b.Fatalf("checked %d files, want %d", len(res.Checked), wantChecked)
		}
	}
	p.report(b)
}

func BenchmarkCheckHTTPFile(b *testing.B) {
	dir := writeSet(b, benchgen.Big())
	f := filepath.Join(dir, "http", "requests.http")
	benchCheck(b, filepath.Join(dir, "http"), int64(len(benchgen.BigHTTP())), 1, f)
}

func BenchmarkCheckOpenAPI(b *testing.B) {
	dir := writeSet(b, benchgen.Big())
	f := filepath.Join(dir, "openapi", "openapi.yaml")
	benchCheck(b, filepath.Join(dir, "openapi"), int64(len(benchgen.BigOpenAPI())), 1, f)
}

func BenchmarkCheckSAM(b *testing.B) {
	dir := writeSet(b, benchgen.Big())
	f := filepath.Join(dir, "sam", "template.yaml")
	benchCheck(b, filepath.Join(dir, "sam"), int64(len(benchgen.BigSAM())), 1, f)
}

// BenchmarkCheckWorkspace checks a whole generated workspace: 200 SAM
// templates and 200 request files of 50 requests linked to their APIs,
// with env files (target: < 1 s and < 300 MB on 2 cores).
func BenchmarkCheckWorkspace(b *testing.B) {
	files := benchgen.Workspace(benchgen.WorkspaceOptions{})
	var size int64
	for _, t := range files {
		size += int64(len(t))
	}
	dir := writeSet(b, files)
	// Templates, request files, env files (public and private), .gw403.yaml.
	want := 4*benchgen.DefaultServices + 1
	benchCheck(b, dir, size, want, dir)
}

// serverlessSet returns the generated Serverless Framework services and
// their total size.
func serverlessSet() (benchgen.Files, int64) {
	files := benchgen.Serverless()
	var size int64
	for _, t := range files {
		size += int64(len(t))
	}
	return files, size
}

// BenchmarkCheckServerless checks the generated set of 100 serverless.yml
// files (target: ≤ 1.5× BenchmarkBareDecodeServerless).
func BenchmarkCheckServerless(b *testing.B) {
	files, size := serverlessSet()
	dir := writeSet(b, files)
	benchCheck(b, dir, size, benchgen.ServerlessServices+1, dir)
}

// BenchmarkBareDecodeServerless is its baseline: a yaml.v3 node decode of
// each file.
func BenchmarkBareDecodeServerless(b *testing.B) {
	files, size := serverlessSet()
	b.SetBytes(size)
	b.ReportAllocs()
	p := startPeak()
	for b.Loop() {
		for _, text := range files {
			var n yaml.Node
			if err := yaml.Unmarshal([]byte(text), &n); err != nil {
				b.Fatal(err)
			}
		}
	}
	p.report(b)
}
