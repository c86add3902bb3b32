# DEL004 privileged-resource-unprotected: every privileged resource below can be destroyed by a
# plan without Terraform refusing.

# Flagged: an identity whose id changes on recreate, no lifecycle at all.
resource "google_service_account" "api" {
  account_id = "api"
}

# Flagged: prevent_destroy written, but false, on a user whose access keys others hold.
resource "aws_iam_user" "ci" {
  name = "ci"

  lifecycle {
    prevent_destroy = false
  }
}

# Flagged: key material with only create_before_destroy.
resource "aws_kms_key" "data" {
  description         = "data"
  enable_key_rotation = true

  lifecycle {
    create_before_destroy = true
  }
}

# Flagged: a secret deleted at once, without the recovery window.
resource "aws_secretsmanager_secret" "token" {
  name                    = "token"
  recovery_window_in_days = 0
}

# Flagged once for the module call, at its first unprotected resource, listing both.
module "ci_identity" {
  source = "./modules/identity"
}
