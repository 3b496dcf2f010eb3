# 本番
stage_name = "prod"
