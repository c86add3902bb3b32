# LOG001 audit-trail-incomplete: every trail below leaves something out.

variable "validate" {
  type    = bool
  default = false
}

# Flagged twice: single-region (the default) and no log file validation (the default).
resource "aws_cloudtrail" "defaults" {
  name           = "defaults"
  s3_bucket_name = "trail-bucket"
}

# Flagged: multi-region, but logging is switched off; validation off through a variable.
resource "aws_cloudtrail" "stopped" {
  name                       = "stopped"
  s3_bucket_name             = "trail-bucket"
  is_multi_region_trail      = true
  enable_log_file_validation = var.validate
  enable_logging             = false
}

# Flagged: a member exempted from data-access logs.
resource "google_project_iam_audit_config" "all" {
  project = "my-project"
  service = "allServices"
  audit_log_config {
    log_type = "DATA_READ"
    exempted_members = [
      "user:ci@example.com",
    ]
  }
  audit_log_config {
    log_type = "ADMIN_READ"
  }
}

# Flagged: the Administrative category of the subscription's activity log is not exported.
resource "azurerm_monitor_diagnostic_setting" "activity" {
  name               = "activity"
  target_resource_id = "/subscriptions/00000000-0000-0000-0000-000000000000"
  storage_account_id = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/logs"
  log {
    category = "Administrative"
    enabled  = false
  }
  log {
    category = "Security"
    enabled  = true
  }
}
