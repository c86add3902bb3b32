resource "aws_security_group" "new" {
  egress {
    cidr_blocks = ["0.0.0.0/0"]
  }
}
