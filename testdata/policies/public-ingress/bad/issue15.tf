# NET002 shapes added for issue 15.

# Flagged (medium, capped for a network acl): SSH from anywhere in an inline entry.
resource "aws_network_acl" "public" {
  vpc_id = "vpc-0a1b2c3d"

  ingress {
    rule_no    = 100
    protocol   = "tcp"
    action     = "allow"
    cidr_block = "0.0.0.0/0"
    from_port  = 22
    to_port    = 22
  }

  ingress {
    rule_no    = 200
    protocol   = "tcp"
    action     = "deny"
    cidr_block = "0.0.0.0/0"
    from_port  = 3389
    to_port    = 3389
  }
}

# Flagged (medium): every protocol from anywhere over IPv6.
resource "aws_network_acl_rule" "all_v6" {
  network_acl_id  = "acl-0123456789abcdef0"
  rule_number     = 110
  egress          = false
  protocol        = "-1"
  rule_action     = "allow"
  ipv6_cidr_block = "::/0"
}

# Flagged (medium): the default network ACL left open.
resource "aws_default_network_acl" "default" {
  default_network_acl_id = "acl-0fedcba9876543210"

  ingress {
    protocol   = -1
    rule_no    = 100
    action     = "allow"
    cidr_block = "0.0.0.0/0"
    from_port  = 0
    to_port    = 0
  }
}

# Flagged: the default security group with SSH from anywhere.
resource "aws_default_security_group" "default" {
  vpc_id = "vpc-0a1b2c3d"

  ingress {
    protocol    = "tcp"
    from_port   = 22
    to_port     = 22
    cidr_blocks = ["0.0.0.0/0"]
  }
}

# Flagged: a prefix list whose entries include 0.0.0.0/0.
resource "azurerm_network_security_rule" "prefixes" {
  name                        = "prefixes"
  priority                    = 110
  direction                   = "Inbound"
  access                      = "Allow"
  protocol                    = "Tcp"
  source_port_range           = "*"
  destination_port_range      = "5432"
  source_address_prefixes     = ["10.0.0.0/8", "0.0.0.0/0"]
  destination_address_prefix  = "*"
  resource_group_name         = "rg"
  network_security_group_name = "nsg"
}

# Flagged: the Internet service tag.
resource "azurerm_network_security_rule" "internet" {
  name                        = "internet"
  priority                    = 120
  direction                   = "Inbound"
  access                      = "Allow"
  protocol                    = "Tcp"
  source_port_range           = "*"
  destination_port_range      = "22"
  source_address_prefix       = "Internet"
  destination_address_prefix  = "*"
  resource_group_name         = "rg"
  network_security_group_name = "nsg"
}

# Flagged: IPv6 everything on GCP.
resource "google_compute_firewall" "v6" {
  name          = "v6"
  network       = "default"
  source_ranges = ["::/0"]

  allow {
    protocol = "tcp"
    ports    = ["8080"]
  }
}

# Flagged (low): the ephemeral range a stateless acl opens for answers to outbound connections.
resource "aws_network_acl_rule" "ephemeral" {
  network_acl_id = "acl-0123456789abcdef0"
  rule_number    = 120
  protocol       = "tcp"
  rule_action    = "allow"
  cidr_block     = "0.0.0.0/0"
  from_port      = 1024
  to_port        = 65535
}

# Flagged (medium): an earlier deny takes 22 out of the later allow; 3389 and the rest stay open.
resource "aws_network_acl" "ordered" {
  vpc_id = "vpc-0a1b2c3d"

  ingress {
    rule_no    = 100
    protocol   = "tcp"
    action     = "deny"
    cidr_block = "0.0.0.0/0"
    from_port  = 22
    to_port    = 22
  }

  ingress {
    rule_no    = 200
    protocol   = "tcp"
    action     = "allow"
    cidr_block = "0.0.0.0/0"
    from_port  = 0
    to_port    = 65535
  }
}
