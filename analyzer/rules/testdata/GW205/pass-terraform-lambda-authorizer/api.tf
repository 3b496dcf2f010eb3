resource "aws_api_gateway_rest_api" "reports" {
  name = "${local.service}-api"
  api_key_source = "AUTHORIZER"
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
          name = "x-api-key"
          in   = "header"
        }
        usage = {
          type = "apiKey"
          name = "Authorization"
          in   = "header"
          x-amazon-apigateway-authtype = "custom"
          x-amazon-apigateway-authorizer = {
            type                         = "token"
            authorizerUri                = aws_lambda_function.handler.invoke_arn
            authorizerResultTtlInSeconds = 0
          }
        }
      }
    }
    paths = {
      "/reports" = {
        get = {
          security = [{ partner_key = [], usage = [] }]
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
