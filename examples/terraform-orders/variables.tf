variable "region" {
  description = "Region the API is deployed to"
  type        = string
  default     = "ap-northeast-1"
}

variable "stage_name" {
  description = "Stage the requests call"
  type        = string
  default     = "dev"
}

variable "domain_name" {
  description = "Custom domain in front of the API"
  type        = string
}

variable "certificate_arn" {
  type    = string
  default = "arn:aws:acm:ap-northeast-1:123456789012:certificate/0f0e0d0c-1111-2222-3333-444455556666"
}
