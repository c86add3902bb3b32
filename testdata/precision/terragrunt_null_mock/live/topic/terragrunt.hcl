terraform {
  source = "../../modules/topic"
}

# `null` lets `plan` run before the key exists; it is not the key's ARN.
dependency "kms" {
  config_path = "../kms"

  mock_outputs = {
    key_arn = null
  }
  mock_outputs_allowed_terraform_commands = ["init", "validate", "plan"]
}

inputs = {
  kms_key_arn = dependency.kms.outputs.key_arn
}
