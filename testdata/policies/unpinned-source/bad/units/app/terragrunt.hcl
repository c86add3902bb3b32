# Terragrunt unit following a branch: medium
terraform {
  source = "git::git@github.com:acme/infrastructure-modules.git//app?ref=master"
}

inputs = {
  name = "app"
}
