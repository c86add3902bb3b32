# A trust policy that names an output of a registry module `terraform init` never downloaded:
# unknown to guard, not to Terraform. The loader says the module was not checked; IAM002 does
# not add "cannot tell whether it grants access to everyone". The document has more parts than
# a value keeps origins for, so the module's block must survive the cap.
# (The shape of terraform-aws-iam's iam-role-for-service-accounts examples.)
module "eks" {
  source  = "terraform-aws-modules/eks/aws"
  version = "21.0.0"
}

module "irsa" {
  source = "./modules/irsa"

  oidc_providers = {
    main = {
      provider_arn               = module.eks.oidc_provider_arn
      namespace_service_accounts = ["kube-system:aws-node"]
    }
  }
}

# Still a finding: unknown because the configuration leaves it open.
variable "trusted_account" {
  type = string
}

resource "aws_iam_role" "open" {
  name = "open"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = { AWS = var.trusted_account }
    }]
  })
}
