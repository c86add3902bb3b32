# Each module call here is a SUP001 finding; the comment says why and at which severity.

# a branch: medium
module "vpc" {
  source = "git::https://github.com/acme/terraform-vpc.git?ref=main"
}

# no ref at all (GitHub shorthand): medium
module "network" {
  source = "github.com/acme/terraform-network"
}

# a tag is mutable: low
module "dns" {
  source = "git::https://github.com/acme/terraform-dns.git//zones?ref=v1.4.2"
}

# credentials in the URL are never shown; an abbreviated commit: low
module "private" {
  source = "git::https://deploy:ghp_abcdefghijklmnopqrstuvwxyz0123456789@github.com/acme/private.git?ref=3f2a9c1"
}

# ssh with a branch, instantiated with count: one finding for the block: medium
module "workers" {
  count  = 2
  source = "git@github.com:acme/terraform-workers.git?ref=develop"
}

# Bitbucket, no ref: medium
module "queue" {
  source = "bitbucket.org/acme/terraform-queue"
}

# archives without a checksum: medium
module "s3_archive" {
  source = "s3::https://s3-eu-west-1.amazonaws.com/acme-modules/vpc.zip"
}

module "gcs_archive" {
  source = "gcs::https://www.googleapis.com/storage/v1/acme-modules/vpc.zip"
}

module "http_archive" {
  source = "https://example.com/modules/vpc-1.2.0.zip"
}

# registry module without a version: medium
module "eks" {
  source = "terraform-aws-modules/eks/aws"
}

# registry ranges: low
module "rds" {
  source  = "terraform-aws-modules/rds/aws"
  version = "~> 6.0"
}

module "private_registry" {
  source  = "app.terraform.io/acme/bucket/aws"
  version = ">= 1"
}

# go-getter takes the subdirectory after the query too: the ref is `v0.0.28`, a tag (low)
module "legacy_layout" {
  source = "github.com/acme/terraform-modules?ref=v0.0.28//S3"
}

# a local module called twice whose own call follows a branch: one finding at its source line
module "shared_a" {
  source = "./modules/shared"
}

module "shared_b" {
  source = "./modules/shared"
}

# OpenTofu accepts a variable in `source`; guard cannot tell the ref: low, says so
variable "modules_ref" {
  type = string
}

module "from_variable" {
  source = "git::https://github.com/acme/terraform-vpc.git?ref=${var.modules_ref}"
}
