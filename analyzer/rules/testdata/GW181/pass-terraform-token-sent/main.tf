resource "aws_api_gateway_authorizer" "token" {
  name                   = "partner-token"
  rest_api_id            = aws_api_gateway_rest_api.docs.id
  authorizer_uri         = aws_lambda_function.handler.invoke_arn
  identity_source        = "method.request.header.X-Partner-Token"
  authorizer_result_ttl_in_seconds = 300
}
