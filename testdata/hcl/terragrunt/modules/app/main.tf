variable "instance_class" { type = string }
variable "vpc_id" { type = string }
variable "open_cidrs" { type = list(string) }
variable "tags" { type = map(string) }
variable "grant" {
  type    = any
  default = null
}
variable "command" {}

locals {
  grant = try(jsondecode(var.grant), var.grant)
}

resource "aws_security_group" "app" {
  vpc_id = var.vpc_id
  tags   = var.tags
  ingress {
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = var.open_cidrs
  }
}

resource "aws_db_instance" "db" {
  instance_class = var.instance_class
  tags           = { grant = local.grant.permission, command = var.command }
}
