resource "aws_api_gateway_deployment" "main" {
  rest_api_id = aws_api_gateway_rest_api.admin.id

  triggers = {
    redeployment = sha1(jsonencode([
      aws_api_gateway_method.create_refund.id,
      aws_api_gateway_integration.create_refund.id,
      aws_api_gateway_method.list_refunds.id,
      aws_api_gateway_integration.list_refunds.id,
    ]))
  }

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_api_gateway_stage" "main" {
  rest_api_id   = aws_api_gateway_rest_api.admin.id
  deployment_id = aws_api_gateway_deployment.main.id
  stage_name    = var.stage_name
  tags          = local.tags
}
