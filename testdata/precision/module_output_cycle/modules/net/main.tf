variable "name" {
  type = string
}

variable "ingress_cidr" {
  type = string
}

resource "aws_security_group" "this" {
  name = var.name

  ingress {
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = [var.ingress_cidr]
  }
}

# Depends on `name` only, so a caller may pass it back into `ingress_cidr`.
output "name" {
  value = var.name
}

output "id" {
  value = aws_security_group.this.id
}
