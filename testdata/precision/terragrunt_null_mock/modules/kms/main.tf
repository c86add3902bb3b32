resource "aws_kms_key" "sns" {
  description         = "SNS topics"
  enable_key_rotation = true
}

output "key_arn" {
  value = aws_kms_key.sns.arn
}
