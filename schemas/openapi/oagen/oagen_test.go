package oagen

import (
	"bytes"
	"testing"

	"gopkg.in/yaml.v3"
)

func TestOpenAPI3YAMLIsDeterministicAndValid(t *testing.T) {
	a := OpenAPI3YAML(Options{Paths: 60})
	b := OpenAPI3YAML(Options{Paths: 60})
	if !bytes.Equal(a, b) {
		t.Fatalf("two runs differ")
	}
	var doc struct {
		OpenAPI string                    `yaml:"openapi"`
		Paths   map[string]map[string]any `yaml:"paths"`
	}
	if err := yaml.Unmarshal(a, &doc); err != nil {
		t.Fatalf("generated YAML does not parse: %v", err)
	}
	if doc.OpenAPI != "3.0.1" || len(doc.Paths) != 60 {
		t.Errorf("openapi=%q paths=%d, want 3.0.1 and 60", doc.OpenAPI, len(doc.Paths))
	}
}

func TestDefaultSize(t *testing.T) {
	n := len(OpenAPI3YAML(Options{}))
	if n < 4<<20 || n > 7<<20 {
		t.Errorf("default document is %d bytes, want about 5 MB", n)
	}
}
