variable "rest_api_id" {
  type = string
}

variable "stage_name" {
  type = string
}

variable "clients" {
  description = "One API key per client"
  type        = list(string)
}

resource "aws_api_gateway_usage_plan" "this" {
  name = "clients"

  api_stages {
    api_id = var.rest_api_id
    stage  = var.stage_name
  }

  quota_settings {
    limit  = 10000
    period = "DAY"
  }
}

resource "aws_api_gateway_api_key" "client" {
  for_each = toset(var.clients)
  name     = "client-${each.key}"
}

resource "aws_api_gateway_usage_plan_key" "client" {
  for_each      = aws_api_gateway_api_key.client
  key_id        = each.value.id
  key_type      = "API_KEY"
  usage_plan_id = aws_api_gateway_usage_plan.this.id
}

output "key_names" {
  value = [for k in aws_api_gateway_api_key.client : k.name]
}
