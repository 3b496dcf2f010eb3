resource "aws_api_gateway_authorizer" "pool" {
  name          = "members"
  type          = "COGNITO_USER_POOLS"
  rest_api_id   = aws_api_gateway_rest_api.orders.id
  provider_arns = ["arn:aws:cognito-idp:eu-west-1:123456789012:userpool/eu-west-1_Abc123"]
}
