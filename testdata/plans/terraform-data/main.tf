variable "token" {
  type      = string
  sensitive = true
  default   = "tok-PLANTED-real-terraform-secret"
}
resource "terraform_data" "secret" {
  input            = var.token
  triggers_replace = ["rotate-1"]
}
resource "terraform_data" "renamed" {
  input = "moved"
}
moved {
  from = terraform_data.computed
  to   = terraform_data.renamed
}
resource "terraform_data" "many" {
  count = 2
  input = "n${count.index}"
}
output "token" {
  value     = var.token
  sensitive = true
}
