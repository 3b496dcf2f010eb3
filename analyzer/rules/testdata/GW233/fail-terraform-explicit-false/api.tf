# 相互 TLS のドメイン経由だけで公開したいが、既定のエンドポイントが残っている
resource "aws_api_gateway_rest_api" "events" {
  name        = "${local.service}-api"
  description = "events API"
  disable_execute_api_endpoint = false # want GW233 "aws_api_gateway_rest_api.events is mapped to events.example.com, which requires mutual TLS"

  endpoint_configuration {
    types = ["REGIONAL"]
  }

  tags = local.tags
}

resource "aws_api_gateway_resource" "events" {
  rest_api_id = aws_api_gateway_rest_api.events.id
  parent_id   = aws_api_gateway_rest_api.events.root_resource_id
  path_part   = "events"
}

resource "aws_api_gateway_method" "list_events" {
  rest_api_id   = aws_api_gateway_rest_api.events.id
  resource_id   = aws_api_gateway_resource.events.id
  http_method   = "GET"
  authorization = "NONE"
}

resource "aws_api_gateway_integration" "list_events" {
  rest_api_id             = aws_api_gateway_rest_api.events.id
  resource_id             = aws_api_gateway_method.list_events.resource_id
  http_method             = aws_api_gateway_method.list_events.http_method
  integration_http_method = "POST"
  type                    = "AWS_PROXY"
  uri                     = aws_lambda_function.handler.invoke_arn
}
