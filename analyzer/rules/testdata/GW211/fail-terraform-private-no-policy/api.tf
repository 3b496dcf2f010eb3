# 社内向け台帳 API (private)
resource "aws_api_gateway_rest_api" "ledger" {
  name = "${local.service}-api"

  endpoint_configuration {
    types            = ["PRIVATE"] # want GW211 "aws_api_gateway_rest_api.ledger is a private API \(endpoint_configuration types PRIVATE\) without a resource policy"
    vpc_endpoint_ids = [var.vpce_id]
  }
  tags = local.tags
}

resource "aws_api_gateway_resource" "entries" {
  rest_api_id = aws_api_gateway_rest_api.ledger.id
  parent_id   = aws_api_gateway_rest_api.ledger.root_resource_id
  path_part   = "entries"
}

resource "aws_api_gateway_method" "list_entries" {
  rest_api_id   = aws_api_gateway_rest_api.ledger.id
  resource_id   = aws_api_gateway_resource.entries.id
  http_method   = "GET"
  authorization = "NONE"
}

resource "aws_api_gateway_integration" "list_entries" {
  rest_api_id             = aws_api_gateway_rest_api.ledger.id
  resource_id             = aws_api_gateway_method.list_entries.resource_id
  http_method             = aws_api_gateway_method.list_entries.http_method
  integration_http_method = "POST"
  type                    = "AWS_PROXY"
  uri                     = aws_lambda_function.handler.invoke_arn
}
