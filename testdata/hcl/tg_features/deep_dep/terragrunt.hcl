include "parent" {
  path           = find_in_parent_folders("parent_dep.hcl")
  expose         = true
  merge_strategy = "deep"
}

terraform {
  source = "../modules//echo"
}

inputs = {
  label = "${include.parent.locals.tier}-${dependency.net.outputs.vpc_id}"
  tags  = { Child = "yes" }
}
