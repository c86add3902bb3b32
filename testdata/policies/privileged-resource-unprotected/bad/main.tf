# DEL004 privileged-resource-unprotected: every privileged resource below can be destroyed by a
# plan without Terraform refusing.

# Flagged: an identity whose id changes on recreate, no lifecycle at all.
resource "google_service_account" "api" {
  account_id = "api"
}

# Flagged: prevent_destroy written, but false.
resource "aws_iam_role" "ci" {
  name               = "ci"
  assume_role_policy = "{}"

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
