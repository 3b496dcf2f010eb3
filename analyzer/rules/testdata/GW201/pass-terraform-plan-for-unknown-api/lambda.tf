locals {
  service = "partners"
  tags    = merge(var.tags, { Service = local.service })
}

resource "aws_lambda_function" "handler" {
  function_name = "${local.service}-handler"
  role          = "arn:aws:iam::123456789012:role/${local.service}-lambda"
  runtime       = "python3.12"
  handler       = "app.handler"
  filename      = "${path.module}/build/app.zip"
  tags          = local.tags
}
