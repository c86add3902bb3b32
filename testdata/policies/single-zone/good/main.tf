# AVL001 single-zone: near misses that must stay silent.

resource "aws_db_instance" "main" {
  engine            = "postgres"
  instance_class    = "db.m6g.large"
  allocated_storage = 100
  multi_az          = true
}

# A read replica follows its source; an Aurora instance is placed by its cluster.
resource "aws_db_instance" "replica" {
  instance_class      = "db.m6g.large"
  replicate_source_db = aws_db_instance.main.identifier
}

resource "aws_db_instance" "aurora" {
  engine             = "aurora-postgresql"
  instance_class     = "db.r6g.large"
  cluster_identifier = "main"
}

resource "aws_elasticache_replication_group" "cache" {
  replication_group_id       = "cache"
  description                = "cache"
  node_type                  = "cache.r6g.large"
  num_cache_clusters         = 2
  automatic_failover_enabled = true
  multi_az_enabled           = true
}

resource "google_sql_database_instance" "main" {
  name             = "main"
  database_version = "POSTGRES_15"
  region           = "europe-west1"
  settings {
    tier              = "db-custom-2-7680"
    availability_type = "REGIONAL"
  }
}

resource "google_sql_database_instance" "replica" {
  name                 = "replica"
  database_version     = "POSTGRES_15"
  region               = "europe-west1"
  master_instance_name = google_sql_database_instance.main.name
  settings {
    tier = "db-custom-2-7680"
  }
}

resource "azurerm_postgresql_flexible_server" "main" {
  name                = "main"
  resource_group_name = "rg"
  location            = "westeurope"
  sku_name            = "GP_Standard_D2s_v3"
  high_availability {
    mode = "ZoneRedundant"
  }
}

# Basic and Standard (DTU) databases cannot be zone redundant.
resource "azurerm_mssql_database" "small" {
  name      = "small"
  server_id = "/subscriptions/0000/resourceGroups/rg/providers/Microsoft.Sql/servers/main"
  sku_name  = "S0"
}

resource "azurerm_mssql_database" "orders" {
  name           = "orders"
  server_id      = "/subscriptions/0000/resourceGroups/rg/providers/Microsoft.Sql/servers/main"
  sku_name       = "BC_Gen5_2"
  zone_redundant = true
}
