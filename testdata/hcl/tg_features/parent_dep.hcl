# 7: a dependency declared in the included file, used by the child (deep merge).
dependency "net" {
  config_path = "${get_terragrunt_dir()}/../remote"
  mock_outputs = {
    vpc_id = "vpc-from-parent-mock"
  }
  mock_outputs_allowed_terraform_commands = ["validate", "plan"]
}

locals {
  tier = "shared"
}

inputs = {
  tags = { Parent = "yes" }
}
