# 有料プラン
resource "aws_api_gateway_usage_plan" "gold" {
  name = "gold"

  api_stages {
    api_id = aws_api_gateway_rest_api.partners.id
    stage  = aws_api_gateway_stage.main.stage_name
  }

  throttle_settings {
    burst_limit = 50
    rate_limit  = 20
  }
  tags = local.tags
}
