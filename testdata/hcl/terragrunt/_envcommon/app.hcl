locals {
  base_source = "${dirname(find_in_parent_folders("root.hcl"))}/modules//app"
}

inputs = {
  open_cidrs = ["10.0.0.0/8"]
}
