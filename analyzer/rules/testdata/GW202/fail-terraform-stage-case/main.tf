# 有料プラン
resource "aws_api_gateway_usage_plan" "gold" {
  name = "gold"

  api_stages {
    api_id = aws_api_gateway_rest_api.partners.id
    stage  = "Prod" # want GW202 "Usage plan aws_api_gateway_usage_plan.gold names stage \"Prod\" of aws_api_gateway_rest_api.partners, which has no such stage \(stages: \"prod\""
  }

  throttle_settings {
    burst_limit = 50
    rate_limit  = 20
  }
  tags = local.tags
}
