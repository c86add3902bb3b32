module "sg" {
  source  = "terraform-aws-modules/security-group/aws"
  version = "5.1.0"
}
