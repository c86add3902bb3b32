variable "name" {}
resource "aws_iam_role" "this" {
  name               = var.name
  assume_role_policy = "{}"
}
output "role_name" {
  value = aws_iam_role.this.name
}
