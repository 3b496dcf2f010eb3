resource "aws_api_gateway_deployment" "main" {
  rest_api_id = aws_api_gateway_rest_api.partners.id

  triggers = {
    redeployment = sha1(jsonencode([
      aws_api_gateway_method.list_partners.id,
      aws_api_gateway_integration.list_partners.id,
    ]))
  }

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_api_gateway_stage" "main" {
  rest_api_id   = aws_api_gateway_rest_api.partners.id
  deployment_id = aws_api_gateway_deployment.main.id
  stage_name    = var.stage_name
  tags          = local.tags
}
