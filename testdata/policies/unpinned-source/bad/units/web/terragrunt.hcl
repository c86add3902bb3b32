# Terragrunt source without a ref: medium
terraform {
  source = "github.com/acme/infrastructure-modules//web"
}
