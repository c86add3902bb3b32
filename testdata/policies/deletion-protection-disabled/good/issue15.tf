# DEL002 near misses for the shapes added for issue 15.

resource "aws_neptune_cluster" "graph" {
  cluster_identifier        = "graph"
  engine                    = "neptune"
  storage_encrypted         = true
  deletion_protection       = true
  final_snapshot_identifier = "graph-final"
}

resource "aws_docdb_cluster" "docs" {
  cluster_identifier  = "docs"
  master_username     = "docs"
  storage_encrypted   = true
  deletion_protection = true
}

resource "aws_lb" "public" {
  name                       = "public"
  load_balancer_type         = "application"
  subnets                    = ["subnet-0a1b2c3d", "subnet-4e5f6a7b"]
  enable_deletion_protection = true
}

resource "azurerm_key_vault" "kv" {
  name                       = "acme-kv"
  location                   = "westeurope"
  resource_group_name        = "rg"
  tenant_id                  = "00000000-0000-0000-0000-000000000000"
  sku_name                   = "standard"
  purge_protection_enabled   = true
  soft_delete_retention_days = 7
}

resource "azurerm_storage_account" "data" {
  name                     = "acmedata"
  resource_group_name      = "rg"
  location                 = "westeurope"
  account_tier             = "Standard"
  account_replication_type = "LRS"

  blob_properties {
    delete_retention_policy {
      days = 14
    }
    container_delete_retention_policy {
      days = 14
    }
  }
}

# File shares only: blob soft delete does not apply.
resource "azurerm_storage_account" "files" {
  name                     = "acmefiles"
  resource_group_name      = "rg"
  location                 = "westeurope"
  account_tier             = "Premium"
  account_kind             = "FileStorage"
  account_replication_type = "LRS"
}

# deletion_protection defaults to true.
resource "google_spanner_database" "db" {
  instance = "main"
  name     = "db"
}

resource "google_bigtable_instance" "bt" {
  name = "bt"

  cluster {
    cluster_id = "bt-c1"
    zone       = "europe-west1-b"
  }
}

# The default deletion_policy (ABANDON) leaves the database in place on destroy.
resource "google_firestore_database" "fs" {
  name        = "(default)"
  location_id = "eur3"
  type        = "FIRESTORE_NATIVE"
}

resource "google_firestore_database" "protected" {
  name                    = "protected"
  location_id             = "eur3"
  type                    = "FIRESTORE_NATIVE"
  deletion_policy         = "DELETE"
  delete_protection_state = "DELETE_PROTECTION_ENABLED"
}
