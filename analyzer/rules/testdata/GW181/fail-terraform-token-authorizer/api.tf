resource "aws_api_gateway_rest_api" "docs" {
  name        = "${local.service}-api"
  description = "docs API"

  endpoint_configuration {
    types = ["REGIONAL"]
  }

  tags = local.tags
}

resource "aws_api_gateway_resource" "documents" {
  rest_api_id = aws_api_gateway_rest_api.docs.id
  parent_id   = aws_api_gateway_rest_api.docs.root_resource_id
  path_part   = "documents"
}

resource "aws_api_gateway_method" "list_documents" {
  rest_api_id   = aws_api_gateway_rest_api.docs.id
  resource_id   = aws_api_gateway_resource.documents.id
  http_method   = "GET"
  authorization = "CUSTOM"
  authorizer_id = aws_api_gateway_authorizer.token.id
}

resource "aws_api_gateway_integration" "list_documents" {
  rest_api_id             = aws_api_gateway_rest_api.docs.id
  resource_id             = aws_api_gateway_method.list_documents.resource_id
  http_method             = aws_api_gateway_method.list_documents.http_method
  integration_http_method = "POST"
  type                    = "AWS_PROXY"
  uri                     = aws_lambda_function.handler.invoke_arn
}
