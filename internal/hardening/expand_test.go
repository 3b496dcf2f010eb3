package hardening

import (
	"bufio"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Attacks on expansion: a few hundred bytes of variables that refer to
// each other (in cycles, through every kind of indirection, or ten times
// over, level after level), templates whose intrinsics build gigabytes,
// and request files that are cheap to write and costly to read. Each CLI
// run gets a guard, so that a regression fails the test instead of the
// machine: 3 GB of address space and 60 s of CPU (a runaway, not a
// measure: every input here takes well under a second and the targets are
// 10 s and 1 GB).

// runGuarded is runCLI under the guard. A process that runs out of either
// fails the test (killed by a signal, or a Go fatal error).
func runGuarded(t *testing.T, dir string, args ...string) cliResult {
	t.Helper()
	argv := append([]string{"/bin/sh", "-c", `ulimit -v 3000000; ulimit -t 60; exec "$0" "$@"`, gw403(t)}, args...)
	res := runArgv(t, dir, nil, argv)
	if strings.Contains(res.stderr, "fatal error") || strings.Contains(res.stderr, "out of memory") {
		t.Fatalf("%s: crashed\nstderr: %s", strings.Join(args, " "), tail(res.stderr))
	}
	if res.peakMB > 1024 {
		t.Errorf("%s: peak RSS %.0f MB, want ≤ 1 GB", strings.Join(args, " "), res.peakMB)
	}
	return res
}

// writeRepeated writes head then unit repeated up to size bytes.
func writeRepeated(t *testing.T, path, head, unit string, size int) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	w := bufio.NewWriterSize(f, 1<<16)
	w.WriteString(head)
	for n := len(head); n+len(unit) <= size; n += len(unit) {
		w.WriteString(unit)
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
}

// laughs returns variables a0 … a<levels> where a0 is leaf and each next
// one is the previous one ten times.
func laughs(leaf string, levels int) [][2]string {
	out := [][2]string{{"a0", leaf}}
	for i := 1; i <= levels; i++ {
		out = append(out, [2]string{"a" + itoa(i), strings.Repeat("{{a"+itoa(i-1)+"}}", 10)})
	}
	return out
}

func fileVars(vars [][2]string) string {
	var b strings.Builder
	for _, v := range vars {
		b.WriteString("@" + v[0] + " = " + v[1] + "\n")
	}
	return b.String()
}

func envObject(vars [][2]string) map[string]string {
	m := map[string]string{}
	for _, v := range vars {
		m[v[0]] = v[1]
	}
	return m
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestExpandCyclesThroughEveryIndirection: a variable that reaches itself
// through `{{$dotenv %name}}`, `{{$processEnv %name}}`, `{{$shared x}}`,
// `{{$dotenv X}}`, env files and request variables overflowed the stack (a
// fatal error no recover catches). Each is now an unresolved variable.
func TestExpandCyclesThroughEveryIndirection(t *testing.T) {
	files := goodFiles()
	for name, text := range map[string]string{
		"cyc/dotenv-key.http":  "@d = {{$dotenv %d}}\nGET https://example.com/{{d}}\n",
		"cyc/process-key.http": "@p = {{$processEnv %p}}\nGET https://example.com/{{p}}\n",
		"cyc/dotenv.http":      "GET https://example.com/{{$dotenv K}}/{{$dotenv %k}}\n",
		"cyc/shared.http":      "GET https://example.com/{{$shared h}}/{{h}}/{{e}}\n",
		"cyc/request-var.http": "###\n@r = {{$dotenv %r}}\nGET https://example.com/{{r}}\n",
		"cyc/mixed.http":       "@m = {{$shared m}}\nGET https://example.com/{{m}}/{{k}}\nx-api-key: {{$dotenv %m}}\n",
	} {
		files[name] = text
	}
	files["cyc/.env"] = "K={{$dotenv K}}\nk={{$dotenv %k}}\nm={{m}}\n"
	files["cyc/http-client.env.json"] = `{"$shared": {"h": "{{$shared h}}", "m": "{{$dotenv m}}"}, "dev": {"h": "{{h}}", "e": "{{$dotenv %e}}", "k": "{{$shared k}}"}}`
	dir := newWorkspace(t, files)
	for _, args := range [][]string{
		{"check", "--color", "never", "."},
		{"inspect", "cyc"},
		{"inspect", "--format", "json", "cyc"},
		{"check", "--env", "dev", "cyc/dotenv-key.http"},
	} {
		res := runGuarded(t, dir, args...)
		if args[len(args)-1] == "." {
			checkGoodStillChecked(t, findings(res.stdout))
		}
	}
}

// TestVariableBillionLaughs: ten levels of ten references expand to 10 GB
// from under a kilobyte, in a request file, an env file or VS Code
// settings. The variable is left unresolved, and one GW001 says which
// variable and which limit.
func TestVariableBillionLaughs(t *testing.T) {
	tenX := laughs("xxxxxxxxxx", 10) // nested references run out first
	wide := laughs(strings.Repeat("x", 1000), 6)
	cases := []struct {
		name  string
		files map[string]string
		want  []string // in the one GW001
	}{
		{"http file", map[string]string{"lol/api.http": fileVars(tenX) + "GET https://example.com/{{a10}}\n###\nGET https://example.com/x/{{a10}}\n"}, []string{"a10", "1,024 nested variable references"}},
		{"value size", map[string]string{"lol/api.http": fileVars(wide) + "GET https://example.com/{{a6}}\n"}, []string{"a6", "64 KiB per expanded variable value"}},
		{"env file", map[string]string{
			"lol/api.http":             strings.Repeat("GET https://example.com/{{a10}}\n###\n", 1000),
			"lol/http-client.env.json": mustJSON(t, map[string]any{"dev": envObject(tenX)}),
		}, []string{"{{a10}}", "http-client.env.json, env dev", "1,024"}},
		{"vscode settings", map[string]string{
			"lol/api.http":          "GET https://example.com/{{a10}}\nx-api-key: {{a10}}\n",
			".vscode/settings.json": mustJSON(t, map[string]any{"rest-client.environmentVariables": map[string]any{"$shared": envObject(tenX), "dev": map[string]string{}}}),
		}, []string{"{{a10}}", "1,024"}},
		{"request text", map[string]string{"lol/api.http": fileVars(laughs(strings.Repeat("x", 500), 2)) +
			"GET https://example.com/{{a2}}\na: {{a2}}\nb: {{a2}}\nc: {{a2}}\nd: {{a2}}\ne: {{a2}}\nf: {{a2}}\n"}, []string{"256 KiB of variable values per request"}},
		// Each request has its budget: 10,000 requests that use the bomb
		// cost 10,000 budgets, one finding.
		{"every request", map[string]string{"lol/api.http": fileVars(tenX) + strings.Repeat("###\nGET https://example.com/{{a10}}\nx-api-key: {{a9}}\n", 10000)}, []string{"a10", "1,024"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			files := goodFiles()
			for k, v := range c.files {
				files[k] = v
			}
			dir := newWorkspace(t, files)
			res := runGuarded(t, dir, "check", "--color", "never", ".")
			fs := findings(res.stdout)
			checkGoodStillChecked(t, fs)
			var limit []finding
			for _, f := range fs {
				if f.code == "GW001" && strings.HasSuffix(f.path, "lol/api.http") {
					limit = append(limit, f)
				}
			}
			if len(limit) != 1 {
				t.Fatalf("want one GW001 in lol/api.http, got %d:\n%s", len(limit), res.stdout)
			}
			for _, w := range c.want {
				if !strings.Contains(limit[0].line, w) {
					t.Errorf("the GW001 does not say %q: %s", w, limit[0].line)
				}
			}
			runGuarded(t, dir, "inspect", "lol")
		})
	}
}

// TestTemplateAmplification: `!Sub` of a 1 MB parameter 3,000 times, and
// `!Join` of `!Join`s over YAML aliases, built gigabytes; one such
// template under the root also killed `check` of an unrelated file.
func TestTemplateAmplification(t *testing.T) {
	const head = "AWSTemplateFormatVersion: '2010-09-09'\nTransform: AWS::Serverless-2016-10-31\n"
	sub := head + "Parameters:\n  P:\n    Type: String\n    Default: " + strings.Repeat("x", 1<<20) +
		"\nResources:\n  Api:\n    Type: AWS::Serverless::Api\n    Properties:\n      StageName: !Sub \"" + strings.Repeat("${P}", 3000) + "\"\n"
	join := head + "Parameters:\n  P:\n    Type: String\n    Default: " + strings.Repeat("y", 100000) +
		"\nMetadata:\n  L0: &l0 !Join ['', [" + strings.TrimSuffix(strings.Repeat("!Ref P, ", 10), ", ") + "]]\n"
	for i := 1; i <= 7; i++ {
		join += "  L" + itoa(i) + ": &l" + itoa(i) + " !Join ['', [" + strings.TrimSuffix(strings.Repeat("*l"+itoa(i-1)+", ", 10), ", ") + "]]\n"
	}
	join += "Resources:\n  Api:\n    Type: AWS::Serverless::Api\n    Properties:\n      StageName: *l7\n"
	// 1,500 APIs each named after a 1 MB parameter: each value is in
	// bounds, the model would keep 1.5 GB of them.
	var many strings.Builder
	many.WriteString(head + "Parameters:\n  P:\n    Type: String\n    Default: " + strings.Repeat("z", 1<<20) + "\nResources:\n")
	for i := 0; i < 1500; i++ {
		many.WriteString("  Api" + itoa(i) + ":\n    Type: AWS::Serverless::Api\n    Properties:\n      StageName: !Sub \"${P}-" + itoa(i) + "\"\n")
	}
	files := goodFiles()
	files["amp/many/template.yaml"] = many.String()
	files["amp/sub/template.yaml"] = sub
	files["amp/join/template.yaml"] = join
	files["other/one.http"] = "GET https://example.com/\n"
	dir := newWorkspace(t, files)
	runGuarded(t, dir, "check", "--color", "never", "other/one.http")
	res := runGuarded(t, dir, "check", "--color", "never", ".")
	fs := findings(res.stdout)
	checkGoodStillChecked(t, fs)
	for p, limit := range map[string]string{"amp/sub/template.yaml": "4 MiB", "amp/join/template.yaml": "4 MiB", "amp/many/template.yaml": "64 MiB"} {
		n := 0
		for _, f := range fs {
			if f.code == "GW001" && strings.HasSuffix(f.path, p) {
				n++
				if !strings.Contains(f.line, limit) {
					t.Errorf("%s: the GW001 does not name the limit: %s", p, f.line)
				}
			}
		}
		if n != 1 {
			t.Errorf("%s: %d GW001, want one naming the limit:\n%s", p, n, res.stdout)
		}
	}
	// (inspect would print the stage names of amp/many: 64 MiB of them.)
	runGuarded(t, dir, "inspect", "amp/sub", "amp/join", "other")
}

// TestDeepBodies: FindNode computed the end of every node it passed, each
// costing its depth: a template with 40 API bodies 10,000 levels deep took
// minutes.
func TestDeepBodies(t *testing.T) {
	var b strings.Builder
	b.WriteString("AWSTemplateFormatVersion: '2010-09-09'\nTransform: AWS::Serverless-2016-10-31\nResources:\n")
	for i := 0; i < 40; i++ {
		b.WriteString("  Api" + itoa(i) + ":\n    Type: AWS::Serverless::Api\n    Properties:\n      StageName: prod\n      DefinitionBody:\n        openapi: 3.0.1\n        paths:\n          /orders:\n            get:\n              x-deep: " + deep(10000, "[", "]") + "\n")
	}
	files := goodFiles()
	files["deep/template.yaml"] = b.String()
	files["deep/api.http"] = "GET https://abcdefghij.execute-api.us-east-1.amazonaws.com/prod/orders\n"
	dir := newWorkspace(t, files)
	res := runGuarded(t, dir, "check", "--color", "never", ".")
	checkGoodStillChecked(t, findings(res.stdout))
}

// TestManyReferencesOnOneLine: a 2 MB line of 400,000 `{{x}}` was
// quadratic (every part of the expansion compared with every range), and
// so was a line of 150,000 different names (each compared with the
// unresolved names before it).
func TestManyReferencesOnOneLine(t *testing.T) {
	files := goodFiles()
	files["refs/api.http"] = "GET https://example.com/" + strings.Repeat("{{x}}", 400000) + "\nx-api-key: " + strings.Repeat("{{$guid}}", 100000) + "\n"
	var distinct strings.Builder
	distinct.WriteString("GET https://example.com/")
	for i := 0; i < 150000; i++ {
		distinct.WriteString("{{x" + itoa(i) + "}}")
	}
	files["refs/distinct.http"] = distinct.String() + "\n"
	dir := newWorkspace(t, files)
	res := runGuarded(t, dir, "check", "--color", "never", ".")
	checkGoodStillChecked(t, findings(res.stdout))
}

// TestRequestFileOfManyRequests: 33 MB of `GET /` requests (3.3 million,
// under the 32 MiB file cap) took 4.7 GB; so did millions of headers or
// variables. A file is read up to its limits and one GW001 says where.
func TestRequestFileOfManyRequests(t *testing.T) {
	for name, unit := range map[string]string{
		"requests":    "GET /\n###\n",
		"headers":     "A: b\n",
		"variables":   "@x = y\n",
		"query lines": "  &a=b\n",
	} {
		t.Run(name, func(t *testing.T) {
			head := "GET https://example.com/{{x}}\n"
			if name == "requests" || name == "variables" {
				head = ""
			}
			dir := newWorkspace(t, goodFiles())
			// Written piece by piece: the test process stays small (the
			// peak of the processes it starts includes its own).
			writeRepeated(t, filepath.Join(dir, "many", "api.http"), head, unit, 33_000_000)
			res := runGuarded(t, dir, "check", "--color", "never", ".")
			fs := findings(res.stdout)
			checkGoodStillChecked(t, fs)
			n := 0
			for _, f := range fs {
				if f.code == "GW001" && strings.HasSuffix(f.path, "many/api.http") && strings.Contains(f.line, "limit") {
					n++
				}
			}
			if n != 1 {
				t.Errorf("want one GW001 naming the limit in many/api.http:\n%s", tail(res.stdout))
			}
		})
	}
}
