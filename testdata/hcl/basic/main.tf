locals {
  name   = "app-${var.env}"
  ports  = { http = 80, https = 443 }
  tags   = merge({ Name = local.name }, { Env = var.env })
  rules  = [for k, p in local.ports : { port = p, name = k }]
}

resource "aws_security_group" "this" {
  name = local.name
  tags = local.tags

  ingress {
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = ["10.0.0.0/8"]
  }

  dynamic "egress" {
    for_each = local.rules
    iterator = rule
    content {
      from_port   = rule.value.port
      to_port     = rule.value.port
      protocol    = "tcp"
      cidr_blocks = var.egress_cidrs
    }
  }
}

resource "aws_s3_bucket" "b" {
  for_each = toset(["logs", "data"])
  bucket   = "${local.name}-${each.key}"
}

resource "aws_s3_bucket_server_side_encryption_configuration" "b" {
  for_each = aws_s3_bucket.b
  bucket   = aws_s3_bucket.b[each.key].id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = var.settings.encrypted ? "aws:kms" : "AES256"
    }
  }
}

resource "aws_instance" "web" {
  count         = 2
  ami           = "ami-123"
  instance_type = count.index == 0 ? "t3.micro" : "t3.small"
  lifecycle {
    prevent_destroy = true
  }
}

resource "aws_instance" "unknown" {
  count = var.count_from_nowhere
  ami   = "ami-456"
}

resource "aws_db_instance" "db" {
  password = var.db_password
  username = "admin"
}

resource "random_password" "p" {
  length = 16
}

data "aws_iam_policy_document" "doc" {
  statement {
    actions   = ["s3:GetObject"]
    resources = ["arn:aws:s3:::${local.name}/*"]
    principals {
      type        = "AWS"
      identifiers = ["*"]
    }
  }
}

module "sg" {
  source = "./modules/sg"
  name   = "inner"
  secret = random_password.p.result
}

module "remote" {
  source  = "terraform-aws-modules/vpc/aws"
  version = "5.0.0"
  cidr    = "10.0.0.0/16"
}

output "password" {
  value     = random_password.p.result
  sensitive = true
}

output "sg_id" {
  value = module.sg.id
}
