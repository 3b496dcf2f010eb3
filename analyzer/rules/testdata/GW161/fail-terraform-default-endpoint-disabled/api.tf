resource "aws_api_gateway_rest_api" "billing" {
  name        = "${local.service}-api"
  description = "billing API"
  disable_execute_api_endpoint = true

  endpoint_configuration {
    types = ["REGIONAL"]
  }

  tags = local.tags
}

resource "aws_api_gateway_resource" "invoices" {
  rest_api_id = aws_api_gateway_rest_api.billing.id
  parent_id   = aws_api_gateway_rest_api.billing.root_resource_id
  path_part   = "invoices"
}

resource "aws_api_gateway_method" "list_invoices" {
  rest_api_id   = aws_api_gateway_rest_api.billing.id
  resource_id   = aws_api_gateway_resource.invoices.id
  http_method   = "GET"
  authorization = "NONE"
}

resource "aws_api_gateway_integration" "list_invoices" {
  rest_api_id             = aws_api_gateway_rest_api.billing.id
  resource_id             = aws_api_gateway_method.list_invoices.resource_id
  http_method             = aws_api_gateway_method.list_invoices.http_method
  integration_http_method = "POST"
  type                    = "AWS_PROXY"
  uri                     = aws_lambda_function.handler.invoke_arn
}
