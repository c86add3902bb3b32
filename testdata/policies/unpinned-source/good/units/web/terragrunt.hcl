# Terragrunt source pinned to a full commit sha
terraform {
  source = "git::git@github.com:acme/infrastructure-modules.git//web?ref=0123456789abcdef0123456789abcdef01234567"
}
