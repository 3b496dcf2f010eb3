# Deployment is missing: the stage was never created
resource "aws_api_gateway_rest_api" "tickets" { # want GW222 "aws_api_gateway_rest_api.tickets has methods but no aws_api_gateway_deployment or aws_api_gateway_stage"
  name = "${local.service}-api"
  tags = local.tags
}

resource "aws_api_gateway_resource" "tickets" {
  rest_api_id = aws_api_gateway_rest_api.tickets.id
  parent_id   = aws_api_gateway_rest_api.tickets.root_resource_id
  path_part   = "tickets"
}

resource "aws_api_gateway_method" "list_tickets" {
  rest_api_id   = aws_api_gateway_rest_api.tickets.id
  resource_id   = aws_api_gateway_resource.tickets.id
  http_method   = "GET"
  authorization = "NONE"
}

resource "aws_api_gateway_integration" "list_tickets" {
  rest_api_id             = aws_api_gateway_rest_api.tickets.id
  resource_id             = aws_api_gateway_method.list_tickets.resource_id
  http_method             = aws_api_gateway_method.list_tickets.http_method
  integration_http_method = "POST"
  type                    = "AWS_PROXY"
  uri                     = aws_lambda_function.handler.invoke_arn
}
