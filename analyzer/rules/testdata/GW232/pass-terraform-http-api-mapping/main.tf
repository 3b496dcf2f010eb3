locals {
  tags = var.tags
}

resource "aws_apigatewayv2_api" "status" {
  name          = "status"
  protocol_type = "HTTP"
  tags          = local.tags
}

resource "aws_apigatewayv2_route" "status" {
  api_id    = aws_apigatewayv2_api.status.id
  route_key = "GET /status"
}

resource "aws_apigatewayv2_stage" "default" {
  api_id      = aws_apigatewayv2_api.status.id
  name        = "$default"
  auto_deploy = true
}

resource "aws_apigatewayv2_domain_name" "status" {
  domain_name = "status.example.com"

  domain_name_configuration {
    certificate_arn = "arn:aws:acm:eu-west-1:123456789012:certificate/1234abcd-12ab-34cd-56ef-1234567890ab"
    endpoint_type   = "REGIONAL"
    security_policy = "TLS_1_2"
  }
}

resource "aws_apigatewayv2_api_mapping" "status" {
  api_id      = aws_apigatewayv2_api.status.id
  domain_name = aws_apigatewayv2_domain_name.status.id
  stage       = aws_apigatewayv2_stage.default.id
}
