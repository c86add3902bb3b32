# NET003 near misses for the shapes added for issue 15.

resource "aws_spot_instance_request" "worker" {
  ami           = "ami-0c55b159cbfafe1f0"
  instance_type = "t3.micro"
  spot_price    = "0.01"
}

# An elastic IP for a NAT gateway is not on an instance.
resource "aws_eip" "nat" {
  domain = "vpc"
}

resource "aws_nat_gateway" "nat" {
  allocation_id = aws_eip.nat.id
  subnet_id     = "subnet-0a1b2c3d"
}

resource "google_compute_region_instance_template" "web" {
  name         = "web"
  region       = "europe-west1"
  machine_type = "e2-small"

  disk {
    source_image = "debian-cloud/debian-12"
  }

  network_interface {
    network = "default"
  }
}

resource "azurerm_linux_virtual_machine_scale_set" "web" {
  name                = "web"
  resource_group_name = "rg"
  location            = "westeurope"
  sku                 = "Standard_D2s_v5"
  instances           = 2
  admin_username      = "azureuser"

  network_interface {
    name    = "nic"
    primary = true

    ip_configuration {
      name      = "internal"
      primary   = true
      subnet_id = "/subscriptions/x/subnets/web"
    }
  }
}
