# SEC001 hardcoded-secret: every secret below is written into the configuration.

variable "db_password" {
  type      = string
  sensitive = true
  # Flagged once, here, although two resources use it: a high-entropy default.
  default = "Xk3#vP9!qL2@wZ7m"
}

variable "slack_webhook" {
  type = string
}

# Flagged: a literal password in a secret-named attribute.
resource "aws_db_instance" "main" {
  engine            = "postgres"
  instance_class    = "db.t3.micro"
  allocated_storage = 20
  username          = "app"
  password          = "Sup3r-Secr3t-Passw0rd"
}

resource "aws_rds_cluster" "aurora" {
  cluster_identifier = "aurora"
  engine             = "aurora-postgresql"
  master_username    = "app"
  master_password    = var.db_password
}

resource "aws_ssm_parameter" "db" {
  name  = "/app/db/password"
  type  = "SecureString"
  value = var.db_password
}

# Flagged: an AWS access key id in a Lambda environment.
resource "aws_lambda_function" "sync" {
  function_name = "sync"
  role          = "arn:aws:iam::123456789012:role/sync"
  handler       = "index.handler"
  runtime       = "nodejs20.x"

  environment {
    variables = {
      AWS_ACCESS_KEY_ID = "AKIAIOSFODNN7EXAMPLE"
      STAGE             = "prod"
    }
  }
}

# Flagged: a Slack webhook set in terraform.tfvars.
resource "aws_ssm_parameter" "hook" {
  name  = "/app/slack"
  type  = "String"
  value = var.slack_webhook
}

# Flagged: a low-entropy default that flows into a database password is a weak password, not a
# placeholder. Reported once, at the default.
variable "password" {
  type    = string
  default = "Aa1234321Bb"
}

resource "aws_db_instance" "legacy" {
  engine            = "mysql"
  instance_class    = "db.t3.micro"
  allocated_storage = 20
  username          = "admin"
  password          = var.password
}
