output "stage_url" {
  description = "Base URL of the v1 stage"
  value       = aws_api_gateway_stage.v1.invoke_url
}
