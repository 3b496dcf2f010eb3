output "tickets_lambda" {
  value = aws_lambda_function.handler.function_name
}
