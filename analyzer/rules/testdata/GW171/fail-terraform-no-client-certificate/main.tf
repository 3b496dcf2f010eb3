resource "aws_api_gateway_domain_name" "pay" {
  domain_name              = "pay.example.jp"
  regional_certificate_arn = "arn:aws:acm:eu-west-1:123456789012:certificate/1234abcd-12ab-34cd-56ef-1234567890ab"
  security_policy          = "TLS_1_2"

  endpoint_configuration {
    types = ["REGIONAL"]
  }

  # パートナーはクライアント証明書で認証する
  mutual_tls_authentication {
    truststore_uri = "s3://pay-truststore/partners.pem"
  }
}

resource "aws_api_gateway_base_path_mapping" "pay" {
  api_id      = aws_api_gateway_rest_api.payments.id
  domain_name = aws_api_gateway_domain_name.pay.domain_name
  stage_name  = aws_api_gateway_stage.main.stage_name
  base_path   = "v1"
}
