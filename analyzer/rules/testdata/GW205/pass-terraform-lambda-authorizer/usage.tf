module "usage" {
  source      = "./modules/usage"
  rest_api_id = aws_api_gateway_rest_api.reports.id
  stage_name  = aws_api_gateway_stage.main.stage_name
  clients     = ["web", "batch"]
}
