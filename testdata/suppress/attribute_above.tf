resource "aws_security_group" "web" {
  egress {
    # guard:ignore NET001 -- updates come from the public package mirror
    cidr_blocks = ["0.0.0.0/0"]
  }
  ingress {
    cidr_blocks = ["0.0.0.0/0"]
  }
}
