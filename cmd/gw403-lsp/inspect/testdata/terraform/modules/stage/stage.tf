variable "api_id" {}

resource "aws_api_gateway_stage" "qa" {
  rest_api_id   = var.api_id
  deployment_id = "d"
  stage_name    = "qa"
}
