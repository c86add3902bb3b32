include {
  path = find_in_parent_folders("root.hcl")
}

terraform {
  source = "git::git@github.com:acme/infrastructure-modules.git//vpc?ref=v1.0.0"
}

inputs = {
  cidr = "10.0.0.0/16"
}
