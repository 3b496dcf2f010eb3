locals {
  read_auth = "AWS_IAM"
}
