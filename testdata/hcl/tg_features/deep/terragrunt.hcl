# Deep merge: maps merge recursively, lists concatenate, the child wins on scalars.
include "root" {
  path           = find_in_parent_folders("root.hcl")
  merge_strategy = "deep"
}

terraform {
  source = "../modules//echo"
}

inputs = {
  tags  = { Team = "data", Layer = { tier = "child" } }
  names = ["child-b"]
}
