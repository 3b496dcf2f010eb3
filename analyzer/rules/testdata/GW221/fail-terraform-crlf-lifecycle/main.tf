# 決済 API（Windows で編集: CRLF）
locals {
  api = "payments"
}

resource "aws_api_gateway_rest_api" "payments" {
  name = local.api
}

resource "aws_api_gateway_resource" "charges" {
  rest_api_id = aws_api_gateway_rest_api.payments.id
  parent_id   = aws_api_gateway_rest_api.payments.root_resource_id
  path_part   = "charges"
}

resource "aws_api_gateway_method" "charge" {
  for_each      = toset(["GET", "POST"])
  rest_api_id   = aws_api_gateway_rest_api.payments.id
  resource_id   = aws_api_gateway_resource.charges.id
  http_method   = each.key
  authorization = "AWS_IAM"
}

resource "aws_api_gateway_deployment" "payments" { # want GW221 "aws_api_gateway_deployment.payments has no triggers and does not depend on aws_api_gateway_method.charge:"
  rest_api_id = aws_api_gateway_rest_api.payments.id
  lifecycle {
    ignore_changes = [description]
  }
}

resource "aws_api_gateway_stage" "prod" {
  rest_api_id   = aws_api_gateway_rest_api.payments.id
  deployment_id = aws_api_gateway_deployment.payments.id
  stage_name    = "prod"
}
