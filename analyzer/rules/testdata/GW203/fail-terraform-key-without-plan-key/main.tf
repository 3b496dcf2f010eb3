# 旧クライアントのキー: 使用量プランに入れ忘れ
resource "aws_api_gateway_api_key" "legacy" { # want GW203 "API key aws_api_gateway_api_key.legacy is attached to no usage plan \(no aws_api_gateway_usage_plan_key names it\)"
  name    = "legacy-client"
  enabled = true
  tags    = local.tags
}
