variable "name" {}
variable "secret" {}
variable "egress_cidr_blocks" {
  default = ["0.0.0.0/0"]
}

resource "aws_security_group_rule" "egress" {
  type        = "egress"
  cidr_blocks = var.egress_cidr_blocks
  description = var.name
  from_port   = -1
  to_port     = -1
  protocol    = "-1"
}

resource "aws_ssm_parameter" "p" {
  name  = "/x/${var.name}"
  value = var.secret
}

output "id" {
  value = aws_security_group_rule.egress.id
}
