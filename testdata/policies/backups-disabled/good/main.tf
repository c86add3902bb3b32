# AVL002 backups-disabled: near misses that must stay silent.

# Unset retention means AWS's default of 1 day.
resource "aws_db_instance" "main" {
  engine         = "postgres"
  instance_class = "db.t3.micro"
}

# A read replica keeps no backups of its own.
resource "aws_db_instance" "replica" {
  instance_class          = "db.t3.micro"
  replicate_source_db     = aws_db_instance.main.identifier
  backup_retention_period = 0
}

resource "aws_rds_cluster" "main" {
  engine                  = "aurora-postgresql"
  backup_retention_period = 7
}

resource "aws_dynamodb_table" "orders" {
  name     = "orders"
  hash_key = "id"
  attribute {
    name = "id"
    type = "S"
  }
  point_in_time_recovery {
    enabled = true
  }
}

resource "aws_elasticache_replication_group" "cache" {
  replication_group_id     = "cache"
  description              = "cache"
  node_type                = "cache.t3.micro"
  snapshot_retention_limit = 5
}

# Memcached has no snapshots.
resource "aws_elasticache_cluster" "memcached" {
  cluster_id = "sessions"
  engine     = "memcached"
  node_type  = "cache.t3.micro"
}

resource "google_sql_database_instance" "main" {
  name             = "main"
  database_version = "POSTGRES_15"
  settings {
    tier = "db-f1-micro"
    backup_configuration {
      enabled                        = true
      point_in_time_recovery_enabled = true
    }
  }
}

resource "azurerm_postgresql_flexible_server" "main" {
  name                  = "main"
  resource_group_name   = "rg"
  location              = "westeurope"
  backup_retention_days = 14
}
