# The shared plan of the platform team lists APIs by id, passed in with
# -var (the partners API among them).
variable "planned_api_ids" {
  type = list(string)
}

resource "aws_api_gateway_usage_plan" "shared" {
  name = "shared"

  dynamic "api_stages" {
    for_each = var.planned_api_ids
    content {
      api_id = api_stages.value
      stage  = "prod"
    }
  }
}

