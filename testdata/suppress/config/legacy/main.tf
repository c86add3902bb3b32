resource "aws_security_group" "old" {
  egress {
    cidr_blocks = ["0.0.0.0/0"]
  }
}
