# SEC002 sensitive-output-exposed: near misses that must stay silent.

variable "db_password" {
  type      = string
  sensitive = true
}

resource "aws_secretsmanager_secret" "db" {
  name = "db"
}

output "db_password" {
  value     = var.db_password
  sensitive = true
}

# A secret's ARN is not the secret.
output "db_secret_arn" {
  value = aws_secretsmanager_secret.db.arn
}

output "bucket_name" {
  value = "acme-data"
}
