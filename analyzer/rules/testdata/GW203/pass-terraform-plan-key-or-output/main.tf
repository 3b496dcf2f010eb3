resource "aws_api_gateway_api_key" "legacy" {
  name = "legacy-client"
}

resource "aws_api_gateway_usage_plan_key" "legacy" {
  key_id        = aws_api_gateway_api_key.legacy.id
  key_type      = "API_KEY"
  usage_plan_id = aws_api_gateway_usage_plan.basic.id
}

resource "aws_api_gateway_usage_plan" "basic" {
  name = "basic"
  api_stages {
    api_id = aws_api_gateway_rest_api.partners.id
    stage  = aws_api_gateway_stage.main.stage_name
  }
}

# Attached by the platform team's stack, which reads this output.
resource "aws_api_gateway_api_key" "platform" {
  name = "platform"
}

output "platform_key_id" {
  value = aws_api_gateway_api_key.platform.id
}
