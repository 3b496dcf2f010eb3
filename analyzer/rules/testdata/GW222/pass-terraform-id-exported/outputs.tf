# The release pipeline deploys the API with this id.
output "rest_api_id" {
  value = aws_api_gateway_rest_api.tickets.id
}
