package benchgen

import (
	"strings"
	"testing"
)

func TestDeterministic(t *testing.T) {
	a, b := All(), All()
	if len(a) != len(b) {
		t.Fatalf("All() gives %d then %d files", len(a), len(b))
	}
	for p, text := range a {
		if b[p] != text {
			t.Errorf("All()[%q] differs between calls", p)
		}
	}
}

func TestSizes(t *testing.T) {
	for _, tc := range []struct {
		name     string
		text     string
		min, max int
		count    string
		want     int
	}{
		{"big .http", BigHTTP(), 2_000_000, 2_600_000, "\n### ", 10000},
		{"big OpenAPI", string(BigOpenAPI()), 4_000_000, 6_500_000, "x-amazon-apigateway-integration:", 3*2000 + 667}, // get, post, options or ANY; delete on every third path,
		{"big SAM", string(BigSAM()), 100_000, 400_000, "Type: Api\n", 560},
	} {
		if n := len(tc.text); n < tc.min || n > tc.max {
			t.Errorf("%s: %d bytes, want %d–%d", tc.name, n, tc.min, tc.max)
		}
		if got := strings.Count(tc.text, tc.count); got != tc.want {
			t.Errorf("%s: %d × %q, want %d", tc.name, got, tc.count, tc.want)
		}
	}
}

func TestWorkspaceShape(t *testing.T) {
	fs := Workspace(WorkspaceOptions{Services: 8, Requests: 10})
	var templates, requests, envs int
	for p, text := range fs {
		switch {
		case strings.HasSuffix(p, "/template.yaml"):
			templates++
			if !strings.Contains(text, "Transform: AWS::Serverless-2016-10-31") {
				t.Errorf("%s is not a SAM template", p)
			}
		case strings.HasSuffix(p, ".http"):
			requests++
			if got := strings.Count(text, "\n### "); got != 10 {
				t.Errorf("%s has %d requests, want 10", p, got)
			}
		case strings.HasSuffix(p, "env.json"):
			envs++
		}
	}
	if templates != 8 || requests != 8 || envs != 16 {
		t.Errorf("%d templates, %d request files, %d env files; want 8, 8, 16", templates, requests, envs)
	}
	cfg := fs[RootMarker]
	for i := 0; i < 8; i++ {
		listed := strings.Contains(cfg, "ids: ["+APIID(i)+"]")
		if listed != (i%2 == 0) {
			t.Errorf(".gw403.yaml lists service %d: %v, want %v", i, listed, i%2 == 0)
		}
	}
}

func TestAPIIDsAreDistinct(t *testing.T) {
	seen := map[string]int{}
	for i := 0; i < 5000; i++ {
		id := APIID(i)
		if len(id) != 10 || strings.Trim(id, "abcdefghijklmnopqrstuvwxyz0123456789") != "" {
			t.Fatalf("APIID(%d) = %q, want 10 lower-case alphanumerics", i, id)
		}
		if j, dup := seen[id]; dup {
			t.Fatalf("APIID(%d) = APIID(%d) = %q", i, j, id)
		}
		seen[id] = i
	}
}

func TestMonorepoShape(t *testing.T) {
	fs := Monorepo(MonorepoOptions{})
	var yamlJSON, templates, openapi, requests, vendor int
	for p, text := range fs {
		if strings.HasSuffix(p, ".yaml") || strings.HasSuffix(p, ".yml") || strings.HasSuffix(p, ".json") {
			yamlJSON++
		}
		if strings.HasPrefix(p, "vendor/") || strings.Contains(p, "/data/") {
			vendor += len(text)
			if strings.Contains(text, "AWSTemplateFormatVersion") || strings.Contains(text, "openapi") {
				t.Errorf("%s: vendored JSON looks like a template or OpenAPI document", p)
			}
		}
		if strings.Contains(text, "AWSTemplateFormatVersion") {
			templates++
		}
		if strings.HasPrefix(text, "openapi: ") {
			openapi++
		}
		if strings.HasSuffix(p, ".http") {
			requests++
		}
	}
	if yamlJSON < 4500 || yamlJSON > 5500 {
		t.Errorf("%d YAML/JSON files, want about 5,000", yamlJSON)
	}
	if templates != 580 {
		t.Errorf("%d templates, want 580", templates)
	}
	listed := 0
	for i := 0; i < MonorepoSamples; i++ {
		if p := MonorepoTemplatePath(i); p != "" {
			listed++
			if !strings.Contains(fs[p], "AWSTemplateFormatVersion") {
				t.Errorf("MonorepoTemplatePath(%d) = %s is not a template", i, p)
			}
		}
	}
	if listed != templates {
		t.Errorf("MonorepoTemplatePath lists %d templates, want %d", listed, templates)
	}
	if openapi == 0 || requests != len(MonorepoHTTPSamples) {
		t.Errorf("%d OpenAPI documents and %d request files, want some and %d", openapi, requests, len(MonorepoHTTPSamples))
	}
	if vendor < 85_000_000 || vendor > 95_000_000 {
		t.Errorf("%d bytes of vendored JSON, want about 90 MB", vendor)
	}
	small := Monorepo(MonorepoOptions{Samples: 10, VendorMB: 1})
	if again := Monorepo(MonorepoOptions{Samples: 10, VendorMB: 1}); len(again) != len(small) {
		t.Fatalf("Monorepo gives %d then %d files", len(small), len(again))
	}
	for p, text := range Monorepo(MonorepoOptions{Samples: 10, VendorMB: 1}) {
		if small[p] != text {
			t.Errorf("Monorepo()[%q] differs between calls", p)
		}
	}
}
