# A remote source that is not on disk: inputs are still resolved and reported.
include "root" {
  path = find_in_parent_folders("root.hcl")
}

terraform {
  source = "git::git@github.com:acme/modules.git//mysql?ref=v0.8.0"
}

inputs = {
  instance_class      = "db.r5.large"
  deletion_protection = false
}
