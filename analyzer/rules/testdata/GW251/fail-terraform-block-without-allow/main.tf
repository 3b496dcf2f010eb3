resource "aws_wafv2_web_acl" "api" {
  name  = "${local.service}-acl"
  scope = "REGIONAL"

  default_action {
    block {} # want GW251 "Web ACL aws_wafv2_web_acl.api blocks by default"
  }

  visibility_config {
    cloudwatch_metrics_enabled = true
    metric_name                = "api-acl"
    sampled_requests_enabled   = true
  }
  tags = local.tags
}

resource "aws_wafv2_web_acl_association" "api" {
  resource_arn = aws_api_gateway_stage.main.arn
  web_acl_arn  = aws_wafv2_web_acl.api.arn
}
