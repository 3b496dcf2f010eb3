resource "aws_api_gateway_method" "list_items" {
  rest_api_id   = aws_api_gateway_rest_api.inventory.id
  resource_id   = aws_api_gateway_resource.items.id
  http_method   = "GET"
  authorization = "NONE"
}

resource "aws_api_gateway_integration" "list_items" {
  rest_api_id = aws_api_gateway_rest_api.inventory.id
  resource_id = aws_api_gateway_resource.items.id
  http_method = aws_api_gateway_method.list_items.http_method
  type        = "MOCK"
}

resource "aws_api_gateway_method" "add_item" {
  rest_api_id   = aws_api_gateway_rest_api.inventory.id
  resource_id   = aws_api_gateway_resource.items.id
  http_method   = "POST"
  authorization = "AWS_IAM"
}
