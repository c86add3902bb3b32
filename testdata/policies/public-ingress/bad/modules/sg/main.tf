variable "name" {
  type = string
}

# Flagged once for both module instances: SSH open to the world.
resource "aws_security_group" "this" {
  name   = var.name
  vpc_id = "vpc-0a1b2c3d"

  ingress {
    protocol    = "tcp"
    from_port   = 22
    to_port     = 22
    cidr_blocks = ["0.0.0.0/0"]
  }
}
