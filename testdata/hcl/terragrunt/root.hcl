locals {
  account = read_terragrunt_config(find_in_parent_folders("account.hcl"))
  env     = get_env("GUARD_TEST_SURELY_UNSET", "dev")
}

remote_state {
  backend = "s3"
  config = {
    bucket  = "state-${local.account.locals.account_id}"
    key     = "${path_relative_to_include()}/terraform.tfstate"
    encrypt = true
  }
}

generate "provider" {
  path      = "provider.tf"
  if_exists = "overwrite"
  contents  = <<EOF
provider "aws" {
  region = "${local.account.locals.region}"
}

resource "aws_s3_bucket" "generated" {
  bucket = "generated-${local.env}"
}
EOF
}

inputs = {
  instance_class = "db.t3.micro"
  tags           = { Owner = "platform" }
}
