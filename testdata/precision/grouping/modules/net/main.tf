# One root cause: this egress rule is reported once, for both examples that call the module.
resource "aws_security_group" "this" {
  name = "app"

  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }
}
