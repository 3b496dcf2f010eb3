package rules

import "github.com/gw403/gw403-lsp/schemas/apimodel"

// The API definitions each rule reads, for the rule documentation
// ("Sources:"). Request rules read the linked API, whatever defined it;
// template rules read what their finding points at. Rules that read only
// request, env and config files have no entry.
var sources = map[string][]string{
	"GW001": {SAM, CloudFormation, OpenAPI, Terraform, Serverless},
	"GW003": {CDK},
	"GW101": linked, "GW102": linked, "GW111": linked, "GW115": linked, "GW116": linked,
	"GW121": linked, "GW122": linked, "GW131": linked, "GW132": linked, "GW141": linked,
	"GW142": linked, "GW152": linked, "GW161": linked, "GW171": linked, "GW181": linked,
	"GW201": {SAM, CloudFormation, OpenAPI, Terraform, Serverless, CDK},
	"GW202": {SAM, CloudFormation, Terraform, Serverless, CDK},
	"GW203": {CloudFormation, Terraform, Serverless, CDK},
	"GW204": {SAM, CloudFormation, OpenAPI, Terraform, CDK},
	"GW205": {SAM, CloudFormation, OpenAPI, Terraform, Serverless, CDK},
	"GW211": {SAM, CloudFormation, OpenAPI, Terraform, Serverless, CDK},
	"GW212": {SAM, CloudFormation, OpenAPI, Terraform, Serverless, CDK},
	"GW213": {SAM, CloudFormation, OpenAPI, Terraform, Serverless, CDK},
	"GW214": {SAM, CloudFormation, OpenAPI, Terraform, Serverless, CDK},
	"GW221": {CloudFormation, Terraform, CDK},
	"GW222": {CloudFormation, Terraform, CDK},
	"GW231": {SAM, CloudFormation, OpenAPI, Terraform, Serverless, CDK},
	"GW232": {CloudFormation, Terraform, CDK},
	"GW233": {SAM, CloudFormation, Terraform, Serverless, CDK},
	"GW241": {SAM, CloudFormation, OpenAPI, CDK},
	"GW251": {CloudFormation, Terraform, CDK},
}

// Names of the API definition sources.
const (
	SAM            = "SAM"
	CloudFormation = "CloudFormation"
	OpenAPI        = "OpenAPI"
	Terraform      = "Terraform"
	Serverless     = "Serverless Framework"
	// CDK is the CloudFormation `cdk synth` writes to cdk.out: every rule
	// that reads CloudFormation reads it.
	CDK = "CDK (cdk.out)"
)

// linked is what a request rule reads through the API a request links to.
var linked = []string{SAM, CloudFormation, OpenAPI, Terraform, Serverless, CDK}

// Sources returns the API definitions rule code reads (nil for rules that
// read no API definition).
func Sources(code string) []string { return sources[code] }

// settingName names a setting as the API's source writes it: the
// CloudFormation property (SAM, CloudFormation, OpenAPI and CDK), the
// Terraform argument or the serverless.yml key.
func settingName(o apimodel.Origin, cfn, tf, sls string) string {
	switch o {
	case apimodel.Terraform:
		return tf
	case apimodel.Serverless:
		return sls
	}
	return cfn
}
