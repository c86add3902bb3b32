# guard:ignore NET001,ENC001 -- ENC001 suppresses nothing here
resource "aws_security_group" "web" {
  egress {
    cidr_blocks = ["0.0.0.0/0"]
  }
}

# guard:ignore NET002 -- nothing here opens ingress
resource "aws_security_group" "internal" {
  egress {
    cidr_blocks = ["10.0.0.0/8"]
  }
}

locals {
  note = "# guard:ignore NET001 -- inside a string, not a comment"
  doc  = <<EOT
# guard:ignore NET001 -- inside a heredoc, not a comment
EOT
}
