variable "rest_api_id" {
  type = string
}

variable "stage_name" {
  type = string
}

variable "customers" {
  type    = list(string)
  default = []
}

resource "aws_api_gateway_usage_plan" "this" {
  name = "orders-customers"

  api_stages {
    api_id = var.rest_api_id
    stage  = var.stage_name
  }

  throttle_settings {
    burst_limit = 20
    rate_limit  = 10
  }
}

# 取引先ごとのキー (one key per customer)
resource "aws_api_gateway_api_key" "customer" {
  for_each = toset(var.customers)
  name     = "orders-${each.key}"
}

resource "aws_api_gateway_usage_plan_key" "customer" {
  for_each      = aws_api_gateway_api_key.customer
  key_id        = each.value.id
  key_type      = "API_KEY"
  usage_plan_id = aws_api_gateway_usage_plan.this.id
}

output "key_ids" {
  value = [for k in aws_api_gateway_api_key.customer : k.id]
}
