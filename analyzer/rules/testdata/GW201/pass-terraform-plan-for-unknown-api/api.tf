resource "aws_api_gateway_rest_api" "partners" {
  name        = "${local.service}-api"
  description = "partners API"

  endpoint_configuration {
    types = ["REGIONAL"]
  }

  tags = local.tags
}

resource "aws_api_gateway_resource" "partners" {
  rest_api_id = aws_api_gateway_rest_api.partners.id
  parent_id   = aws_api_gateway_rest_api.partners.root_resource_id
  path_part   = "partners"
}

resource "aws_api_gateway_method" "list_partners" {
  rest_api_id   = aws_api_gateway_rest_api.partners.id
  resource_id   = aws_api_gateway_resource.partners.id
  http_method   = "GET"
  authorization = "NONE"
  api_key_required = true
}

resource "aws_api_gateway_integration" "list_partners" {
  rest_api_id             = aws_api_gateway_rest_api.partners.id
  resource_id             = aws_api_gateway_method.list_partners.resource_id
  http_method             = aws_api_gateway_method.list_partners.http_method
  integration_http_method = "POST"
  type                    = "AWS_PROXY"
  uri                     = aws_lambda_function.handler.invoke_arn
}
