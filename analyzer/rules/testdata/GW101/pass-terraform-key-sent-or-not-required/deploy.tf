resource "aws_api_gateway_deployment" "main" {
  rest_api_id = aws_api_gateway_rest_api.quotes.id

  triggers = {
    redeployment = sha1(jsonencode([
      aws_api_gateway_method.list_quotes.id,
      aws_api_gateway_integration.list_quotes.id,
      aws_api_gateway_method.create_quote.id,
      aws_api_gateway_integration.create_quote.id,
    ]))
  }

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_api_gateway_stage" "main" {
  rest_api_id   = aws_api_gateway_rest_api.quotes.id
  deployment_id = aws_api_gateway_deployment.main.id
  stage_name    = var.stage_name
  tags          = local.tags
}
