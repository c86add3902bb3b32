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

# Named like secrets, but no provider marks these sensitive: a `random_string` result, PGP
# ciphertext of an access key, and a Windows password encrypted with the key pair.
resource "random_string" "suffix" {
  length = 8
}

resource "aws_iam_access_key" "ci" {
  user    = "ci"
  pgp_key = "keybase:ci"
}

resource "aws_instance" "windows" {
  ami               = "ami-12345678"
  instance_type     = "t3.micro"
  get_password_data = true
}

output "api_token" {
  value = random_string.suffix.result
}

output "ci_encrypted_secret" {
  value = aws_iam_access_key.ci.encrypted_secret
}

output "windows_password_data" {
  value = aws_instance.windows.password_data
}

# A boolean that says whether a secret is set is not the secret.
output "has_db_password" {
  value = can(var.db_password)
}

# A child module's output carries the mark to its caller; only root outputs need
# `sensitive = true`, and this root declares it.
module "user" {
  source = "./modules/user"
}

output "user_secret" {
  value     = module.user.secret
  sensitive = true
}
