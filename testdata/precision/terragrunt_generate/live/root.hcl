# A file Terragrunt writes into every unit before it runs: not in the repository.
generate "firewall" {
  path      = "firewall.tf"
  if_exists = "overwrite"
  contents  = <<EOF
resource "aws_security_group" "ssh" {
  name = "ssh"

  ingress {
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
}
EOF
}
