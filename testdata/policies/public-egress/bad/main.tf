# NET001 public-egress: every resource below allows egress to the whole internet.

variable "egress_rules" {
  type = list(object({
    from_port   = number
    to_port     = number
    protocol    = string
    cidr_blocks = list(string)
  }))
  default = [
    { from_port = 0, to_port = 0, protocol = "-1", cidr_blocks = ["0.0.0.0/0"] },
  ]
}

variable "mirror_cidr" {
  type = string
}

locals {
  world = "0.0.0.0/0"
}

# Flagged: inline egress block, all protocols to 0.0.0.0/0.
resource "aws_security_group" "inline" {
  name   = "inline"
  vpc_id = "vpc-0a1b2c3d"

  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

# Flagged (regression, checkov misses it): dynamic "egress" over a list of objects from a variable.
resource "aws_security_group" "dynamic" {
  name   = "dynamic"
  vpc_id = "vpc-0a1b2c3d"

  dynamic "egress" {
    for_each = var.egress_rules
    content {
      from_port   = egress.value.from_port
      to_port     = egress.value.to_port
      protocol    = egress.value.protocol
      cidr_blocks = egress.value.cidr_blocks
    }
  }
}

# Flagged (regression, checkov and trivy miss it): ip_protocol -1 with no ports, and a security
# group that is not in this code.
resource "aws_vpc_security_group_egress_rule" "orphan" {
  security_group_id = "sg-0123456789abcdef0"
  ip_protocol       = "-1"
  cidr_ipv4         = "0.0.0.0/0"
}

# Flagged: the CIDR comes from a local.
resource "aws_vpc_security_group_egress_rule" "via_local" {
  security_group_id = aws_security_group.inline.id
  ip_protocol       = "-1"
  cidr_ipv4         = local.world
}

# Flagged: ::/0 written in its long form, tcp 443 only (medium).
resource "aws_security_group_rule" "https_v6" {
  type              = "egress"
  security_group_id = aws_security_group.inline.id
  protocol          = "tcp"
  from_port         = 443
  to_port           = 443
  ipv6_cidr_blocks  = ["0:0:0:0:0:0:0:0/0"]
}

# Flagged: two halves that together are the whole IPv4 space.
resource "aws_security_group_rule" "halves" {
  type              = "egress"
  security_group_id = aws_security_group.inline.id
  protocol          = "-1"
  from_port         = 0
  to_port           = 0
  cidr_blocks       = ["0.0.0.0/1", "128.0.0.0/1"]
}

# Flagged (low): the destination is a variable with no value, so it is unknown.
resource "aws_security_group_rule" "mirror" {
  type              = "egress"
  security_group_id = aws_security_group.inline.id
  protocol          = "tcp"
  from_port         = 443
  to_port           = 443
  cidr_blocks       = [var.mirror_cidr]
}

# Flagged: GCP egress allow with no destination_ranges applies to every destination.
resource "google_compute_firewall" "egress" {
  name      = "egress"
  network   = "default"
  direction = "EGRESS"

  allow {
    protocol = "tcp"
    ports    = ["443"]
  }
}

# Flagged: Azure outbound allow to the Internet service tag.
resource "azurerm_network_security_rule" "out" {
  name                        = "out"
  resource_group_name         = "rg"
  network_security_group_name = "nsg"
  priority                    = 100
  direction                   = "Outbound"
  access                      = "Allow"
  protocol                    = "*"
  source_port_range           = "*"
  destination_port_range      = "*"
  source_address_prefix       = "*"
  destination_address_prefix  = "Internet"
}
