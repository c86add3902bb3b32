resource "aws_security_group" "web" {
  egress {
    cidr_blocks = ["0.0.0.0/0"] # guard:ignore NET001 -- public package mirror
  }
  ingress {
    cidr_blocks = ["0.0.0.0/0"]
  }
}
