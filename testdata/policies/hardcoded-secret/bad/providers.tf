# Flagged: AWS credentials written into a provider block (the access key id by its detector, the
# secret key as a high-entropy literal). `region` is a setting, not a secret.
provider "aws" {
  region     = "eu-west-1"
  access_key = "AKIAIOSFODNN7EXAMPLE"
  secret_key = "q3Vt8Jm2LrXw9Kp4Zs7Nd1Hb6Fg0Ty5Ue8Ci2Oa"
}

variable "github_token" {
  type = string
}

# Flagged once, in terraform.tfvars where the token is written: a GitHub token passed to a
# provider through a variable.
provider "github" {
  owner = "example-org"
  token = var.github_token
}
