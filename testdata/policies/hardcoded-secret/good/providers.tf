# Provider credentials that are not written in the code: variables without a value (set with
# TF_VAR_*), the provider's own environment variables (GITHUB_TOKEN) or a named profile.
variable "aws_access_key" {
  type      = string
  sensitive = true
}

variable "aws_secret_key" {
  type      = string
  sensitive = true
}

provider "aws" {
  region     = "eu-west-1"
  access_key = var.aws_access_key
  secret_key = var.aws_secret_key
}

provider "aws" {
  alias   = "west"
  region  = "us-west-2"
  profile = "deploy"

  assume_role {
    role_arn     = "arn:aws:iam::123456789012:role/deploy"
    session_name = "guard-fixture"
  }
}

# The token comes from GITHUB_TOKEN.
provider "github" {
  owner = "example-org"
}
