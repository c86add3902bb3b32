# NET002 public-ingress: every resource below allows ingress from the whole internet to a port
# outside the allowlist (80, 443), or to SSH, RDP or every port.

variable "admin_cidr" {
  type = string
}

# Flagged (regression, checkov misses it): the first rule is `self = true`, the second opens SSH
# to the world. The self rule says nothing about its neighbours.
resource "aws_security_group" "app" {
  name   = "app"
  vpc_id = "vpc-0a1b2c3d"

  ingress {
    self      = true
    protocol  = "-1"
    from_port = 0
    to_port   = 0
  }

  ingress {
    protocol    = "tcp"
    from_port   = 22
    to_port     = 22
    cidr_blocks = ["0.0.0.0/0"]
  }
}

# Flagged (regression): a module called with for_each over two keys is one finding at the
# module's source, listing both instances.
module "sg" {
  source   = "./modules/sg"
  for_each = toset(["a", "b"])
  name     = "sg-${each.key}"
}

# Flagged: RDP from ::/0 on a security group that is not in this code.
resource "aws_vpc_security_group_ingress_rule" "rdp" {
  security_group_id = "sg-0123456789abcdef0"
  ip_protocol       = "tcp"
  from_port         = 3389
  to_port           = 3389
  cidr_ipv6         = "::/0"
}

# Flagged: postgres is not in the allowlist.
resource "aws_security_group_rule" "db" {
  type              = "ingress"
  security_group_id = aws_security_group.app.id
  protocol          = "tcp"
  from_port         = 5432
  to_port           = 5432
  cidr_blocks       = ["0.0.0.0/0"]
}

# Flagged: a range that includes 22, from two halves that cover everything.
resource "aws_security_group_rule" "range" {
  type              = "ingress"
  security_group_id = aws_security_group.app.id
  protocol          = "tcp"
  from_port         = 20
  to_port           = 25
  cidr_blocks       = ["0.0.0.0/1", "128.0.0.0/1"]
}

# Flagged (medium): SSH from a source that is unknown (a variable with no value).
resource "aws_security_group_rule" "admin" {
  type              = "ingress"
  security_group_id = aws_security_group.app.id
  protocol          = "tcp"
  from_port         = 22
  to_port           = 22
  cidr_blocks       = [var.admin_cidr]
}

# Flagged: a GCP firewall without source_ranges, source_tags or source_service_accounts
# applies to every source.
resource "google_compute_firewall" "app" {
  name    = "app"
  network = "default"

  allow {
    protocol = "tcp"
    ports    = ["8080"]
  }
}

# Flagged: every protocol from anywhere.
resource "google_compute_firewall" "all" {
  name          = "all"
  network       = "default"
  source_ranges = ["0.0.0.0/0"]

  allow {
    protocol = "all"
  }
}

# Flagged: Azure inline rule, RDP from any source.
resource "azurerm_network_security_group" "nsg" {
  name                = "nsg"
  location            = "westeurope"
  resource_group_name = "rg"

  security_rule {
    name                       = "rdp"
    priority                   = 100
    direction                  = "Inbound"
    access                     = "Allow"
    protocol                   = "Tcp"
    source_port_range          = "*"
    destination_port_range     = "3389"
    source_address_prefix      = "*"
    destination_address_prefix = "*"
  }
}
