include "root" {
  path = find_in_parent_folders("root.hcl")
}

locals {
  tfvars = jsondecode(read_tfvars_file("${get_terragrunt_dir()}/../common.tfvars"))
  # Never executed: the marker file must not exist after a scan.
  cmd    = run_cmd("sh", "-c", "touch /tmp/guard-tg-run-cmd-marker && echo ran")
  sops   = sops_decrypt_file("secrets.enc.json")
}

terraform {
  source = "../modules//echo"
}

inputs = {
  label = "${path_relative_to_include()}|${get_env("GUARD_TEST_SURELY_UNSET_VAR", "fallback")}"
  info = {
    tfvars_class   = local.tfvars.instance_class
    tfvars_cidrs   = join(",", local.tfvars.cidrs)
    from_repo_root = get_path_from_repo_root()
    to_repo_root   = get_path_to_repo_root()
    repo_root_ok   = "${get_repo_root()}/${get_path_from_repo_root()}" == get_terragrunt_dir()
  }
  cmd  = local.cmd
  sops = local.sops
  # Unknown: unset and no default.
  extra = get_env("GUARD_TEST_SURELY_UNSET_VAR")
}
