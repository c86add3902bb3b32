# Terraform evaluates each output of a module call on its own: `ingress_cidr` reads output
# `name`, which depends on argument `name` only. Not a cycle.
locals {
  cidr_by_name = {
    web = "0.0.0.0/0"
    db  = "10.0.0.0/16"
  }
}

module "web" {
  source       = "./modules/net"
  name         = "web"
  ingress_cidr = local.cidr_by_name[module.web.name]
}

# The same through `for_each`: each instance reads its own output.
module "tier" {
  source       = "./modules/net"
  for_each     = toset(["db", "web"])
  name         = each.key
  ingress_cidr = local.cidr_by_name[module.tier[each.key].name]
}

# Through a data source that reads the module, as the S3 examples do with a bucket policy.
data "aws_iam_policy_document" "read" {
  statement {
    actions   = ["s3:GetObject"]
    resources = ["arn:aws:s3:::${module.web.name}/*"]
  }
}

module "policy_holder" {
  source       = "./modules/net"
  name         = data.aws_iam_policy_document.read.json == "" ? "none" : "db"
  ingress_cidr = local.cidr_by_name[module.policy_holder.name]
}
