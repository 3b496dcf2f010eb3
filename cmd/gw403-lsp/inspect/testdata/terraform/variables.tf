variable "stage" {
  default = "dev"
}

variable "require_key" {
  type    = bool
  default = false
}
