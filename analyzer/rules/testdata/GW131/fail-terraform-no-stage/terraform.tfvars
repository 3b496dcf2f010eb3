stage_name = "live"
