# guard:ignore NET001 -- the bastion is reached from anywhere on purpose (OPS-12)
resource "aws_security_group" "bastion" {
  egress {
    cidr_blocks = ["0.0.0.0/0"] # bastion-egress
  }
}

resource "aws_security_group" "web" {
  egress {
    cidr_blocks = ["0.0.0.0/0"] # web-egress
  }
}
