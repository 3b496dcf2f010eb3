variable "stage" {
  type    = string
  default = "v1"
}

variable "tags" {
  type = map(string)
  default = {
    Owner = "inventory"
  }
}
