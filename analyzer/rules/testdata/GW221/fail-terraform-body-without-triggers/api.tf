# 予約 API: the definition is an OpenAPI document next to this file.
resource "aws_api_gateway_rest_api" "bookings" {
  name = "bookings-${var.env}"
  body = templatefile("${path.module}/openapi.yaml", {
    lambda_arn = var.lambda_arn
  })

  endpoint_configuration {
    types = ["REGIONAL"]
  }
}

resource "aws_api_gateway_deployment" "bookings" { # want GW221 "aws_api_gateway_deployment.bookings has no triggers: the methods of aws_api_gateway_rest_api.bookings are in its body"
  rest_api_id = aws_api_gateway_rest_api.bookings.id
  description = "managed by Terraform"
}

resource "aws_api_gateway_stage" "live" {
  rest_api_id   = aws_api_gateway_rest_api.bookings.id
  deployment_id = aws_api_gateway_deployment.bookings.id
  stage_name    = "live"
}
