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
