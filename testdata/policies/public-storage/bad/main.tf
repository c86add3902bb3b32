# STO001 public-storage: every bucket, container and account below can be or is public.

# Flagged (high): a public-read ACL in a separate resource. Flagged (medium): no public access block.
resource "aws_s3_bucket" "reports" {
  bucket = "acme-reports"
}

resource "aws_s3_bucket_acl" "reports" {
  bucket = aws_s3_bucket.reports.id
  acl    = "public-read"
}

# Flagged (medium): the block refers to the bucket but leaves two settings off (one unset).
resource "aws_s3_bucket" "logs" {
  bucket = "acme-logs"
}

resource "aws_s3_bucket_public_access_block" "logs" {
  bucket              = aws_s3_bucket.logs.id
  block_public_acls   = true
  block_public_policy = false
  ignore_public_acls  = true
}

# Flagged (high): a legacy inline ACL and a grant to AllUsers; (medium) no block for either
# instance of the for_each.
resource "aws_s3_bucket" "legacy" {
  for_each = toset(["a", "b"])
  bucket   = "acme-legacy-${each.key}"
  acl      = "public-read-write"
}

resource "aws_s3_bucket_acl" "grants" {
  bucket = "acme-grants"
  access_control_policy {
    grant {
      grantee {
        type = "Group"
        uri  = "http://acs.amazonaws.com/groups/global/AllUsers"
      }
      permission = "READ"
    }
    owner {
      id = "abc"
    }
  }
}

# Flagged (medium): GCS without public access prevention or uniform access.
resource "google_storage_bucket" "assets" {
  name     = "acme-assets"
  location = "EU"
}

# Flagged (high): an anonymous-read container; (medium) the account allows it by the
# provider's default.
resource "azurerm_storage_account" "web" {
  name                     = "acmeweb"
  resource_group_name      = "web"
  location                 = "westeurope"
  account_tier             = "Standard"
  account_replication_type = "LRS"
}

resource "azurerm_storage_container" "public" {
  name                  = "public"
  storage_account_name  = azurerm_storage_account.web.name
  container_access_type = "container"
}
