resource "aws_api_gateway_domain_name" "events" { # want GW232 "Custom domain events.example.com \(aws_api_gateway_domain_name.events\) has no aws_api_gateway_base_path_mapping"
  domain_name              = "events.example.com"
  regional_certificate_arn = "arn:aws:acm:eu-west-1:123456789012:certificate/1234abcd-12ab-34cd-56ef-1234567890ab"

  endpoint_configuration {
    types = ["REGIONAL"]
  }
}
