output "invoke_url" {
  description = "Base URL of the stage"
  value       = aws_api_gateway_stage.main.invoke_url
}

output "api_arn" {
  value = aws_api_gateway_rest_api.partners.execution_arn
}
