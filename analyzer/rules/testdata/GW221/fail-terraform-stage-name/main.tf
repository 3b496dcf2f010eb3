# Old style: the deployment creates the stage itself (stage_name).
resource "aws_api_gateway_rest_api" "legacy" {
  name = "legacy"
}

resource "aws_api_gateway_method" "ping" {
  rest_api_id   = aws_api_gateway_rest_api.legacy.id
  resource_id   = aws_api_gateway_rest_api.legacy.root_resource_id
  http_method   = "GET"
  authorization = "NONE"
}

resource "aws_api_gateway_integration" "ping" {
  rest_api_id = aws_api_gateway_rest_api.legacy.id
  resource_id = aws_api_gateway_rest_api.legacy.root_resource_id
  http_method = aws_api_gateway_method.ping.http_method
  type        = "MOCK"
}

resource "aws_api_gateway_deployment" "legacy" { # want GW221 "has no triggers and does not depend on aws_api_gateway_method.ping"
  rest_api_id = aws_api_gateway_rest_api.legacy.id
  stage_name  = "v1"
}
