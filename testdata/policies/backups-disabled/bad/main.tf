# AVL002 backups-disabled: every data store below keeps no backups, or too few.

# Flagged: automated backups switched off.
resource "aws_db_instance" "main" {
  engine                  = "postgres"
  instance_class          = "db.t3.micro"
  backup_retention_period = 0
}

# Flagged: point-in-time recovery is off by default.
resource "aws_dynamodb_table" "orders" {
  name     = "orders"
  hash_key = "id"
  attribute {
    name = "id"
    type = "S"
  }
}

# Flagged at low severity: snapshot_retention_limit defaults to 0.
resource "aws_elasticache_replication_group" "cache" {
  replication_group_id = "cache"
  description          = "cache"
  node_type            = "cache.t3.micro"
}

# Flagged: backups are off by default.
resource "google_sql_database_instance" "main" {
  name             = "main"
  database_version = "POSTGRES_15"
  settings {
    tier = "db-f1-micro"
  }
}

# Flagged: under 7 days of backups.
resource "azurerm_mssql_database" "orders" {
  name      = "orders"
  server_id = "/subscriptions/0000/resourceGroups/rg/providers/Microsoft.Sql/servers/main"
  short_term_retention_policy {
    retention_days = 3
  }
}
