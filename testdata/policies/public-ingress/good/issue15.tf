# NET002 near misses for the shapes added for issue 15.

resource "aws_network_acl" "private" {
  vpc_id = "vpc-0a1b2c3d"

  # HTTPS from anywhere is in the allowlist.
  ingress {
    rule_no    = 100
    protocol   = "tcp"
    action     = "allow"
    cidr_block = "0.0.0.0/0"
    from_port  = 443
    to_port    = 443
  }

  # SSH from the VPN only.
  ingress {
    rule_no    = 110
    protocol   = "tcp"
    action     = "allow"
    cidr_block = "10.0.0.0/8"
    from_port  = 22
    to_port    = 22
  }

  # Denying is not allowing.
  ingress {
    rule_no    = 200
    protocol   = "-1"
    action     = "deny"
    cidr_block = "0.0.0.0/0"
    from_port  = 0
    to_port    = 0
  }
}

# An egress entry is public-egress's business.
resource "aws_network_acl_rule" "out" {
  network_acl_id = "acl-0123456789abcdef0"
  rule_number    = 100
  egress         = true
  protocol       = "-1"
  rule_action    = "allow"
  cidr_block     = "0.0.0.0/0"
}

# The default security group with no rules allows nothing.
resource "aws_default_security_group" "default" {
  vpc_id = "vpc-0a1b2c3d"
}

resource "azurerm_network_security_rule" "prefixes" {
  name                        = "prefixes"
  priority                    = 110
  direction                   = "Inbound"
  access                      = "Allow"
  protocol                    = "Tcp"
  source_port_range           = "*"
  destination_port_range      = "5432"
  source_address_prefixes     = ["10.0.0.0/8", "192.168.0.0/16"]
  destination_address_prefix  = "*"
  resource_group_name         = "rg"
  network_security_group_name = "nsg"
}

resource "google_compute_firewall" "v6" {
  name          = "v6"
  network       = "default"
  source_ranges = ["2001:db8::/32"]

  allow {
    protocol = "tcp"
    ports    = ["8080"]
  }
}

# An earlier deny of everything from everywhere wins over the later allow (entries are
# evaluated in rule_no order).
resource "aws_network_acl" "ordered" {
  vpc_id = "vpc-0a1b2c3d"

  ingress {
    rule_no    = 200
    protocol   = "tcp"
    action     = "allow"
    cidr_block = "0.0.0.0/0"
    from_port  = 22
    to_port    = 22
  }

  ingress {
    rule_no    = 100
    protocol   = "-1"
    action     = "deny"
    cidr_block = "0.0.0.0/0"
    from_port  = 0
    to_port    = 0
  }
}
