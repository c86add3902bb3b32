# Terragrunt registry source with a range: low
terraform {
  source = "tfr:///terraform-aws-modules/rds/aws?version=~>6.0"
}
