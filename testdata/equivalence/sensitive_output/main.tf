# A secret-named variable (not declared sensitive) exposed by an output.
# (An output of a variable declared `sensitive = true` without `sensitive = true` on the output
# is rejected by `terraform plan` itself, so it has no plan equivalent.)
variable "db_password" {
  type = string
}

output "db_password" {
  value = var.db_password
}
