# STO001 public-storage: near misses that must stay silent.

# A full block, matched to its bucket through the reference, per for_each key.
resource "aws_s3_bucket" "data" {
  for_each = toset(["raw", "clean"])
  bucket   = "acme-data-${each.key}"
}

resource "aws_s3_bucket_public_access_block" "data" {
  for_each                = aws_s3_bucket.data
  bucket                  = each.value.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

# A private ACL and the log-delivery ACL are not public.
resource "aws_s3_bucket_acl" "data" {
  bucket = "acme-data-raw"
  acl    = "private"
}

resource "aws_s3_bucket_acl" "access_logs" {
  bucket = "acme-data-clean"
  acl    = "log-delivery-write"
}

# GCS: either control is enough.
resource "google_storage_bucket" "enforced" {
  name                     = "acme-enforced"
  location                 = "EU"
  public_access_prevention = "enforced"
}

resource "google_storage_bucket" "uniform" {
  name                        = "acme-uniform"
  location                    = "EU"
  uniform_bucket_level_access = true
}

# Azure: nested public access off, private container.
resource "azurerm_storage_account" "data" {
  name                            = "acmedata"
  resource_group_name             = "data"
  location                        = "westeurope"
  account_tier                    = "Standard"
  account_replication_type        = "LRS"
  allow_nested_items_to_be_public = false
}

resource "azurerm_storage_container" "private" {
  name                  = "private"
  storage_account_name  = azurerm_storage_account.data.name
  container_access_type = "private"
}
