# SEC002 sensitive-output-exposed: every output below exposes a secret.

variable "db_password" {
  type      = string
  sensitive = true
}

resource "aws_iam_access_key" "ci" {
  user = "ci"
}

resource "random_id" "api" {
  byte_length = 32
}

# Flagged: the provider marks the secret access key sensitive.
output "ci_secret" {
  value = aws_iam_access_key.ci.secret
}

# Flagged (medium): named like a secret, not sensitive (random_id is not sensitive to Terraform).
output "api_token" {
  value = random_id.api.hex
}

# Flagged (medium): a sensitive variable laundered through nonsensitive().
output "db_password" {
  value = nonsensitive(var.db_password)
}

# Flagged: an access key id.
output "ci_access_key_id" {
  value = "AKIAIOSFODNN7EXAMPLE"
}
