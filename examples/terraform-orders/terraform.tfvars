# 本番用の値 (production values)
stage_name  = "prod"
domain_name = "orders.example.com"
