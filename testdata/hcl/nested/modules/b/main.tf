variable "cidrs" { type = list(string) }
resource "aws_security_group" "this" {
  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = var.cidrs
  }
}
