# Near misses: none of these is a SUP001 finding.

# a full commit sha
module "vpc" {
  source = "git::https://github.com/acme/terraform-vpc.git?ref=3f2a9c1d8e7b6a5f4e3d2c1b0a9f8e7d6c5b4a39"
}

# ssh with a full sha and a subdirectory
module "dns" {
  source = "git@github.com:acme/terraform-dns.git//zones?ref=0123456789abcdef0123456789abcdef01234567"
}

# local paths are never findings
module "local" {
  source = "./modules/local"
}

module "sibling" {
  source = "./modules/local"
  name   = "second"
}

# exact registry versions
module "eks" {
  source  = "terraform-aws-modules/eks/aws"
  version = "20.8.4"
}

module "rds" {
  source  = "terraform-aws-modules/rds/aws"
  version = "= 6.1.0"
}

# an archive with a checksum
module "http_archive" {
  source = "https://example.com/modules/vpc.zip?checksum=sha256:6d3b5f7c1c8c2a5b3e1f0d9c8b7a6f5e4d3c2b1a0f9e8d7c6b5a4f3e2d1c0b9a"
}
