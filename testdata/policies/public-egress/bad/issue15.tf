# NET001 shapes added for issue 15.

# Flagged (low: a network acl is stateless and security groups still decide).
resource "aws_network_acl_rule" "out" {
  network_acl_id = "acl-0123456789abcdef0"
  rule_number    = 100
  egress         = true
  protocol       = "-1"
  rule_action    = "allow"
  cidr_block     = "0.0.0.0/0"
}

resource "aws_default_network_acl" "default" {
  default_network_acl_id = "acl-0fedcba9876543210"

  egress {
    protocol        = -1
    rule_no         = 100
    action          = "allow"
    ipv6_cidr_block = "::/0"
    from_port       = 0
    to_port         = 0
  }
}

# Flagged: the default security group with all egress.
resource "aws_default_security_group" "default" {
  vpc_id = "vpc-0a1b2c3d"

  egress {
    protocol    = "-1"
    from_port   = 0
    to_port     = 0
    cidr_blocks = ["0.0.0.0/0"]
  }
}

# Flagged: a destination prefix list with 0.0.0.0/0 in it.
resource "azurerm_network_security_rule" "out" {
  name                         = "out"
  priority                     = 100
  direction                    = "Outbound"
  access                       = "Allow"
  protocol                     = "*"
  source_port_range            = "*"
  destination_port_range       = "*"
  source_address_prefix        = "*"
  destination_address_prefixes = ["10.0.0.0/8", "0.0.0.0/0"]
  resource_group_name          = "rg"
  network_security_group_name  = "nsg"
}
