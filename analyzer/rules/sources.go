package rules

// The API definitions each rule reads, for the rule documentation
// ("Sources:"). Request rules read the linked API, whatever defined it;
// template rules read what their finding points at. Rules that read only
// request, env and config files have no entry.
var sources = map[string][]string{
	"GW001": {SAM, CloudFormation, OpenAPI, Terraform},
	"GW101": linked, "GW102": linked, "GW111": linked, "GW115": linked, "GW116": linked,
	"GW121": linked, "GW122": linked, "GW131": linked, "GW132": linked, "GW141": linked,
	"GW142": linked, "GW152": linked, "GW161": linked, "GW171": linked, "GW181": linked,
	"GW201": {SAM, CloudFormation, OpenAPI, Terraform},
	"GW202": {SAM, CloudFormation, Terraform},
	"GW203": {CloudFormation, Terraform},
	"GW204": {SAM, CloudFormation, OpenAPI, Terraform},
	"GW205": {SAM, CloudFormation, OpenAPI, Terraform},
	"GW211": {SAM, CloudFormation, OpenAPI, Terraform},
	"GW212": {SAM, CloudFormation, OpenAPI, Terraform},
	"GW213": {SAM, CloudFormation, OpenAPI, Terraform},
	"GW214": {SAM, CloudFormation, OpenAPI, Terraform},
	"GW221": {CloudFormation, Terraform},
	"GW222": {CloudFormation, Terraform},
	"GW231": {SAM, CloudFormation, OpenAPI, Terraform},
	"GW232": {CloudFormation, Terraform},
	"GW233": {SAM, CloudFormation, Terraform},
	"GW251": {CloudFormation, Terraform},
}

// Names of the API definition sources.
const (
	SAM            = "SAM"
	CloudFormation = "CloudFormation"
	OpenAPI        = "OpenAPI"
	Terraform      = "Terraform"
)

// linked is what a request rule reads through the API a request links to.
var linked = []string{SAM, CloudFormation, OpenAPI, Terraform}

// Sources returns the API definitions rule code reads (nil for rules that
// read no API definition).
func Sources(code string) []string { return sources[code] }
