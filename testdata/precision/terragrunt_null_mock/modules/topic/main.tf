variable "kms_key_arn" {
  type = string
}

resource "aws_sns_topic" "alerts" {
  name              = "alerts"
  kms_master_key_id = var.kms_key_arn
}
