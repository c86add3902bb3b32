terraform {
  required_version = ">= 1.11"
}

ephemeral "random_password" "db" {
  length = 24
}

ephemeral "aws_secretsmanager_secret_version" "api" {
  secret_id = aws_secretsmanager_secret.api.id
}

resource "aws_secretsmanager_secret" "api" {
  name = "api"
}

resource "aws_db_instance" "db" {
  identifier          = "main"
  storage_encrypted   = true
  deletion_protection = true
  password_wo         = ephemeral.random_password.db.result
  password_wo_version = 1
}

resource "aws_secretsmanager_secret_version" "api" {
  secret_id                = aws_secretsmanager_secret.api.id
  secret_string_wo         = jsonencode({ key = ephemeral.aws_secretsmanager_secret_version.api.secret_string })
  secret_string_wo_version = 2
}

import {
  to = aws_secretsmanager_secret.api
  id = "arn:aws:secretsmanager:eu-west-1:111122223333:secret:api"
}

import {
  for_each = toset(["a", "b"])
  to       = aws_s3_bucket.imported[each.key]
  id       = "bucket-${each.key}"
}

resource "aws_s3_bucket" "imported" {
  for_each = toset(["a", "b"])
  bucket   = "bucket-${each.key}"
}

moved {
  from = aws_s3_bucket.old
  to   = aws_s3_bucket.imported["a"]
}

removed {
  from = aws_s3_bucket.gone
  lifecycle {
    destroy = false
  }
}

check "health" {
  data "http" "ping" {
    url = "https://example.com/health"
  }
  assert {
    condition     = data.http.ping.status_code == 200
    error_message = "unhealthy: ${data.http.ping.status_code}"
  }
}

output "secret_arn" {
  value = aws_secretsmanager_secret.api.arn
}

locals {
  conn = "postgres://app@${aws_db_instance.db.address}"
  tok  = ephemeral.random_password.db.result
}

provider "aws" {
  region = "eu-west-1"
}
