# 15: access key minted by a module default.
variable "name" {}
variable "create_access_key" {
  default = true
}
variable "pgp_key" {
  default = ""
}
resource "aws_iam_user" "this" {
  name = var.name
}
resource "aws_iam_access_key" "this" {
  count   = var.create_access_key && var.pgp_key == "" ? 1 : 0
  user    = aws_iam_user.this.name
}
output "secret" {
  value     = try(aws_iam_access_key.this[0].secret, "")
  sensitive = true
}
