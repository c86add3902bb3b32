# guard:ignore NET001
resource "aws_security_group" "no_reason" {
  egress {
    cidr_blocks = ["0.0.0.0/0"]
  }
}

# guard:ignore NET001 --
resource "aws_security_group" "empty_reason" {
  egress {
    cidr_blocks = ["0.0.0.0/0"]
  }
}
