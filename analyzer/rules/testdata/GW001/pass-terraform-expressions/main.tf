locals {
  routes = {
    "GET /orders"  = { auth = "NONE", key = true }
    "POST /orders" = { auth = "AWS_IAM", key = false }
  }
  # 日本語のコメント
  description = <<-EOT
    Orders API (${var.stage_name})
    %{ for k, v in local.routes ~}
    - ${k}
    %{ endfor ~}
  EOT
}

resource "aws_apigatewayv2_api" "orders" {
  name          = "orders-${var.stage_name}"
  protocol_type = "HTTP"
  description   = local.description
}

resource "aws_apigatewayv2_route" "all" {
  for_each           = local.routes
  api_id             = aws_apigatewayv2_api.orders.id
  route_key          = each.key
  authorization_type = each.value.auth
}

resource "aws_apigatewayv2_stage" "main" {
  api_id      = aws_apigatewayv2_api.orders.id
  name        = var.stage_name
  auto_deploy = true

  dynamic "route_settings" {
    for_each = [for k in keys(local.routes) : k if startswith(k, "GET")]
    content {
      route_key              = route_settings.value
      throttling_burst_limit = 10
    }
  }
}

output "routes" {
  value = { for k, r in aws_apigatewayv2_route.all : k => r.id }
}
