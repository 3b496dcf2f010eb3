resource "aws_api_gateway_domain_name" "reports" {
  domain_name              = "reports.example.jp"
  regional_certificate_arn = "arn:aws:acm:eu-west-1:123456789012:certificate/1234abcd-12ab-34cd-56ef-1234567890ab"
  endpoint_configuration {
    types = ["REGIONAL"]
  }
}

resource "aws_api_gateway_base_path_mapping" "reports" {
  api_id      = aws_api_gateway_rest_api.reports.id
  domain_name = aws_api_gateway_domain_name.reports.domain_name
  stage_name  = aws_api_gateway_stage.main.stage_name
  base_path   = "v1"
}
