package benchgen

import (
	"fmt"
	"strings"
)

// Terraform sizes of BigTerraform.
const (
	TerraformFiles   = 100
	TerraformAPIs    = 200 // two per file
	TerraformMethods = 2000
)

var tfVerbs = []string{"GET", "POST", "PUT", "DELETE", "PATCH"}

// TerraformAPI returns the Terraform of REST API number i, named
// api<i>: its resources, methods and integrations, a deployment whose
// triggers hash them, a stage and a usage plan. Every third method
// requires an API key, every fifth uses AWS_IAM.
func TerraformAPI(i, methods int) string {
	var b strings.Builder
	name := fmt.Sprintf("api%03d", i)
	fmt.Fprintf(&b, `# Service %[1]s (generated)
resource "aws_api_gateway_rest_api" "%[1]s" {
  name        = "${local.prefix}-%[1]s"
  description = "Service %[1]s"

  endpoint_configuration {
    types = ["REGIONAL"]
  }

  tags = merge(local.tags, { Service = "%[1]s" })
}

resource "aws_lambda_function" "%[1]s" {
  function_name = "${local.prefix}-%[1]s"
  role          = var.lambda_role_arn
  runtime       = "python3.12"
  handler       = "app.handler"
  filename      = "${path.module}/build/%[1]s.zip"
}
`, name)
	resources := (methods + 1) / 2
	for r := 0; r < resources; r++ {
		fmt.Fprintf(&b, `
resource "aws_api_gateway_resource" "%[1]s_r%[2]d" {
  rest_api_id = aws_api_gateway_rest_api.%[1]s.id
  parent_id   = aws_api_gateway_rest_api.%[1]s.root_resource_id
  path_part   = "items%[2]d"
}

resource "aws_api_gateway_resource" "%[1]s_r%[2]d_id" {
  rest_api_id = aws_api_gateway_rest_api.%[1]s.id
  parent_id   = aws_api_gateway_resource.%[1]s_r%[2]d.id
  path_part   = "{id}"
}
`, name, r)
	}
	var ids []string
	for m := 0; m < methods; m++ {
		res := fmt.Sprintf("%s_r%d", name, m/2)
		if m%2 == 1 {
			res += "_id"
		}
		auth := `"NONE"`
		if m%5 == 4 {
			auth = `"AWS_IAM"`
		}
		key := "false"
		if m%3 == 0 {
			key = "true"
		}
		key_ := fmt.Sprintf("%s_m%d", name, m)
		fmt.Fprintf(&b, `
resource "aws_api_gateway_method" "%[1]s" {
  rest_api_id      = aws_api_gateway_rest_api.%[2]s.id
  resource_id      = aws_api_gateway_resource.%[3]s.id
  http_method      = "%[4]s"
  authorization    = %[5]s
  api_key_required = %[6]s
}

resource "aws_api_gateway_integration" "%[1]s" {
  rest_api_id             = aws_api_gateway_rest_api.%[2]s.id
  resource_id             = aws_api_gateway_resource.%[3]s.id
  http_method             = aws_api_gateway_method.%[1]s.http_method
  integration_http_method = "POST"
  type                    = "AWS_PROXY"
  uri                     = aws_lambda_function.%[2]s.invoke_arn
}
`, key_, name, res, tfVerbs[m%len(tfVerbs)], auth, key)
		ids = append(ids, "      aws_api_gateway_method."+key_+".id,", "      aws_api_gateway_integration."+key_+".id,")
	}
	fmt.Fprintf(&b, `
resource "aws_api_gateway_deployment" "%[1]s" {
  rest_api_id = aws_api_gateway_rest_api.%[1]s.id

  triggers = {
    redeployment = sha1(jsonencode([
%[2]s
    ]))
  }

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_api_gateway_stage" "%[1]s" {
  rest_api_id   = aws_api_gateway_rest_api.%[1]s.id
  deployment_id = aws_api_gateway_deployment.%[1]s.id
  stage_name    = var.stage_name
  tags          = local.tags
}

resource "aws_api_gateway_usage_plan" "%[1]s" {
  name = "${local.prefix}-%[1]s"

  api_stages {
    api_id = aws_api_gateway_rest_api.%[1]s.id
    stage  = aws_api_gateway_stage.%[1]s.stage_name
  }
}

output "%[1]s_url" {
  value = aws_api_gateway_stage.%[1]s.invoke_url
}
`, name, strings.Join(ids, "\n"))
	return b.String()
}

// BigTerraform returns a Terraform root module of TerraformFiles files
// (apis/NNN.tf, two APIs of ten methods each per file) plus variables.tf,
// locals.tf and terraform.tfvars.
func BigTerraform() Files {
	fs := Files{
		"variables.tf": `variable "stage_name" {
  type    = string
  default = "dev"
}

variable "lambda_role_arn" {
  type = string
}
`,
		"locals.tf": `locals {
  prefix = "bench-${var.stage_name}"
  tags = {
    Project = "gw403-bench"
    Stage   = var.stage_name
  }
}
`,
		"terraform.tfvars": "stage_name      = \"prod\"\nlambda_role_arn = \"arn:aws:iam::123456789012:role/bench\"\n",
	}
	per := TerraformMethods / TerraformAPIs
	for f := 0; f < TerraformFiles; f++ {
		var b strings.Builder
		for j := 0; j < TerraformAPIs/TerraformFiles; j++ {
			b.WriteString(TerraformAPI(f*(TerraformAPIs/TerraformFiles)+j, per))
			b.WriteString("\n")
		}
		fs[fmt.Sprintf("apis/%03d.tf", f)] = b.String()
	}
	return fs
}

// TerraformLSP returns the files of the Terraform LSP benchmark: one API
// (main.tf, 20 methods) and requests.http of n requests against it.
func TerraformLSP(n int) Files {
	fs := Files{RootMarker: markerText}
	fs["main.tf"] = `variable "stage_name" {
  default = "prod"
}

variable "lambda_role_arn" {
  default = "arn:aws:iam::123456789012:role/bench"
}

locals {
  prefix = "bench"
  tags   = { Project = "gw403-bench" }
}

` + TerraformAPI(0, 20)
	var b strings.Builder
	b.WriteString("@host = https://" + APIID(0) + ".execute-api.us-east-1.amazonaws.com/prod\n\n")
	for i := 0; i < n; i++ {
		m := i % 20
		path := fmt.Sprintf("/items%d", m/2)
		if m%2 == 1 {
			path += fmt.Sprintf("/id-%d", i)
		}
		fmt.Fprintf(&b, "### request %d\n%s {{host}}%s\nAccept: application/json\n", i, tfVerbs[m%len(tfVerbs)], path)
		if i%2 == 0 {
			b.WriteString("x-api-key: {{apiKey}}\n")
		}
		b.WriteString("\n")
	}
	fs["requests.http"] = b.String()
	return fs
}
