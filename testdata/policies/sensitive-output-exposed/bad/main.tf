# SEC002 sensitive-output-exposed: every output below exposes a secret.

variable "db_password" {
  type      = string
  sensitive = true
}

resource "aws_iam_access_key" "ci" {
  user = "ci"
}

resource "tls_private_key" "deploy" {
  algorithm = "ED25519"
}

# Flagged: the provider marks the secret access key sensitive.
output "ci_secret" {
  value = aws_iam_access_key.ci.secret
}

# Flagged: a sensitive variable inside a larger value keeps its mark.
output "db_settings" {
  value = { user = "app", password = var.db_password }
}

# Flagged: the provider marks the private key sensitive, whatever the output is called.
output "deploy_key" {
  value = tls_private_key.deploy.private_key_openssh
}

# Flagged: an access key id.
output "ci_access_key_id" {
  value = "AKIAIOSFODNN7EXAMPLE"
}
