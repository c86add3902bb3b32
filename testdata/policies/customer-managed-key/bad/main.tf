# ENC004 customer-managed-key: encrypted, but with the provider's key. Each block is one finding.

variable "queue_key" {
  type = string
}

# SSE-S3 through the separate resource (per for_each key: only "b" uses AES256).
resource "aws_s3_bucket" "logs" {
  for_each = toset(["a", "b"])
  bucket   = "acme-logs-${each.key}"
}

resource "aws_kms_key" "logs" {
  enable_key_rotation = true
}

resource "aws_s3_bucket_server_side_encryption_configuration" "logs" {
  for_each = aws_s3_bucket.logs
  bucket   = each.value.id

  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = each.key == "a" ? "aws:kms" : "AES256"
      kms_master_key_id = each.key == "a" ? aws_kms_key.logs.arn : null
    }
  }
}

# aws:kms without a key: the aws-managed aws/s3 key.
resource "aws_s3_bucket" "data" {
  bucket = "acme-data"
}

resource "aws_s3_bucket_server_side_encryption_configuration" "data" {
  bucket = aws_s3_bucket.data.id

  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "aws:kms"
    }
  }
}

# Inline, with the aws-managed alias.
resource "aws_s3_bucket" "legacy" {
  bucket = "acme-legacy"

  server_side_encryption_configuration {
    rule {
      apply_server_side_encryption_by_default {
        sse_algorithm     = "aws:kms"
        kms_master_key_id = "alias/aws/s3"
      }
    }
  }
}

resource "aws_ebs_volume" "data" {
  availability_zone = "eu-west-1a"
  size              = 100
  encrypted         = true
}

resource "aws_db_instance" "main" {
  engine            = "postgres"
  instance_class    = "db.t3.micro"
  allocated_storage = 20
  username          = "app"
  storage_encrypted = true
}

resource "aws_rds_cluster" "aurora" {
  engine            = "aurora-postgresql"
  storage_encrypted = true
  kms_key_id        = "arn:aws:kms:eu-west-1:123456789012:alias/aws/rds"
}

# Aurora Serverless v1 is always encrypted, with aws/rds unless a key is named.
resource "aws_rds_cluster" "serverless" {
  engine      = "aurora-mysql"
  engine_mode = "serverless"
}

resource "aws_neptune_cluster" "graph" {
  storage_encrypted = true
}

resource "aws_docdb_cluster" "docs" {
  storage_encrypted = true
}

# DynamoDB: no block is an aws-owned key, enabled without a key the aws-managed one.
resource "aws_dynamodb_table" "owned" {
  name     = "owned"
  hash_key = "id"
  attribute {
    name = "id"
    type = "S"
  }
}

resource "aws_dynamodb_table" "managed" {
  name     = "managed"
  hash_key = "id"
  attribute {
    name = "id"
    type = "S"
  }
  server_side_encryption {
    enabled = true
  }
}

# SSE-SQS (the default) and the aws-managed alias.
resource "aws_sqs_queue" "default" {
  name = "default"
}

resource "aws_sqs_queue" "alias" {
  name              = "alias"
  kms_master_key_id = "alias/aws/sqs"
}

# A key from a variable with no value: cannot be confirmed (low).
resource "aws_sqs_queue" "variable" {
  name              = "variable"
  kms_master_key_id = var.queue_key
}

resource "aws_sns_topic" "alerts" {
  name              = "alerts"
  kms_master_key_id = "alias/aws/sns"
}

resource "aws_secretsmanager_secret" "token" {
  name = "token"
}

resource "aws_efs_file_system" "shared" {
  encrypted = true
}

resource "aws_kinesis_stream" "events" {
  name            = "events"
  shard_count     = 1
  encryption_type = "KMS"
  kms_key_id      = "alias/aws/kinesis"
}

resource "aws_ecr_repository" "app" {
  name = "app"
}

resource "aws_ecr_repository" "kms_default" {
  name = "kms-default"
  encryption_configuration {
    encryption_type = "KMS"
  }
}

resource "aws_elasticache_replication_group" "cache" {
  replication_group_id       = "cache"
  description                = "cache"
  at_rest_encryption_enabled = true
}

resource "aws_redshift_cluster" "warehouse" {
  cluster_identifier = "warehouse"
  node_type          = "ra3.xlplus"
  encrypted          = true
}

resource "aws_cloudtrail" "main" {
  name           = "main"
  s3_bucket_name = "acme-trail"
}

resource "google_storage_bucket" "data" {
  name     = "acme-data"
  location = "EU"
}

resource "google_sql_database_instance" "main" {
  database_version = "POSTGRES_15"
  settings {
    tier = "db-f1-micro"
  }
}

resource "google_bigquery_dataset" "analytics" {
  dataset_id = "analytics"
}

resource "google_pubsub_topic" "events" {
  name = "events"
}

# A disk_encryption_key block that names no key.
resource "google_compute_disk" "data" {
  name = "data"
  zone = "europe-west1-b"
  disk_encryption_key {
    kms_key_service_account = "disks@acme.iam.gserviceaccount.com"
  }
}

resource "azurerm_storage_account" "data" {
  name                     = "acmedata"
  resource_group_name      = "rg"
  location                 = "westeurope"
  account_tier             = "Standard"
  account_replication_type = "GRS"
}

resource "azurerm_managed_disk" "data" {
  name                 = "data"
  resource_group_name  = "rg"
  location             = "westeurope"
  storage_account_type = "Premium_LRS"
  create_option        = "Empty"
  disk_size_gb         = 64
}

resource "azurerm_mssql_server" "main" {
  name                = "acme-sql"
  resource_group_name = "rg"
  location            = "westeurope"
  version             = "12.0"
}

resource "azurerm_postgresql_flexible_server" "main" {
  name                = "acme-pg"
  resource_group_name = "rg"
  location            = "westeurope"
}
