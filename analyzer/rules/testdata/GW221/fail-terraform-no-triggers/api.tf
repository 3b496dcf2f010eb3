# 在庫 API: methods live in methods.tf
resource "aws_api_gateway_rest_api" "inventory" {
  name = "inventory"
  tags = var.tags
}

resource "aws_api_gateway_resource" "items" {
  rest_api_id = aws_api_gateway_rest_api.inventory.id
  parent_id   = aws_api_gateway_rest_api.inventory.root_resource_id
  path_part   = "items"
}

# The deployment was written before the methods and never updated.
resource "aws_api_gateway_deployment" "inventory" { # want GW221 "aws_api_gateway_deployment.inventory has no triggers and does not depend on aws_api_gateway_method.list_items, aws_api_gateway_method.add_item"
  rest_api_id = aws_api_gateway_rest_api.inventory.id
  description = "first release"
}

resource "aws_api_gateway_stage" "v1" {
  rest_api_id   = aws_api_gateway_rest_api.inventory.id
  deployment_id = aws_api_gateway_deployment.inventory.id
  stage_name    = var.stage
  tags          = var.tags
}
