variable "region" {
  description = "Region of the API"
  type        = string
  default     = "eu-west-1"
}

variable "stage_name" {
  description = "Stage the clients call"
  type        = string
  default     = "prod"
}

variable "tags" {
  type = map(string)
  default = {
    Project = "gw403-fixtures"
  }
}
