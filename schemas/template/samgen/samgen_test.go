package samgen

import (
	"bytes"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

func TestTemplate(t *testing.T) {
	a, b := Template(Options{}), Template(Options{})
	if !bytes.Equal(a, b) {
		t.Fatalf("two runs differ")
	}
	var n yaml.Node
	if err := yaml.Unmarshal(a, &n); err != nil {
		t.Fatalf("generated template does not parse: %v", err)
	}
	if got := strings.Count(string(a), "Type: AWS::Serverless::Function\n"); got != DefaultFunctions+1 {
		t.Errorf("%d functions, want %d (and the authorizer)", got, DefaultFunctions+1)
	}
	if got := strings.Count(string(a), "Type: Api\n"); got != DefaultEvents {
		t.Errorf("%d Api events, want %d", got, DefaultEvents)
	}
}
