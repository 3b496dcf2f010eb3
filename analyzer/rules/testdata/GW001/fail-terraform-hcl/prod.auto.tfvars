stage_name = "prod"
# want +1 GW001 "HCL: Invalid expression"
region = 
