locals {
  # 23: templatefile() driven by a YAML file of values.
  values = yamldecode(file("${path.module}/values.yaml"))
  rendered = templatefile("${path.module}/policy.tpl", local.values)

  # 18: `enabled` from a module (remote null-label, not downloaded) gates everything.
  enabled = module.this.enabled

  # 16
  names = ["reader", "writer"]
  roles = ["roles/viewer", "roles/logging.logWriter"]
  name_role_pairs = setproduct(local.names, local.roles)
  project_roles_map_data = zipmap(
    [for pair in local.name_role_pairs : "${pair[0]}-${pair[1]}"],
    [for pair in local.name_role_pairs : { name = pair[0], role = pair[1] }]
  )
  keyed_rules = { for r in [{ key = "https", port = 443 }] : r.key => r }
  digest = md5(jsonencode(local.keyed_rules))
}

variable "generate_keys" {
  default = true
}

variable "create_table" {
  default = true
}
variable "autoscaling" {
  default = false
}

module "this" {
  source  = "cloudposse/label/null"
  version = "0.25.0"
  enabled = true
}

# 14: bucket policy as triple nested replace() over placeholders in a rendered policy document.
data "aws_iam_policy_document" "combined" {
  count = 1
  statement {
    actions   = ["s3:GetObject"]
    resources = ["_S3_BUCKET_ARN_/*"]
    principals {
      type        = "AWS"
      identifiers = ["_ACCOUNT_"]
    }
  }
}

resource "aws_s3_bucket" "this" {
  for_each = toset(["a", "b"])
  bucket   = "rw-${each.key}"
}

resource "aws_s3_bucket_policy" "this" {
  bucket = aws_s3_bucket.this["a"].id
  policy = replace(replace(replace(data.aws_iam_policy_document.combined[0].json, "_S3_BUCKET_ARN_", "arn:aws:s3:::rw-a"), "_ACCOUNT_", "arn:aws:iam::123456789012:root"), "_UNUSED_", "x")
}

# 24: acl referencing another for_each resource by each.key.
resource "aws_s3_bucket_acl" "this" {
  for_each = aws_s3_bucket.this
  bucket   = aws_s3_bucket.this[each.key].id
  acl      = "public-read"
}

# 15
module "user" {
  source = "./modules/iam-user"
  name   = "ci"
}

# 16
resource "google_service_account" "service_accounts" {
  for_each   = toset(local.names)
  account_id = each.value
}
resource "google_project_iam_member" "project_roles" {
  for_each = local.project_roles_map_data
  project  = "p"
  role     = each.value.role
  member   = "serviceAccount:${each.value.name}@p.iam.gserviceaccount.com"
}
resource "google_service_account_key" "keys" {
  for_each           = var.generate_keys ? toset(local.names) : toset([])
  service_account_id = google_service_account.service_accounts[each.value].email
}
output "accounts" {
  value = [for a in google_service_account.service_accounts : a.account_id]
}

# 17: three mutually exclusive copies of one table.
resource "aws_dynamodb_table" "this" {
  count    = var.create_table && !var.autoscaling ? 1 : 0
  name     = "t"
  hash_key = "id"
  server_side_encryption {
    enabled = false
  }
}
resource "aws_dynamodb_table" "autoscaled" {
  count    = var.create_table && var.autoscaling ? 1 : 0
  name     = "t"
  hash_key = "id"
  lifecycle {
    ignore_changes = [read_capacity]
  }
}

# 18: twin security groups and keepers forcing replacement.
resource "random_id" "rule_change_forces_new_security_group" {
  count       = local.enabled ? 1 : 0
  byte_length = 3
  keepers = {
    rules = jsonencode(local.keyed_rules)
  }
}
resource "aws_security_group" "default" {
  count = local.enabled && false ? 1 : 0
  name  = "default"
}
resource "aws_security_group" "cbd" {
  count = local.enabled ? 1 : 0
  name  = "cbd-${local.digest}"
  lifecycle {
    create_before_destroy = true
  }
}
resource "aws_security_group_rule" "keyed" {
  for_each          = local.enabled ? local.keyed_rules : {}
  type              = "ingress"
  from_port         = each.value.port
  to_port           = each.value.port
  protocol          = "tcp"
  cidr_blocks       = ["0.0.0.0/0"]
  security_group_id = one(aws_security_group.cbd[*].id)
}

# 11
module "http" {
  source = "./modules/sg-wrapper"
}

# 21: two calls of one module; one passes a generated password.
resource "random_password" "p" {
  length = 20
}
module "db_a" {
  source   = "./modules/db"
  password = random_password.p.result
}
module "db_b" {
  source   = "./modules/db"
  password = "plain-${local.values.name}"
}

# 22: module output feeding an IAM policy role.
module "role" {
  source = "./modules/role"
  name   = "app"
}
resource "aws_iam_role_policy" "p" {
  role   = module.role.role_name
  policy = local.rendered
}

# 12: encryption in a separate resource whose bucket is a conditional over two counted
# resources, with nested dynamics over try(flatten([...]), []) (terraform-aws-s3-bucket shape).
variable "use_prefix" {
  default = false
}
variable "server_side_encryption_configuration" {
  type = any
  default = {
    rule = {
      bucket_key_enabled = true
      apply_server_side_encryption_by_default = {
        sse_algorithm = "aws:kms"
      }
    }
  }
}
resource "aws_s3_bucket" "named" {
  count  = var.use_prefix ? 0 : 1
  bucket = "named"
}
resource "aws_s3_bucket" "prefixed" {
  count         = var.use_prefix ? 1 : 0
  bucket_prefix = "prefixed-"
}
resource "aws_s3_bucket_server_side_encryption_configuration" "this" {
  count  = length(keys(var.server_side_encryption_configuration)) > 0 ? 1 : 0
  bucket = var.use_prefix ? aws_s3_bucket.prefixed[0].id : aws_s3_bucket.named[0].id

  dynamic "rule" {
    for_each = try(flatten([var.server_side_encryption_configuration["rule"]]), [])
    content {
      bucket_key_enabled = try(rule.value.bucket_key_enabled, null)
      dynamic "apply_server_side_encryption_by_default" {
        for_each = try([rule.value.apply_server_side_encryption_by_default], [])
        content {
          sse_algorithm     = apply_server_side_encryption_by_default.value.sse_algorithm
          kms_master_key_id = try(apply_server_side_encryption_by_default.value.kms_master_key_id, null)
        }
      }
    }
  }
}
