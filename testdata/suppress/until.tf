# guard:ignore NET001 until=2999-12-31 -- vendor access until the migration (OPS-7)
resource "aws_security_group" "vendor" {
  egress {
    cidr_blocks = ["0.0.0.0/0"]
  }
}

# guard:ignore NET001 until=2020-01-31 -- temporary, long past
resource "aws_security_group" "old_vendor" {
  egress {
    cidr_blocks = ["0.0.0.0/0"]
  }
}
