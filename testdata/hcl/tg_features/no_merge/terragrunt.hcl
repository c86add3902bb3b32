# no_merge: nothing of the included file's inputs reaches the unit.
include "root" {
  path           = find_in_parent_folders("root.hcl")
  merge_strategy = "no_merge"
}

terraform {
  source = "../modules//echo"
}

inputs = {
  names = ["only-child"]
}
