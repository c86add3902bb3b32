# LOG001 audit-trail-incomplete: near misses that must stay silent.

resource "aws_cloudtrail" "main" {
  name                       = "main"
  s3_bucket_name             = "trail-bucket"
  is_multi_region_trail      = true
  enable_log_file_validation = true
}

resource "google_project_iam_audit_config" "all" {
  project = "my-project"
  service = "allServices"
  audit_log_config {
    log_type         = "DATA_READ"
    exempted_members = []
  }
  audit_log_config {
    log_type = "DATA_WRITE"
  }
}

resource "google_organization_iam_audit_config" "org" {
  org_id  = "123456789"
  service = "allServices"
  audit_log_config {
    log_type = "ADMIN_READ"
  }
}

resource "azurerm_monitor_diagnostic_setting" "activity" {
  name               = "activity"
  target_resource_id = "/subscriptions/00000000-0000-0000-0000-000000000000"
  storage_account_id = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/logs"
  enabled_log {
    category = "Administrative"
  }
}

# A disabled category on a resource (not a subscription) is not the activity log.
resource "azurerm_monitor_diagnostic_setting" "vault" {
  name               = "vault"
  target_resource_id = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/main"
  storage_account_id = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/logs"
  log {
    category = "AuditEvent"
    enabled  = false
  }
}
