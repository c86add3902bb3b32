terraform {
  source = "../modules/app"
}

locals {
  common = read_terragrunt_config("../common.hcl")
  # No such function: the local is left unknown, with a warning at this line.
  bucket = no_such_function(local.common.locals.region)
}

inputs = {
  bucket = local.bucket
}
