# IAM001 iam-admin-wildcard: every block below grants administrator access.

# Flagged: `*` on `*` through jsonencode, next to a harmless statement that refers to an ARN.
resource "aws_iam_role_policy" "deploy" {
  role = aws_iam_role.deploy.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { Effect = "Allow", Action = ["s3:GetObject"], Resource = ["arn:aws:s3:::site/*"] },
      { Effect = "Allow", Action = "*", Resource = "*" },
    ]
  })
}

resource "aws_iam_role" "deploy" {
  name               = "deploy"
  assume_role_policy = data.aws_iam_policy_document.assume.json

  # Flagged: an inline policy in a heredoc, `*:*` and no Effect (Allow is the default).
  inline_policy {
    name   = "admin"
    policy = <<-JSON
      {
        "Version": "2012-10-17",
        "Statement": [{ "Action": "*:*", "Resource": "*" }]
      }
    JSON
  }

  # Flagged: AdministratorAccess in another partition.
  managed_policy_arns = ["arn:aws-us-gov:iam::aws:policy/AdministratorAccess"]
}

data "aws_iam_policy_document" "assume" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["ec2.amazonaws.com"]
    }
  }
}

# Flagged once, on the data source, not again on the policy that uses it: `iam:*` on every
# resource lets the holder attach anything to itself.
data "aws_iam_policy_document" "iam_admin" {
  statement {
    actions   = ["iam:*"]
    resources = ["*"]
  }
}

resource "aws_iam_policy" "iam_admin" {
  name   = "iam-admin"
  policy = data.aws_iam_policy_document.iam_admin.json
}

# Flagged: everything except billing, IAM included.
resource "aws_iam_policy" "not_action" {
  name = "almost-everything"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", NotAction = ["aws-portal:*"], Resource = "*" }]
  })
}

# Flagged: a user with AdministratorAccess.
resource "aws_iam_user_policy_attachment" "alice" {
  user       = "alice"
  policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess"
}

# Flagged: a group policy from a variable default (the finding points at the default).
variable "group_policy" {
  type    = string
  default = "{\"Version\":\"2012-10-17\",\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"}}"
}

resource "aws_iam_group_policy" "ops" {
  group  = "ops"
  policy = var.group_policy
}

# Low: the document is built from a value known only after apply.
variable "external_policy" {
  type = string
}

resource "aws_iam_policy" "external" {
  name   = "external"
  policy = var.external_policy
}

# Flagged: basic roles on a project, a folder and an organization.
resource "google_project_iam_member" "ci" {
  project = "acme-prod"
  role    = "roles/owner"
  member  = "serviceAccount:ci@acme-prod.iam.gserviceaccount.com"
}

resource "google_folder_iam_binding" "devs" {
  folder  = "folders/1234567"
  role    = "roles/editor"
  members = ["group:devs@acme.example"]
}

resource "google_organization_iam_member" "admin" {
  org_id = "123456789"
  role   = "roles/owner"
  member = "user:admin@acme.example"
}

# Flagged: Owner on a subscription, Contributor by role id on a management group.
resource "azurerm_role_assignment" "owner" {
  scope                = "/subscriptions/00000000-0000-0000-0000-000000000000"
  role_definition_name = "Owner"
  principal_id         = "11111111-1111-1111-1111-111111111111"
}

resource "azurerm_role_assignment" "contributor" {
  scope              = "/providers/Microsoft.Management/managementGroups/platform"
  role_definition_id = "/providers/Microsoft.Authorization/roleDefinitions/b24988ac-6180-42a0-ab88-20f7382dd24c"
  principal_id       = "11111111-1111-1111-1111-111111111111"
}

# Low: the scope comes from a data source, known only after apply.
data "azurerm_subscription" "current" {}

resource "azurerm_role_assignment" "uaa" {
  scope                = data.azurerm_subscription.current.id
  role_definition_name = "User Access Administrator"
  principal_id         = "11111111-1111-1111-1111-111111111111"
}

# Flagged: a custom role that allows everything.
resource "azurerm_role_definition" "god" {
  name  = "god"
  scope = "/subscriptions/00000000-0000-0000-0000-000000000000"
  permissions {
    actions = ["*"]
  }
  assignable_scopes = ["/subscriptions/00000000-0000-0000-0000-000000000000"]
}
