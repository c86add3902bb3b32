# Address blocks known only after apply whose size is known: none of them is the internet.
variable "vpc_cidr" {
  type = string
}

variable "admin_cidr" {
  type = string
}

data "http" "my_ip" {
  url = "https://ipv4.icanhazip.com"
}

data "aws_vpc" "default" {
  default = true
}

data "aws_availability_zones" "available" {}

resource "aws_vpc" "main" {
  cidr_block = var.vpc_cidr
}

resource "aws_subnet" "private" {
  count             = 3
  vpc_id            = aws_vpc.main.id
  cidr_block        = cidrsubnet(var.vpc_cidr, 8, count.index)
  availability_zone = data.aws_availability_zones.available.names[count.index]
}

resource "aws_security_group" "bounded" {
  vpc_id = aws_vpc.main.id

  # One host: the address Terraform runs from.
  ingress {
    protocol    = "tcp"
    from_port   = 22
    to_port     = 22
    cidr_blocks = ["${chomp(data.http.my_ip.response_body)}/32"]
  }

  # The default VPC's own range.
  ingress {
    protocol    = "tcp"
    from_port   = 3306
    to_port     = 3306
    cidr_blocks = [data.aws_vpc.default.cidr_block]
  }

  # A subnet of it.
  ingress {
    protocol    = "tcp"
    from_port   = 5432
    to_port     = 5432
    cidr_blocks = [cidrsubnet(data.aws_vpc.default.cidr_block, 8, 1)]
  }

  # One rule per private subnet, to that subnet's range.
  dynamic "egress" {
    for_each = [for s in toset(aws_subnet.private) : {
      cidr = s.cidr_block
      zone = s.availability_zone
    }]

    content {
      protocol    = "tcp"
      from_port   = 8001
      to_port     = 8001
      cidr_blocks = [egress.value.cidr]
      description = "target in ${egress.value.zone}"
    }
  }
}

resource "aws_security_group" "unbounded" {
  vpc_id = aws_vpc.main.id

  # `/0` of any address is everything.
  ingress {
    protocol    = "tcp"
    from_port   = 22
    to_port     = 22
    cidr_blocks = ["${chomp(data.http.my_ip.response_body)}/0"]
  }

  # A variable nobody set may be anything.
  ingress {
    protocol    = "tcp"
    from_port   = 3389
    to_port     = 3389
    cidr_blocks = [var.admin_cidr]
  }
}

# `unknown && false` is false, as in Terraform: this rule is never created.
resource "aws_security_group_rule" "never" {
  count             = length(data.aws_availability_zones.available.names) > 0 && false ? 1 : 0
  type              = "ingress"
  protocol          = "tcp"
  from_port         = 22
  to_port           = 22
  cidr_blocks       = ["0.0.0.0/0"]
  security_group_id = aws_security_group.unbounded.id
}
