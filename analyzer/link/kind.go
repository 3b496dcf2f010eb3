package link

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

// HasDependents reports whether a change to a file of kind k can change
// the findings of request files (Dependents names them): an API definition
// (a template, an OpenAPI document, Terraform, a serverless.yml, a CDK
// app's cdk.json), an env file or the configuration.
func (k FileKind) HasDependents() bool {
	switch k {
	case KindTemplate, KindOpenAPI, KindTerraform, KindServerless, KindCDKApp, KindEnv, KindConfig:
		return true
	}
	return false
}
