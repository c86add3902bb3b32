# 21: evaluated with the caller's arguments, one call passing random_password.p.result.
variable "password" {
  default = "module-default-not-used"
}
resource "aws_db_instance" "this" {
  password = var.password
}
