// guard:ignore NET001 -- written with a double-slash comment
resource "aws_security_group" "slash" {
  egress {
    cidr_blocks = ["0.0.0.0/0"]
  }
}
