resource "aws_api_gateway_rest_api" "users" {
  name        = "${local.service}-api"
  description = "users API"

  endpoint_configuration {
    types = ["REGIONAL"]
  }

  tags = local.tags
}

resource "aws_api_gateway_resource" "users" {
  rest_api_id = aws_api_gateway_rest_api.users.id
  parent_id   = aws_api_gateway_rest_api.users.root_resource_id
  path_part   = "users"
}

resource "aws_api_gateway_method" "list_users" {
  rest_api_id   = aws_api_gateway_rest_api.users.id
  resource_id   = aws_api_gateway_resource.users.id
  http_method   = "GET"
  authorization = "NONE"
}

resource "aws_api_gateway_integration" "list_users" {
  rest_api_id             = aws_api_gateway_rest_api.users.id
  resource_id             = aws_api_gateway_method.list_users.resource_id
  http_method             = aws_api_gateway_method.list_users.http_method
  integration_http_method = "POST"
  type                    = "AWS_PROXY"
  uri                     = aws_lambda_function.handler.invoke_arn
}
