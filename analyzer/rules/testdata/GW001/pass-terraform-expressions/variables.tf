variable "stage_name" {
  type    = string
  default = "dev"

  validation {
    condition     = can(regex("^[a-z]+$", var.stage_name))
    error_message = "Lower-case letters only."
  }
}
