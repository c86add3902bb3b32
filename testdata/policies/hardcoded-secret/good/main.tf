# SEC001 hardcoded-secret: near misses that must stay silent.

# No value: set at apply time (TF_VAR_db_password).
variable "db_password" {
  type      = string
  sensitive = true
}

resource "random_password" "api" {
  length  = 32
  special = true
}

resource "aws_db_instance" "main" {
  engine                      = "postgres"
  instance_class              = "db.t3.micro"
  allocated_storage           = 20
  username                    = "app"
  manage_master_user_password = true
}

resource "aws_rds_cluster" "aurora" {
  cluster_identifier = "aurora"
  engine             = "aurora-postgresql"
  master_username    = "app"
  master_password    = var.db_password
}

resource "aws_ssm_parameter" "api" {
  name  = "/app/api/token"
  type  = "SecureString"
  value = random_password.api.result
}

# References to secrets, placeholders and settings are not secrets.
resource "aws_lambda_function" "api" {
  function_name = "api"
  role          = "arn:aws:iam::123456789012:role/api"
  handler       = "index.handler"
  runtime       = "nodejs20.x"

  environment {
    variables = {
      DB_SECRET_ARN   = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-AbCdEf"
      API_TOKEN_PATH  = "/app/api/token"
      ADMIN_PASSWORD  = "changeme"
      PASSWORD_LENGTH = "32"
    }
  }
}

resource "aws_iam_user_login_profile" "ops" {
  user                    = "ops"
  password_length         = 24
  password_reset_required = true
}

# A placeholder default for a value CI injects is not a secret (seen in real Terragrunt code:
# `get_env("TOKEN", "I_am_not_a_secret_token")`).
resource "aws_db_instance" "placeholder" {
  engine   = "postgres"
  password = "I_am_not_a_secret_token"
}

# A CloudFormation-style parameter that only names secrets.
resource "aws_cloudformation_stack" "athena" {
  name       = "athena"
  parameters = { SecretNamePrefix = "forms/athena-connector-credentials" }
}

# Placeholders and settings under secret-looking names (seen in public modules): the value is the
# attribute's own name, a constant, a host name, a plain word.
resource "azuread_application_password" "ci" {
  application_id = "ci"
}

resource "kubernetes_secret" "oauth" {
  metadata {
    name = "oauth"
  }
  data = {
    client_secret = "client_secret"
    token         = "stagingonly"
  }
}

resource "aws_kms_key" "dnssec" {
  customer_master_key_spec = "ECC_NIST_P256"
  key_usage                = "SIGN_VERIFY"
}

resource "aws_iam_access_key" "ci" {
  user   = "ci"
  status = "Inactive"
}

variable "access_key_status" {
  default = "Inactive"
}

resource "aws_secretsmanager_secret_version" "fqdn" {
  secret_id     = "internal-dns-fqdn"
  secret_string = "notification.internal"
}

resource "aws_db_instance" "stub" {
  engine   = "postgres"
  password = "CHANGE_ME"
}

# A connection document put together from several values: each part is checked where it is
# written (a password literal would be reported there), not the document as a whole, whose
# first part is a user name.
variable "username" {
  default = "thebigcheese"
}

resource "aws_secretsmanager_secret_version" "connection" {
  secret_id = "connection"
  secret_string = jsonencode({
    username = var.username
    engine   = "postgres"
    host     = "db.internal"
  })
}
