locals {
  api_name = "catalog"
}

resource "aws_api_gateway_rest_api" "catalog" {
  name = local.api_name
}

resource "aws_api_gateway_resource" "products" {
  rest_api_id = aws_api_gateway_rest_api.catalog.id
  parent_id   = aws_api_gateway_rest_api.catalog.root_resource_id
  path_part   = "products"
}

resource "aws_api_gateway_method" "list" {
  rest_api_id   = aws_api_gateway_rest_api.catalog.id
  resource_id   = aws_api_gateway_resource.products.id
  http_method   = "GET"
  authorization = "NONE"
}

resource "aws_api_gateway_integration" "list" {
  rest_api_id = aws_api_gateway_rest_api.catalog.id
  resource_id = aws_api_gateway_resource.products.id
  http_method = aws_api_gateway_method.list.http_method
  type        = "MOCK"
}

# Redeployed whenever a method or integration changes.
resource "aws_api_gateway_deployment" "catalog" {
  rest_api_id = aws_api_gateway_rest_api.catalog.id

  triggers = {
    redeployment = sha1(jsonencode([
      aws_api_gateway_method.list.id,
      aws_api_gateway_integration.list.id,
    ]))
  }

  lifecycle {
    create_before_destroy = true
  }
}

# Ordered after every method (created once after them).
resource "aws_api_gateway_deployment" "ordered" {
  rest_api_id = aws_api_gateway_rest_api.catalog.id
  depends_on  = [aws_api_gateway_integration.list]
}

resource "aws_api_gateway_stage" "live" {
  rest_api_id   = aws_api_gateway_rest_api.catalog.id
  deployment_id = aws_api_gateway_deployment.catalog.id
  stage_name    = "live"
}

# A body API redeployed from its body's hash.
resource "aws_api_gateway_rest_api" "reports" {
  name = "reports"
  body = jsonencode({
    openapi = "3.0.1"
    info    = { title = "reports", version = "1" }
    paths = {
      "/reports" = {
        get = {
          x-amazon-apigateway-integration = { type = "MOCK" }
        }
      }
    }
  })
}

resource "aws_api_gateway_deployment" "reports" {
  rest_api_id = aws_api_gateway_rest_api.reports.id
  triggers = {
    redeployment = sha1(aws_api_gateway_rest_api.reports.body)
  }
}

resource "aws_api_gateway_stage" "reports" {
  rest_api_id   = aws_api_gateway_rest_api.reports.id
  deployment_id = aws_api_gateway_deployment.reports.id
  stage_name    = "prod"
}
