resource "google_service_account" "this" {
  account_id = "ci"
}

resource "google_service_account_key" "this" {
  service_account_id = google_service_account.this.name
}

# Not privileged enough to report: the next apply recreates a role the same.
resource "aws_iam_role" "this" {
  name               = "ci"
  assume_role_policy = "{}"
}
