package analyzer

import (
	"github.com/gw403/gw403-lsp/schemas/source"
)

// FileKind classifies a workspace file.
type FileKind int

const (
	KindOther      FileKind = iota
	KindHTTP                // .http / .rest request file
	KindTemplate            // SAM / CloudFormation template (YAML or JSON)
	KindOpenAPI             // OpenAPI 2 / 3 document (YAML or JSON)
	KindEnv                 // http-client(.private).env.json, .vscode/settings.json, .env*
	KindConfig              // .gw403.yaml
	KindTerraform           // Terraform configuration (*.tf) or variables (*.tfvars)
	KindServerless          // serverless.yml / serverless.yaml (Serverless Framework)
	KindCDKApp              // cdk.json (an AWS CDK app; its templates are in cdk.out)
)

func (k FileKind) String() string {
	switch k {
	case KindHTTP:
		return "http"
	case KindTemplate:
		return "template"
	case KindOpenAPI:
		return "openapi"
	case KindEnv:
		return "env"
	case KindConfig:
		return "config"
	case KindTerraform:
		return "terraform"
	case KindServerless:
		return "serverless"
	case KindCDKApp:
		return "cdk-app"
	}
	return "other"
}

// Hover is what the analyzer knows about a position: markdown in both
// languages and the span it applies to.
type Hover struct {
	Span     source.Span
	Markdown Text
}

// CompletionKind tells what a completion item inserts.
type CompletionKind int

const (
	CompleteHeader CompletionKind = iota
	CompleteVariable
	CompleteStage
	CompletePath
	CompleteSnippet
)

// Completion is one completion item. Replace is the span the inserted text
// replaces (the word being typed; empty for a pure insertion).
type Completion struct {
	Label      string
	Detail     Text
	Doc        Text
	InsertText string
	Kind       CompletionKind
	Replace    source.Span
}

// DocLink links a span of one file to a location in another (a request to
// the template route that serves it).
type DocLink struct {
	Span       source.Span
	Target     string // absolute path
	TargetSpan source.Span
	Tooltip    Text
}
