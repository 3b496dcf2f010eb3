variable "stage_name" {
  type = string
}

variable "region" {
  type = string
}
