resource "aws_api_gateway_rest_api" "reports" {
  name = "${local.service}-api"
  body = jsonencode({
    openapi = "3.0.1"
    info = {
      title   = "reports"
      version = "2024-06-01"
    }
    components = {
      securitySchemes = {
        partner_key = {
          type = "apiKey"
          name = "X-Partner-Key" # want GW204 "Security scheme partner_key of aws_api_gateway_rest_api.reports sends the API key in the \"X-Partner-Key\" header"
          in   = "header"
        }
      }
    }
    paths = {
      "/reports" = {
        get = {
          security = [{ partner_key = [] }]
          x-amazon-apigateway-integration = {
            type       = "aws_proxy"
            httpMethod = "POST"
            uri        = aws_lambda_function.handler.invoke_arn
          }
        }
      }
    }
  })
  tags = local.tags
}

resource "aws_api_gateway_deployment" "main" {
  rest_api_id = aws_api_gateway_rest_api.reports.id
  triggers = {
    redeployment = sha1(aws_api_gateway_rest_api.reports.body)
  }
  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_api_gateway_stage" "main" {
  rest_api_id   = aws_api_gateway_rest_api.reports.id
  deployment_id = aws_api_gateway_deployment.main.id
  stage_name    = var.stage_name
}
