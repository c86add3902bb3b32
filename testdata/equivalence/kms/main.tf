# enable_key_rotation is not set (the provider default is false).
resource "aws_kms_key" "k" {
  description = "application data"
}
