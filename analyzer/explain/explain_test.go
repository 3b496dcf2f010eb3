package explain

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gw403/gw403-lsp/schemas/capture"
)

// parseFixture parses one fixture file the way the CLI does.
func parseFixture(t *testing.T, path string) *capture.Capture {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	dir := filepath.Dir(path)
	c, err := capture.Parse(f, capture.Options{Name: path, OpenRef: func(n string) (io.ReadCloser, error) {
		return os.Open(filepath.Join(dir, filepath.Base(n)))
	}})
	if err != nil {
		t.Fatalf("capture.Parse(%s) error: %v", path, err)
	}
	return c
}

func explainFixture(t *testing.T, path string) []*Diagnosis {
	t.Helper()
	ds, err := Explain(context.Background(), parseFixture(t, path), Options{})
	if err != nil {
		t.Fatalf("Explain(%s) error: %v", path, err)
	}
	return ds
}

func ids(cs []Cause) []string {
	var out []string
	for _, c := range cs {
		out = append(out, c.ID+"/"+c.Confidence.String())
	}
	return out
}

// TestSeedTable checks every seed row in every input form: the expected
// cause is ranked first (alone, or tied with at most two others that the
// input cannot tell apart).
func TestSeedTable(t *testing.T) {
	for _, s := range scenarios {
		files := append([]string{}, forms...)
		if s.responseOnly {
			files = append(files, "response.txt")
		}
		for _, form := range files {
			path := filepath.Join("testdata", "seed", s.name, form)
			if form == "history" {
				path = filepath.Join(path, "http-requests-log.http")
			}
			t.Run(s.name+"/"+form, func(t *testing.T) {
				ds := explainFixture(t, path)
				if len(ds) != 1 {
					t.Fatalf("got %d diagnoses, want 1", len(ds))
				}
				want := s.want[form]
				if want == "" {
					want = s.want["*"]
				}
				top := ds[0].Top()
				found := false
				for _, c := range top {
					found = found || c.ID == want
				}
				if !found {
					t.Errorf("top causes = %v, want %q among them (all: %v)", ids(top), want, ids(ds[0].Causes))
				}
				if len(top) > 3 {
					t.Errorf("%d causes tie for first (%v); the diagnosis says too little", len(top), ids(top))
				}
			})
		}
	}
}

// TestSeedFixturesFresh fails when the generated fixtures differ from
// what the scenarios produce (run the generator with -update).
func TestSeedFixturesFresh(t *testing.T) {
	for _, s := range scenarios {
		dir := filepath.Join("testdata", "seed", s.name)
		for name, want := range map[string]string{"curl-v.txt": s.curlV(), "har.har": s.har(), "jetbrains.txt": s.jetbrains()} {
			got, err := os.ReadFile(filepath.Join(dir, name))
			if err != nil {
				t.Fatalf("%v (run go test ./analyzer/explain -run TestWriteSeedFixtures -update)", err)
			}
			if string(got) != want {
				t.Errorf("%s/%s is stale; run go test ./analyzer/explain -run TestWriteSeedFixtures -update", s.name, name)
			}
		}
	}
}

func TestNotAPIGatewaySaysSo(t *testing.T) {
	for _, name := range []string{"18-cloudfront", "19-proxy"} {
		ds := explainFixture(t, filepath.Join("testdata", "seed", name, "curl-v.txt"))
		d := ds[0]
		if d.Origin == OriginAPIGateway || !strings.Contains(d.Causes[0].Title.EN, "not from API Gateway") ||
			!strings.Contains(d.Causes[0].Title.JA, "API Gateway ではなく") {
			t.Errorf("%s: origin %v, first cause %q; want it to say the 403 is not from API Gateway", name, d.Origin, d.Causes[0].Title.EN)
		}
	}
}
