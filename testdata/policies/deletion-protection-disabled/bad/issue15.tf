# DEL002 shapes added for issue 15.

# Flagged: no deletion protection, and no final snapshot.
resource "aws_neptune_cluster" "graph" {
  cluster_identifier  = "graph"
  engine              = "neptune"
  storage_encrypted   = true
  skip_final_snapshot = true
}

# Flagged: deletion protection not set.
resource "aws_docdb_cluster" "docs" {
  cluster_identifier = "docs"
  master_username    = "docs"
  storage_encrypted  = true
}

# Flagged (medium): an internet-facing load balancer without deletion protection.
resource "aws_lb" "public" {
  name               = "public"
  load_balancer_type = "application"
  subnets            = ["subnet-0a1b2c3d", "subnet-4e5f6a7b"]
}

# Flagged (low): an internal one.
resource "aws_lb" "internal" {
  name               = "internal"
  internal           = true
  load_balancer_type = "network"
  subnets            = ["subnet-0a1b2c3d"]
}

# Flagged: purge protection not set (defaults to false).
resource "azurerm_key_vault" "kv" {
  name                = "acme-kv"
  location            = "westeurope"
  resource_group_name = "rg"
  tenant_id           = "00000000-0000-0000-0000-000000000000"
  sku_name            = "standard"
}

# Flagged: no blob or container soft delete.
resource "azurerm_storage_account" "data" {
  name                     = "acmedata"
  resource_group_name      = "rg"
  location                 = "westeurope"
  account_tier             = "Standard"
  account_replication_type = "LRS"

  blob_properties {
    versioning_enabled = true
  }
}

resource "google_spanner_database" "db" {
  instance            = "main"
  name                = "db"
  deletion_protection = false
}

resource "google_bigtable_instance" "bt" {
  name                = "bt"
  deletion_protection = false

  cluster {
    cluster_id = "bt-c1"
    zone       = "europe-west1-b"
  }
}

# Flagged: Terraform deletes the database on destroy, and nothing protects it.
resource "google_firestore_database" "fs" {
  name            = "(default)"
  location_id     = "eur3"
  type            = "FIRESTORE_NATIVE"
  deletion_policy = "DELETE"
}
