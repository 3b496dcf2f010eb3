resource "aws_api_gateway_domain_name" "events" {
  domain_name              = "events.example.com"
  regional_certificate_arn = "arn:aws:acm:eu-west-1:123456789012:certificate/1234abcd-12ab-34cd-56ef-1234567890ab"

  endpoint_configuration {
    types = ["REGIONAL"]
  }

  mutual_tls_authentication {
    truststore_uri     = "s3://events-truststore/clients.pem"
    truststore_version = "1"
  }
}

resource "aws_api_gateway_base_path_mapping" "events" {
  api_id      = aws_api_gateway_rest_api.events.id
  domain_name = aws_api_gateway_domain_name.events.domain_name
  stage_name  = aws_api_gateway_stage.main.stage_name
}
