variable "key_arn" {
  type = string
}

variable "queue_name" {
  type = string
}

resource "aws_sqs_queue" "jobs" {
  name              = var.queue_name
  kms_master_key_id = var.key_arn
}
