# DEL004 privileged-resource-unprotected: near misses that must stay silent.

resource "google_service_account" "api" {
  account_id = "api"

  lifecycle {
    prevent_destroy = true
  }
}

# Not privileged: instances can be recreated.
resource "aws_instance" "web" {
  ami           = "ami-0c55b159cbfafe1f0"
  instance_type = "t3.micro"
}

# Data sources are not managed.
data "aws_iam_role" "existing" {
  name = "existing"
}

# Recreated the same by the next apply, or guarded by something else (DEL002 for buckets and
# databases, the recovery window for Secrets Manager): not what the incident was about.
resource "aws_iam_role" "lambda" {
  name               = "lambda"
  assume_role_policy = "{}"
}

resource "aws_s3_bucket" "logs" {
  bucket = "acme-logs"
}

resource "aws_secretsmanager_secret" "db" {
  name = "db"
}

resource "tls_private_key" "test" {
  algorithm = "ED25519"
}

resource "kubernetes_namespace" "app" {
  metadata {
    name = "app"
  }
}

resource "azurerm_user_assigned_identity" "app" {
  name                = "app"
  location            = "westeurope"
  resource_group_name = "app"
}

# Deleted at once, but the next apply writes the same value again from configuration.
variable "api_key" {
  type      = string
  sensitive = true
}

resource "aws_secretsmanager_secret" "api_key" {
  name                    = "api-key"
  recovery_window_in_days = 0
}

resource "aws_secretsmanager_secret_version" "api_key" {
  secret_id     = aws_secretsmanager_secret.api_key.id
  secret_string = var.api_key
}
