# NET002 public-ingress: near misses that must stay silent.

# 80 and 443 from anywhere are in the default allowlist; a self rule and a rule from another
# security group are not the internet.
resource "aws_security_group" "web" {
  name   = "web"
  vpc_id = "vpc-0a1b2c3d"

  ingress {
    protocol    = "tcp"
    from_port   = 443
    to_port     = 443
    cidr_blocks = ["0.0.0.0/0"]
  }

  ingress {
    protocol         = "tcp"
    from_port        = 80
    to_port          = 80
    cidr_blocks      = ["0.0.0.0/0"]
    ipv6_cidr_blocks = ["::/0"]
  }

  ingress {
    self      = true
    protocol  = "-1"
    from_port = 0
    to_port   = 0
  }

  ingress {
    protocol        = "tcp"
    from_port       = 22
    to_port         = 22
    security_groups = ["sg-0fedcba9876543210"]
  }
}

# SSH from a private range.
resource "aws_security_group_rule" "ssh" {
  type              = "ingress"
  security_group_id = aws_security_group.web.id
  protocol          = "tcp"
  from_port         = 22
  to_port           = 22
  cidr_blocks       = ["10.0.0.0/8"]
}

# Ping from anywhere has no ports.
resource "aws_vpc_security_group_ingress_rule" "ping" {
  security_group_id = aws_security_group.web.id
  ip_protocol       = "icmp"
  from_port         = 8
  to_port           = 0
  cidr_ipv4         = "0.0.0.0/0"
}

# Egress is public-egress's business.
resource "aws_security_group_rule" "out" {
  type              = "egress"
  security_group_id = aws_security_group.web.id
  protocol          = "-1"
  from_port         = 0
  to_port           = 0
  cidr_blocks       = ["0.0.0.0/0"]
}

# GCP: sources given by tag only.
resource "google_compute_firewall" "tagged" {
  name        = "tagged"
  network     = "default"
  source_tags = ["bastion"]

  allow {
    protocol = "tcp"
    ports    = ["22"]
  }
}

# Azure: a deny rule, and an allow from the virtual network.
resource "azurerm_network_security_rule" "deny" {
  name                        = "deny-ssh"
  resource_group_name         = "rg"
  network_security_group_name = "nsg"
  priority                    = 100
  direction                   = "Inbound"
  access                      = "Deny"
  protocol                    = "Tcp"
  source_port_range           = "*"
  destination_port_range      = "22"
  source_address_prefix       = "Internet"
  destination_address_prefix  = "*"
}

resource "azurerm_network_security_rule" "vnet" {
  name                        = "vnet-ssh"
  resource_group_name         = "rg"
  network_security_group_name = "nsg"
  priority                    = 110
  direction                   = "Inbound"
  access                      = "Allow"
  protocol                    = "Tcp"
  source_port_range           = "*"
  destination_port_range      = "22"
  source_address_prefix       = "VirtualNetwork"
  destination_address_prefix  = "*"
}
