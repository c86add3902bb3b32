# Included by every unit below it; never a unit of its own. The path is relative to the
# including unit (`env/staging/app`), so read alone from `env/` it names a file that does not
# exist.
locals {
  vars = read_terragrunt_config("../env_vars.hcl")
}

inputs = {
  env = local.vars.locals.env
}
