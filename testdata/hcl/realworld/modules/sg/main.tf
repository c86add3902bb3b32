variable "ingress_rules" { default = [] }
variable "auto_ingress_rules" { default = [] }
variable "auto_egress_rules" { default = [] }
variable "rules" {
  default = {
    "all-all"   = [-1, -1, "-1", "All protocols"]
    "http-80-tcp" = [80, 80, "tcp", "HTTP"]
  }
}
locals {
  ingress = sort(compact(distinct(concat(var.auto_ingress_rules, var.ingress_rules, [""]))))
}
resource "aws_security_group_rule" "egress" {
  count       = length(var.auto_egress_rules)
  type        = "egress"
  from_port   = var.rules[var.auto_egress_rules[count.index]][0]
  to_port     = var.rules[var.auto_egress_rules[count.index]][1]
  protocol    = var.rules[var.auto_egress_rules[count.index]][2]
  cidr_blocks = ["0.0.0.0/0"]
}
resource "aws_security_group_rule" "ingress" {
  count     = length(local.ingress)
  type      = "ingress"
  from_port = var.rules[local.ingress[count.index]][0]
  to_port   = var.rules[local.ingress[count.index]][1]
  protocol  = var.rules[local.ingress[count.index]][2]
  cidr_blocks = ["10.0.0.0/8"]
}
