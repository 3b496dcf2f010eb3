resource "aws_wafv2_web_acl" "api" {
  name  = "${local.service}-acl"
  scope = "REGIONAL"

  default_action {
    block {}
  }

  rule {
    name     = "allow-office"
    priority = 1
    action {
      allow {}
    }
    statement {
      ip_set_reference_statement {
        arn = "arn:aws:wafv2:eu-west-1:123456789012:regional/ipset/office/abcd"
      }
    }
    visibility_config {
      cloudwatch_metrics_enabled = false
      metric_name                = "allow-office"
      sampled_requests_enabled   = false
    }
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
