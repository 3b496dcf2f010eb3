stage_name = "prod"
