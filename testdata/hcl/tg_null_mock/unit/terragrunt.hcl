# A `null` mock output says nothing about the dependency's real output: unknown, not absent.
terraform {
  source = "../module"
}

dependency "kms" {
  config_path = "../kms"
  mock_outputs = {
    key_arn    = null
    queue_name = "jobs-mock"
  }
}

inputs = {
  key_arn    = dependency.kms.outputs.key_arn
  queue_name = dependency.kms.outputs.queue_name
}
