# OpenTofu reads main.tofu instead of this file: the open rule below is never applied.
resource "aws_security_group" "app" {
  name = "app"
}

resource "aws_security_group_rule" "ssh" {
  type              = "ingress"
  security_group_id = aws_security_group.app.id
  protocol          = "tcp"
  from_port         = 22
  to_port           = 22
  cidr_blocks       = ["0.0.0.0/0"]
}
