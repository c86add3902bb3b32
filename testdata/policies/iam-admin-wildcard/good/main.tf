# IAM001 iam-admin-wildcard: near misses that must stay silent.

# Wildcards on one service and one resource are not administrator access.
resource "aws_iam_role_policy" "s3" {
  role = "app"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { Effect = "Allow", Action = "s3:*", Resource = ["arn:aws:s3:::app", "arn:aws:s3:::app/*"] },
      { Effect = "Allow", Action = ["logs:CreateLogStream", "logs:PutLogEvents"], Resource = "*" },
      # Deny is not a grant.
      { Effect = "Deny", Action = "*", Resource = "*", Condition = { Bool = { "aws:MultiFactorAuthPresent" = "false" } } },
    ]
  })
}

# PowerUserAccess's shape: everything but IAM and Organizations.
data "aws_iam_policy_document" "power_user" {
  statement {
    not_actions = ["iam:*", "organizations:*", "account:*"]
    resources   = ["*"]
  }
}

resource "aws_iam_policy" "power_user" {
  name   = "power-user"
  policy = data.aws_iam_policy_document.power_user.json
}

# A resource policy with Action `*` for its own account is IAM002's business, not an identity.
data "aws_iam_policy_document" "key" {
  statement {
    actions   = ["kms:*"]
    resources = ["*"]
    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::111122223333:root"]
    }
  }
}

# Read-only managed policies, and an attachment of a policy created here (checked where written).
resource "aws_iam_role_policy_attachment" "readonly" {
  role       = "auditor"
  policy_arn = "arn:aws:iam::aws:policy/ReadOnlyAccess"
}

resource "aws_iam_role_policy_attachment" "own" {
  role       = "app"
  policy_arn = aws_iam_policy.power_user.arn
}

# GCP: a predefined role, and viewer.
resource "google_project_iam_member" "logs" {
  project = "acme-prod"
  role    = "roles/logging.logWriter"
  member  = "serviceAccount:app@acme-prod.iam.gserviceaccount.com"
}

resource "google_project_iam_member" "viewer" {
  project = "acme-prod"
  role    = "roles/viewer"
  member  = "group:auditors@acme.example"
}

# Azure: Owner on a resource group, Reader on a subscription.
resource "azurerm_role_assignment" "rg_owner" {
  scope                = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/app"
  role_definition_name = "Owner"
  principal_id         = "11111111-1111-1111-1111-111111111111"
}

resource "azurerm_role_assignment" "reader" {
  scope                = "/subscriptions/00000000-0000-0000-0000-000000000000"
  role_definition_name = "Reader"
  principal_id         = "11111111-1111-1111-1111-111111111111"
}

resource "azurerm_role_definition" "restart" {
  name  = "vm-restart"
  scope = "/subscriptions/00000000-0000-0000-0000-000000000000"
  permissions {
    actions = ["Microsoft.Compute/virtualMachines/restart/action"]
  }
  assignable_scopes = ["/subscriptions/00000000-0000-0000-0000-000000000000"]
}

# An authoritative binding with no members removes the role from everyone.
resource "google_project_iam_binding" "remove_editor" {
  project = "acme-prod"
  role    = "roles/editor"
  members = []
}
