include "root" {
  path = find_in_parent_folders("root.hcl")
}

include "envcommon" {
  path   = "${dirname(find_in_parent_folders("root.hcl"))}/_envcommon/app.hcl"
  expose = true
}

dependency "vpc" {
  config_path = "../vpc"
  mock_outputs = {
    vpc_id = "vpc-mock"
  }
  mock_outputs_allowed_terraform_commands = ["plan", "validate"]
}

terraform {
  source = include.envcommon.locals.base_source
}

inputs = {
  instance_class = "db.t3.large"
  vpc_id         = dependency.vpc.outputs.vpc_id
  open_cidrs     = ["0.0.0.0/0"]
  grant          = { permission = "READ" }
  command        = get_terraform_command()
}
