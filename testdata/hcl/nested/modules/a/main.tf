variable "cidr" {}
module "b" {
  source = "../b"
  cidrs  = [var.cidr]
}
