# guard:ignore NET001["public"] -- only the public tier faces the internet
resource "aws_security_group" "tier" {
  for_each = toset(["public", "private"])
  egress {
    cidr_blocks = ["0.0.0.0/0"]
  }
}

# guard:ignore NET001[0] -- the first replica is the public one
resource "aws_security_group" "replica" {
  count = 2
  egress {
    cidr_blocks = ["0.0.0.0/0"]
  }
}
