# Encrypted with keys this configuration manages: their ids and ARNs are known only after
# apply, but never null. Not "encryption cannot be confirmed".
resource "aws_kms_key" "alerts" {
  description         = "alerts"
  enable_key_rotation = true
}

resource "aws_sns_topic" "alerts" {
  name              = "alerts"
  kms_master_key_id = aws_kms_key.alerts.arn
}

resource "aws_cloudwatch_log_group" "app" {
  name       = "app"
  kms_key_id = aws_kms_key.alerts.arn
}

resource "aws_sqs_queue" "jobs" {
  name              = "jobs"
  kms_master_key_id = aws_kms_key.alerts.key_id
}

# A registry module that `terraform init` never downloaded: its outputs are unknown to guard,
# not to Terraform. Not a "may be the whole internet" finding: the loader says it was not
# checked.
module "vpc" {
  source  = "terraform-aws-modules/vpc/aws"
  version = "5.0.0"
}

resource "aws_security_group" "db" {
  name = "db"

  ingress {
    from_port   = 5432
    to_port     = 5432
    protocol    = "tcp"
    cidr_blocks = [module.vpc.vpc_cidr_block]
  }

  egress {
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = ["10.0.0.0/8", module.vpc.vpc_cidr_block]
  }
}

# Still a finding: a value that is unknown because the configuration says so.
variable "allowed_cidr" {
  type = string
}

resource "aws_security_group" "admin" {
  name = "admin"

  ingress {
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = [var.allowed_cidr]
  }
}

# The same through a standalone rule resource and a `for_each` map (terraform-aws-eks).
resource "aws_vpc_security_group_ingress_rule" "cluster" {
  for_each = {
    cluster-all = {
      cidr_ipv4   = module.vpc.vpc_cidr_block
      ip_protocol = "all"
    }
  }
  security_group_id = "sg-12345678"
  cidr_ipv4         = try(each.value.cidr_ipv4, null)
  ip_protocol       = try(each.value.ip_protocol, null)
}
