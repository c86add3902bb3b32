resource "aws_security_group" "this" {
  egress {
    cidr_blocks = ["0.0.0.0/0"]
  }
}
