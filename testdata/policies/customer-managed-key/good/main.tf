# ENC004 customer-managed-key: near misses that must stay silent.

variable "key_arn" {
  type    = string
  default = "arn:aws:kms:eu-west-1:123456789012:key/0d1c2b3a-4f5e-6d7c-8b9a-0f1e2d3c4b5a"
}

resource "aws_kms_key" "data" {
  enable_key_rotation = true
}

resource "aws_kms_alias" "data" {
  name          = "alias/acme-data"
  target_key_id = aws_kms_key.data.key_id
}

# The key of the configuration, per for_each key through the companion resource.
resource "aws_s3_bucket" "logs" {
  for_each = toset(["a", "b"])
  bucket   = "acme-logs-${each.key}"
}

resource "aws_s3_bucket_server_side_encryption_configuration" "logs" {
  for_each = aws_s3_bucket.logs
  bucket   = each.value.id

  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = "aws:kms"
      kms_master_key_id = aws_kms_key.data.arn
    }
  }
}

# A customer alias, inline.
resource "aws_s3_bucket" "legacy" {
  bucket = "acme-legacy"

  server_side_encryption_configuration {
    rule {
      apply_server_side_encryption_by_default {
        sse_algorithm     = "aws:kms"
        kms_master_key_id = "alias/acme-data"
      }
    }
  }
}

# No encryption configuration at all: ENC001's finding, not ENC004's.
resource "aws_s3_bucket" "plain" {
  bucket = "acme-plain"
}

resource "aws_ebs_volume" "data" {
  availability_zone = "eu-west-1a"
  size              = 100
  encrypted         = true
  kms_key_id        = aws_kms_key.data.arn
}

# Unencrypted: ENC001's.
resource "aws_ebs_volume" "plain" {
  availability_zone = "eu-west-1a"
  size              = 100
}

# Restored from a snapshot: takes the snapshot's key.
resource "aws_ebs_volume" "restored" {
  availability_zone = "eu-west-1a"
  snapshot_id       = "snap-0123456789abcdef0"
}

resource "aws_db_instance" "main" {
  engine            = "postgres"
  instance_class    = "db.t3.micro"
  allocated_storage = 20
  username          = "app"
  storage_encrypted = true
  kms_key_id        = var.key_arn
}

# Read replicas take their source's key.
resource "aws_db_instance" "replica" {
  instance_class      = "db.t3.micro"
  replicate_source_db = aws_db_instance.main.identifier
  storage_encrypted   = true
}

# Not encrypted: ENC001's.
resource "aws_db_instance" "plain" {
  engine            = "postgres"
  instance_class    = "db.t3.micro"
  allocated_storage = 20
}

resource "aws_rds_cluster" "aurora" {
  engine            = "aurora-postgresql"
  storage_encrypted = true
  kms_key_id        = aws_kms_alias.data.arn
}

resource "aws_neptune_cluster" "graph" {
  storage_encrypted = true
  kms_key_arn       = aws_kms_key.data.arn
}

resource "aws_dynamodb_table" "main" {
  name     = "main"
  hash_key = "id"
  attribute {
    name = "id"
    type = "S"
  }
  server_side_encryption {
    enabled     = true
    kms_key_arn = aws_kms_key.data.arn
  }
}

resource "aws_sqs_queue" "main" {
  name              = "main"
  kms_master_key_id = aws_kms_alias.data.name
}

# Explicitly unencrypted: ENC001's.
resource "aws_sqs_queue" "plain" {
  name                    = "plain"
  sqs_managed_sse_enabled = false
}

# No key at all: ENC001 reports the topic and the log group.
resource "aws_sns_topic" "plain" {
  name = "plain"
}

resource "aws_cloudwatch_log_group" "plain" {
  name = "plain"
}

resource "aws_sns_topic" "alerts" {
  name              = "alerts"
  kms_master_key_id = aws_kms_key.data.id
}

resource "aws_secretsmanager_secret" "token" {
  name       = "token"
  kms_key_id = aws_kms_key.data.arn
}

resource "aws_efs_file_system" "shared" {
  encrypted  = true
  kms_key_id = aws_kms_key.data.arn
}

resource "aws_kinesis_stream" "events" {
  name            = "events"
  shard_count     = 1
  encryption_type = "KMS"
  kms_key_id      = "alias/acme-data"
}

resource "aws_ecr_repository" "app" {
  name = "app"
  encryption_configuration {
    encryption_type = "KMS"
    kms_key         = aws_kms_key.data.arn
  }
}

resource "aws_elasticache_replication_group" "cache" {
  replication_group_id       = "cache"
  description                = "cache"
  at_rest_encryption_enabled = true
  kms_key_id                 = aws_kms_key.data.arn
}

resource "aws_redshift_cluster" "warehouse" {
  cluster_identifier = "warehouse"
  node_type          = "ra3.xlplus"
  encrypted          = true
  kms_key_id         = aws_kms_key.data.arn
}

resource "aws_cloudtrail" "main" {
  name           = "main"
  s3_bucket_name = "acme-trail"
  kms_key_id     = aws_kms_key.data.arn
}

resource "google_kms_crypto_key" "data" {
  name     = "data"
  key_ring = "projects/acme/locations/europe/keyRings/main"
}

resource "google_storage_bucket" "data" {
  name     = "acme-data"
  location = "EU"
  encryption {
    default_kms_key_name = google_kms_crypto_key.data.id
  }
}

resource "google_sql_database_instance" "main" {
  database_version    = "POSTGRES_15"
  encryption_key_name = google_kms_crypto_key.data.id
  settings {
    tier = "db-f1-micro"
  }
}

resource "google_bigquery_dataset" "analytics" {
  dataset_id = "analytics"
  default_encryption_configuration {
    kms_key_name = google_kms_crypto_key.data.id
  }
}

resource "google_pubsub_topic" "events" {
  name         = "events"
  kms_key_name = "projects/acme/locations/europe/keyRings/main/cryptoKeys/events"
}

# A customer-supplied key (CSEK) is the customer's own.
resource "google_compute_disk" "supplied" {
  name = "supplied"
  zone = "europe-west1-b"
  disk_encryption_key {
    rsa_encrypted_key = "ieCx/NcW06PcT7Ep1X6LUTc/hLvUDYyzSZPPVCVPTVEohpeHASqC8uw5TzyO9U+Fka9JFHz0mBibXUInrC/jEk014kCK/NPjYgEMOyssZ4ZINPKxlUh2zn1bV+MCaTICrdmuSBTWlUUiFoDD6PYznLwh8ZNdaheCeZ8ewEXgFQ8V+sDroLaN3Xs3MDTXQEMMoNUXMCZEIpg9Vtp9x2oeQ5lAbtt7bYAAHf5l+gJWw3sUfs0/Glw5fpdjT8Uggrr+RMZezGrltJEF293rvTIjWOEB3z5OHyHwQkvdrPDFcTqsLfh+8Hr8g+mf+7zVPEC8nEbqpdl3GPv3A7AwpFp7MA=="
  }
}

# No disk_encryption_key: ENC001's (low).
resource "google_compute_disk" "plain" {
  name = "plain"
  zone = "europe-west1-b"
}

resource "azurerm_key_vault_key" "data" {
  name         = "data"
  key_vault_id = "/subscriptions/0000/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/acme"
  key_type     = "RSA"
  key_size     = 2048
  key_opts     = ["wrapKey", "unwrapKey"]
}

# A customer-managed key through the separate resource.
resource "azurerm_storage_account" "data" {
  name                     = "acmedata"
  resource_group_name      = "rg"
  location                 = "westeurope"
  account_tier             = "Standard"
  account_replication_type = "GRS"
}

resource "azurerm_storage_account_customer_managed_key" "data" {
  storage_account_id = azurerm_storage_account.data.id
  key_vault_id       = "/subscriptions/0000/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/acme"
  key_name           = azurerm_key_vault_key.data.name
}

resource "azurerm_storage_account" "inline" {
  name                     = "acmeinline"
  resource_group_name      = "rg"
  location                 = "westeurope"
  account_tier             = "Standard"
  account_replication_type = "GRS"
  customer_managed_key {
    key_vault_key_id          = azurerm_key_vault_key.data.id
    user_assigned_identity_id = "/subscriptions/0000/resourceGroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/storage"
  }
}

resource "azurerm_managed_disk" "data" {
  name                   = "data"
  resource_group_name    = "rg"
  location               = "westeurope"
  storage_account_type   = "Premium_LRS"
  create_option          = "Empty"
  disk_size_gb           = 64
  disk_encryption_set_id = "/subscriptions/0000/resourceGroups/rg/providers/Microsoft.Compute/diskEncryptionSets/acme"
}

resource "azurerm_mssql_server" "main" {
  name                = "acme-sql"
  resource_group_name = "rg"
  location            = "westeurope"
  version             = "12.0"
}

resource "azurerm_mssql_server_transparent_data_encryption" "main" {
  server_id        = azurerm_mssql_server.main.id
  key_vault_key_id = azurerm_key_vault_key.data.id
}

resource "azurerm_postgresql_flexible_server" "main" {
  name                = "acme-pg"
  resource_group_name = "rg"
  location            = "westeurope"
  customer_managed_key {
    key_vault_key_id = azurerm_key_vault_key.data.id
  }
}

# Log-delivery targets accept SSE-S3 only: server access logs and load balancer access logs.
resource "aws_s3_bucket" "access_logs" {
  bucket = "acme-access-logs"
}

resource "aws_s3_bucket_server_side_encryption_configuration" "access_logs" {
  bucket = aws_s3_bucket.access_logs.id

  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "AES256"
    }
  }
}

resource "aws_s3_bucket_logging" "data" {
  bucket        = aws_s3_bucket.legacy.id
  target_bucket = aws_s3_bucket.access_logs.id
  target_prefix = "legacy/"
}

resource "aws_s3_bucket" "lb_logs" {
  bucket = "acme-lb-logs"

  server_side_encryption_configuration {
    rule {
      apply_server_side_encryption_by_default {
        sse_algorithm = "AES256"
      }
    }
  }
}

resource "aws_lb" "web" {
  name               = "web"
  load_balancer_type = "application"

  access_logs {
    bucket  = aws_s3_bucket.lb_logs.bucket
    enabled = true
  }
}

# Restored from a snapshot: the instance takes the snapshot's key.
resource "aws_db_instance" "restored" {
  instance_class      = "db.t3.micro"
  snapshot_identifier = "main-2026-08-01"
  storage_encrypted   = true
}

# A Cloud SQL replica follows its primary's key.
resource "google_sql_database_instance" "replica" {
  database_version     = "POSTGRES_15"
  master_instance_name = google_sql_database_instance.main.name
  settings {
    tier = "db-f1-micro"
  }
}
