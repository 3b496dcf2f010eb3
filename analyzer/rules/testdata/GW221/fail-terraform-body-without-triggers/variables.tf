variable "env" {
  default = "dev"
}

variable "lambda_arn" {
  type = string
}
