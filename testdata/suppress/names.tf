# guard:ignore public-egress -- names work as well as codes
resource "aws_security_group" "named" {
  egress {
    cidr_blocks = ["0.0.0.0/0"]
  }
}
