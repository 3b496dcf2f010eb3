# 注文 API: a brace is missing after the endpoint block
resource "aws_api_gateway_rest_api" "orders" { # want GW001 "HCL: Unclosed configuration block: There is no closing brace for this block"
  name = "orders"

  endpoint_configuration {
    types = ["REGIONAL"]
  }

  tags = {
    Team = "commerce"
}
