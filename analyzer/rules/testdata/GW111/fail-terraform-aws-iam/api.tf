resource "aws_api_gateway_rest_api" "admin" {
  name        = "${local.service}-api"
  description = "admin API"

  endpoint_configuration {
    types = ["REGIONAL"]
  }

  tags = local.tags
}

resource "aws_api_gateway_resource" "refunds" {
  rest_api_id = aws_api_gateway_rest_api.admin.id
  parent_id   = aws_api_gateway_rest_api.admin.root_resource_id
  path_part   = "refunds"
}

# 社内ツールからのみ: SigV4 署名
resource "aws_api_gateway_method" "create_refund" {
  rest_api_id   = aws_api_gateway_rest_api.admin.id
  resource_id   = aws_api_gateway_resource.refunds.id
  http_method   = "POST"
  authorization = "AWS_IAM"
}

resource "aws_api_gateway_integration" "create_refund" {
  rest_api_id             = aws_api_gateway_rest_api.admin.id
  resource_id             = aws_api_gateway_method.create_refund.resource_id
  http_method             = aws_api_gateway_method.create_refund.http_method
  integration_http_method = "POST"
  type                    = "AWS_PROXY"
  uri                     = aws_lambda_function.handler.invoke_arn
}

resource "aws_api_gateway_method" "list_refunds" {
  rest_api_id   = aws_api_gateway_rest_api.admin.id
  resource_id   = aws_api_gateway_resource.refunds.id
  http_method   = "GET"
  authorization = local.read_auth
}

resource "aws_api_gateway_integration" "list_refunds" {
  rest_api_id             = aws_api_gateway_rest_api.admin.id
  resource_id             = aws_api_gateway_method.list_refunds.resource_id
  http_method             = aws_api_gateway_method.list_refunds.http_method
  integration_http_method = "POST"
  type                    = "AWS_PROXY"
  uri                     = aws_lambda_function.handler.invoke_arn
}
