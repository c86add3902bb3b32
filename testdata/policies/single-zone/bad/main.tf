# AVL001 single-zone: every data store below has no standby in another zone.

# Flagged: multi_az defaults to false.
resource "aws_db_instance" "main" {
  engine            = "postgres"
  instance_class    = "db.m6g.large"
  allocated_storage = 100
}

# Flagged: automatic failover off (and multi-AZ off).
resource "aws_elasticache_replication_group" "cache" {
  replication_group_id = "cache"
  description          = "cache"
  node_type            = "cache.r6g.large"
  num_cache_clusters   = 2
}

# Flagged: ZONAL is the default.
resource "google_sql_database_instance" "main" {
  name             = "main"
  database_version = "POSTGRES_15"
  region           = "europe-west1"
  settings {
    tier = "db-custom-2-7680"
  }
}

# Flagged: no high_availability block; and a standby in the same zone.
resource "azurerm_postgresql_flexible_server" "main" {
  name                = "main"
  resource_group_name = "rg"
  location            = "westeurope"
  sku_name            = "GP_Standard_D2s_v3"
}

resource "azurerm_mysql_flexible_server" "main" {
  name                = "main"
  resource_group_name = "rg"
  location            = "westeurope"
  sku_name            = "GP_Standard_D2ds_v4"
  high_availability {
    mode = "SameZone"
  }
}

# Flagged: a Business Critical database that could be zone redundant.
resource "azurerm_mssql_database" "orders" {
  name      = "orders"
  server_id = "/subscriptions/0000/resourceGroups/rg/providers/Microsoft.Sql/servers/main"
  sku_name  = "BC_Gen5_2"
}
