package inspect

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/gw403/gw403-lsp/analyzer/workspace"
)

// TestTerraformInspectLines: the API model of a Terraform configuration,
// with a local module, as inspect shows it: each definition at its own
// 1-based line of its own file.
func TestTerraformInspectLines(t *testing.T) {
	dir, err := filepath.Abs(filepath.Join("testdata", "terraform"))
	if err != nil {
		t.Fatal(err)
	}
	ins, err := Build(context.Background(), workspace.New(dir, workspace.Options{}), []string{dir})
	if err != nil {
		t.Fatal(err)
	}
	if len(ins.APIs) != 1 {
		t.Fatalf("APIs = %+v", ins.APIs)
	}
	a := ins.APIs[0]
	if a.At.Path != "main.tf" || a.At.Line != 2 {
		t.Errorf("API at %+v", a.At)
	}
	if len(a.Routes) != 1 || a.Routes[0].Line != 12 || a.Routes[0].Definition != "aws_api_gateway_method.get_order" {
		t.Errorf("routes %+v", a.Routes)
	}
	var qa *InspectStage
	for i := range a.Stages {
		if a.Stages[i].Name == "qa" {
			qa = &a.Stages[i]
		}
	}
	if qa == nil || qa.File != "modules/stage/stage.tf" || qa.Line != 6 {
		t.Errorf("stages %+v", a.Stages)
	}
	if len(a.Deployments) != 1 || a.Deployments[0].Line != 26 || a.Deployments[0].Triggers != 28 {
		t.Errorf("deployments %+v", a.Deployments)
	}
}
