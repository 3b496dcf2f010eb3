// Command compare times whole processes on the generated inputs and prints
// one markdown table: gw403-lsp against httpyac's parser, `spectral lint`
// and a bare yaml.v3 decode, with the ratios the targets are stated in.
// bench/compare.sh installs the peers, builds the binaries and runs it;
// run that script rather than this program.
//
// Each command runs once to warm the page cache, then -runs times; the
// table shows the minimum and median wall time, the median CPU time (user
// and system, of the process and its children) and the largest peak
// resident set size. The peak comes from /usr/bin/time (%M), which forks
// the command: a process started directly from Go is created with vfork,
// and its ru_maxrss then counts this program's own memory. With -netns
// every command runs under `unshare -rn`, in a network namespace with no
// interface but loopback: no command can send anything.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"time"

	"github.com/gw403/gw403-lsp/bench/benchgen"
)

// result is the measurement of one command.
type result struct {
	name    string
	min     time.Duration
	median  time.Duration
	peakKB  int64
	cpu     time.Duration // median user+sys CPU time
	samples []time.Duration
}

type runner struct {
	runs    int
	netns   bool
	timeBin string // GNU time
	tmp     string // a directory for time's reports
	log     io.Writer
}

// headWriter keeps the first max bytes written to it and drops the rest
// (a linter's report of the big files runs to megabytes).
type headWriter struct {
	buf bytes.Buffer
	max int
}

func (w *headWriter) Write(p []byte) (int, error) {
	if room := w.max - w.buf.Len(); room > 0 {
		w.buf.Write(p[:min(len(p), room)])
	}
	return len(p), nil
}

// measure runs argv once as warm-up and then r.runs times. okCodes are the
// exit codes that mean the command did its job (a linter exits 1 when it
// has findings).
func (r runner) measure(name string, okCodes []int, argv ...string) (result, error) {
	res := result{name: name}
	var cpus []time.Duration
	if r.netns {
		argv = append([]string{"unshare", "-rn", "--"}, argv...)
	}
	report := filepath.Join(r.tmp, "time.txt")
	argv = append([]string{r.timeBin, "-f", "%M", "-o", report}, argv...)
	for i := -1; i < r.runs; i++ {
		out := &headWriter{max: 4096}
		cmd := exec.Command(argv[0], argv[1:]...)
		cmd.Stdout = out
		cmd.Stderr = out
		start := time.Now()
		err := cmd.Run()
		wall := time.Since(start)
		code := 0
		if err != nil {
			ee, ok := err.(*exec.ExitError)
			if !ok {
				return res, fmt.Errorf("%s: %w", name, err)
			}
			code = ee.ExitCode()
		}
		if !contains(okCodes, code) {
			return res, fmt.Errorf("%s: exit status %d:\n%s", name, code, out.buf.String())
		}
		if i == -1 {
			fmt.Fprintf(r.log, "  %-34s %s\n", name, firstLine(out.buf.String()))
			continue // warm-up
		}
		kb, err := readMaxRSS(report)
		if err != nil {
			return res, fmt.Errorf("%s: %w", name, err)
		}
		res.peakKB = max(res.peakKB, kb)
		res.samples = append(res.samples, wall)
		cpus = append(cpus, cmd.ProcessState.UserTime()+cmd.ProcessState.SystemTime())
	}
	sort.Slice(cpus, func(i, j int) bool { return cpus[i] < cpus[j] })
	res.cpu = cpus[len(cpus)/2]
	s := append([]time.Duration(nil), res.samples...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	res.min = s[0]
	res.median = s[len(s)/2]
	if len(s)%2 == 0 {
		res.median = (s[len(s)/2-1] + s[len(s)/2]) / 2
	}
	return res, nil
}

// readMaxRSS reads the peak RSS in KB that `time -f %M -o path` wrote (on
// its last line; a line before it may say the command exited non-zero).
func readMaxRSS(path string) (int64, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return 0, err
	}
	lines := strings.Fields(strings.TrimSpace(string(b)))
	if len(lines) == 0 {
		return 0, fmt.Errorf("empty report from time in %s", path)
	}
	var kb int64
	if _, err := fmt.Sscan(lines[len(lines)-1], &kb); err != nil {
		return 0, fmt.Errorf("report from time %q: %w", b, err)
	}
	return kb, nil
}

func contains(xs []int, x int) bool {
	for _, y := range xs {
		if x == y {
			return true
		}
	}
	return false
}

func firstLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i] + " …"
	}
	if len(s) > 100 {
		s = s[:100] + "…"
	}
	return s
}

func main() {
	var (
		runs       = flag.Int("runs", 5, "timed runs per command (after one warm-up run)")
		netns      = flag.Bool("netns", false, "run every command under `unshare -rn` (no network)")
		inputs     = flag.String("inputs", "", "directory written by bench/gen (its big/ subdirectory is used)")
		gw         = flag.String("gw403-lsp", "", "gw403-lsp binary")
		yamldecode = flag.String("yamldecode", "", "bench/yamldecode binary")
		hclparse   = flag.String("hclparse", "", "bench/hclparse binary")
		node       = flag.String("node", "node", "node binary")
		nodeModule = flag.String("node-modules", "", "node_modules directory holding httpyac and @stoplight/spectral-cli")
		httpyacJS  = flag.String("httpyac-script", "", "bench/httpyac-parse.js")
		ruleset    = flag.String("spectral-ruleset", "", "bench/spectral.yaml")
		timeBin    = flag.String("time", "/usr/bin/time", "GNU time, for peak RSS")
	)
	flag.Parse()
	for name, v := range map[string]string{"inputs": *inputs, "gw403-lsp": *gw, "yamldecode": *yamldecode, "hclparse": *hclparse,
		"node-modules": *nodeModule, "httpyac-script": *httpyacJS, "spectral-ruleset": *ruleset} {
		if v == "" {
			fmt.Fprintf(os.Stderr, "compare: -%s is required\n", name)
			os.Exit(2)
		}
	}
	if err := os.Setenv("NODE_PATH", *nodeModule); err != nil {
		fail(err)
	}
	big := filepath.Join(*inputs, "big")
	httpFile := filepath.Join(big, "http", "requests.http")
	oasFile := filepath.Join(big, "openapi", "openapi.yaml")
	samFile := filepath.Join(big, "sam", "template.yaml")
	tfDir := filepath.Join(big, "terraform")
	spectral := filepath.Join(*nodeModule, "@stoplight", "spectral-cli", "dist", "index.js")

	tmp, err := os.MkdirTemp("", "gw403-compare-")
	if err != nil {
		fail(err)
	}
	defer os.RemoveAll(tmp)
	r := runner{runs: *runs, netns: *netns, timeBin: *timeBin, tmp: tmp, log: os.Stderr}
	loadBefore := loadAverage()
	fmt.Fprintf(os.Stderr, "warm-up runs (first line of output):\n")
	m := func(name string, ok []int, argv ...string) result {
		res, err := r.measure(name, ok, argv...)
		if err != nil {
			fail(err)
		}
		return res
	}
	check := func(file string) []string {
		return []string{*gw, "check", "--fail-on", "never", "--color", "never", file}
	}
	gwHTTP := m("gw403-lsp check (.http)", []int{0}, check(httpFile)...)
	httpyac := m("httpyac parse (.http)", []int{0}, *node, *httpyacJS, httpFile)
	gwOAS := m("gw403-lsp check (OpenAPI)", []int{0}, check(oasFile)...)
	spectralRes := m("spectral lint (OpenAPI)", []int{0, 1}, *node, spectral, "lint", "--quiet", "--format", "text", "--ruleset", *ruleset, oasFile)
	ydOAS := m("yaml.v3 decode (OpenAPI)", []int{0}, *yamldecode, oasFile)
	gwSAM := m("gw403-lsp check (SAM)", []int{0}, check(samFile)...)
	ydSAM := m("yaml.v3 decode (SAM)", []int{0}, *yamldecode, samFile)
	gwTF := m("gw403-lsp check (Terraform)", []int{0}, check(tfDir)...)
	hclTF := m("hclsyntax parse (Terraform)", []int{0}, *hclparse, tfDir)
	slsDir := filepath.Join(*inputs, "serverless")
	slsFiles, err := filepath.Glob(filepath.Join(slsDir, "*", "serverless.yml"))
	if err != nil || len(slsFiles) == 0 {
		fail(fmt.Errorf("no serverless.yml under %s", slsDir))
	}
	gwSLS := m("gw403-lsp check (Serverless)", []int{0}, check(slsDir)...)
	ydSLS := m("yaml.v3 decode (Serverless)", []int{0}, append([]string{*yamldecode}, slsFiles...)...)
	// The samples monorepo: check of the whole tree against a decode of
	// its templates only.
	monoDir := filepath.Join(*inputs, "monorepo")
	var monoTemplates []string
	for i := 0; i < benchgen.MonorepoSamples; i++ {
		if p := benchgen.MonorepoTemplatePath(i); p != "" {
			monoTemplates = append(monoTemplates, filepath.Join(monoDir, filepath.FromSlash(p)))
		}
	}
	gwMono := m("gw403-lsp check (monorepo)", []int{0}, check(monoDir)...)
	ydMono := m("yaml.v3 decode (monorepo templates)", []int{0}, append([]string{*yamldecode}, monoTemplates...)...)

	size := func(p string) string {
		fi, err := os.Stat(p)
		if err != nil {
			fail(err)
		}
		return fmt.Sprintf("%.1f MB", float64(fi.Size())/1e6)
	}
	fmt.Printf("Machine: %s; load average %s before the runs, %s after (other processes share the cores: compare the CPU column when it is high)\n\n", machine(), loadBefore, loadAverage())
	fmt.Printf("Whole-process wall time (min / median of %d runs after a warm-up run), CPU time (user+sys, median) and peak RSS.\n\n", *runs)
	fmt.Println("| input | command | min | median | CPU | peak RSS | gw403-lsp vs this (medians) |")
	fmt.Println("|---|---|---:|---:|---:|---:|---|")
	row := func(input string, res result, vs string) {
		fmt.Printf("| %s | %s | %s | %s | %s | %.0f MB | %s |\n", input, res.name, secs(res.min), secs(res.median), secs(res.cpu), float64(res.peakKB)/1024, vs)
	}
	faster := func(gw, peer result) string {
		return fmt.Sprintf("**%.0f× faster**, %.1f× less memory", ratio(peer.median, gw.median), float64(peer.peakKB)/float64(gw.peakKB))
	}
	relative := func(gw, base result) string {
		return fmt.Sprintf("**%.2f× the time**, %.2f× the memory", ratio(gw.median, base.median), float64(gw.peakKB)/float64(base.peakKB))
	}
	httpIn := "`.http`, 10,000 requests, " + size(httpFile)
	oasIn := "OpenAPI 3, 2,000 paths, " + size(oasFile)
	samIn := "SAM, 300 functions / 560 events, " + size(samFile)
	row(httpIn, gwHTTP, "")
	row(httpIn, httpyac, faster(gwHTTP, httpyac))
	row(oasIn, gwOAS, "")
	row(oasIn, spectralRes, faster(gwOAS, spectralRes))
	row(oasIn, ydOAS, relative(gwOAS, ydOAS))
	row(samIn, gwSAM, "")
	row(samIn, ydSAM, relative(gwSAM, ydSAM))
	tfIn := "Terraform, 100 files / 200 APIs / 2,000 methods, " + dirSize(tfDir)
	row(tfIn, gwTF, "")
	row(tfIn, hclTF, relative(gwTF, hclTF))
	var slsSize int64
	for _, f := range slsFiles {
		if fi, err := os.Stat(f); err == nil {
			slsSize += fi.Size()
		}
	}
	slsIn := fmt.Sprintf("Serverless, %d serverless.yml, %.1f MB", len(slsFiles), float64(slsSize)/1e6)
	row(slsIn, gwSLS, "")
	row(slsIn, ydSLS, relative(gwSLS, ydSLS))
	monoIn := fmt.Sprintf("Samples monorepo, %d folders / %d templates, %s", benchgen.MonorepoSamples, len(monoTemplates), dirSize(monoDir))
	row(monoIn, gwMono, "")
	row(monoIn, ydMono, relative(gwMono, ydMono))

	fmt.Println()
	fmt.Println("Targets (ratios of medians and of peak RSS, from this run):")
	target := func(ok bool, format string, args ...any) {
		mark := "met"
		if !ok {
			mark = "MISSED"
		}
		fmt.Printf("- %s: %s\n", fmt.Sprintf(format, args...), mark)
	}
	hr := ratio(httpyac.median, gwHTTP.median)
	target(hr >= 50, ".http: %.0f× faster than httpyac's parse (target ≥ 50×)", hr)
	sr := ratio(spectralRes.median, gwOAS.median)
	target(sr >= 15, "OpenAPI: %.0f× faster than spectral lint (target ≥ 15×)", sr)
	or := ratio(gwOAS.median, ydOAS.median)
	target(or <= 1.5, "OpenAPI: %.2f× the bare yaml.v3 decode (target ≤ 1.5×)", or)
	sm := ratio(gwSAM.median, ydSAM.median)
	target(sm <= 3, "SAM: %.2f× the bare yaml.v3 decode (target ≤ 3×)", sm)
	sl := ratio(gwSLS.median, ydSLS.median)
	target(sl <= 1.5, "Serverless: %.2f× the bare yaml.v3 decode (target ≤ 1.5×)", sl)
	om := float64(gwOAS.peakKB) / float64(ydOAS.peakKB)
	target(om <= 2, "OpenAPI: %.2f× the bare decode's peak RSS (target ≤ 2×)", om)
	smm := float64(gwSAM.peakKB) / float64(ydSAM.peakKB)
	target(smm <= 2, "SAM: %.2f× the bare decode's peak RSS (target ≤ 2×)", smm)
	tr := ratio(gwTF.median, hclTF.median)
	target(tr <= 1.5, "Terraform: %.2f× the bare hclsyntax parse (target ≤ 1.5×)", tr)
	mr := ratio(gwMono.median, ydMono.median)
	target(mr <= 3, "Samples monorepo: %.2f× the bare yaml.v3 decode of its templates (target ≤ 3×)", mr)
}

func ratio(a, b time.Duration) float64 { return float64(a) / float64(b) }

func secs(d time.Duration) string {
	if d < time.Second {
		return fmt.Sprintf("%.0f ms", float64(d)/float64(time.Millisecond))
	}
	return fmt.Sprintf("%.2f s", d.Seconds())
}

// machine describes the host: cores, CPU model, memory, OS.
func machine() string {
	cpu := "unknown CPU"
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, l := range strings.Split(string(b), "\n") {
			if k, v, ok := strings.Cut(l, ":"); ok && strings.TrimSpace(k) == "model name" {
				cpu = strings.TrimSpace(v)
				break
			}
		}
	}
	mem := ""
	if b, err := os.ReadFile("/proc/meminfo"); err == nil {
		for _, l := range strings.Split(string(b), "\n") {
			if v, ok := strings.CutPrefix(l, "MemTotal:"); ok {
				var kb int64
				fmt.Sscan(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), &kb)
				mem = fmt.Sprintf(", %.0f GiB RAM", float64(kb)/(1<<20))
			}
		}
	}
	return fmt.Sprintf("%d cores (%s)%s, %s/%s", runtime.NumCPU(), cpu, mem, runtime.GOOS, runtime.GOARCH)
}

// loadAverage returns the 1-minute load average, or "?".
func loadAverage() string {
	if b, err := os.ReadFile("/proc/loadavg"); err == nil {
		if f := strings.Fields(string(b)); len(f) >= 1 {
			return f[0]
		}
	}
	return "?"
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "compare:", err)
	os.Exit(1)
}

// dirSize sums the sizes of the files under dir, as "2.4 MB".
func dirSize(dir string) string {
	var n int64
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() {
			fi, err := d.Info()
			if err != nil {
				return err
			}
			n += fi.Size()
		}
		return nil
	})
	if err != nil {
		fail(err)
	}
	return fmt.Sprintf("%.1f MB", float64(n)/1e6)
}
