variable "a" { default = "default" }
variable "b" { default = "default" }
variable "c" { default = "default" }
variable "d" { default = "default" }
variable "e" {
  type    = list(number)
  default = []
}
variable "guard_env_only" { default = "default" }
resource "null_resource" "r" {
  triggers = { a = var.a, b = var.b, c = var.c, d = var.d, e = jsonencode(var.e), env = var.guard_env_only }
}
