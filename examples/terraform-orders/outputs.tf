output "invoke_url" {
  value = aws_api_gateway_stage.main.invoke_url
}

output "api_key_ids" {
  value = module.usage.key_ids
}
