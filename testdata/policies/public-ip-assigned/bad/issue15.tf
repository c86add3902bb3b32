# NET003 shapes added for issue 15.

resource "aws_spot_instance_request" "worker" {
  ami                         = "ami-0c55b159cbfafe1f0"
  instance_type               = "t3.micro"
  spot_price                  = "0.01"
  associate_public_ip_address = true
}

resource "aws_instance" "app" {
  ami           = "ami-0c55b159cbfafe1f0"
  instance_type = "t3.micro"
  subnet_id     = "subnet-0a1b2c3d"
}

# Flagged: an elastic IP on an instance, and one associated separately.
resource "aws_eip" "app" {
  domain   = "vpc"
  instance = aws_instance.app.id
}

resource "aws_eip" "spare" {
  domain = "vpc"
}

resource "aws_eip_association" "spare" {
  allocation_id        = aws_eip.spare.id
  network_interface_id = "eni-0123456789abcdef0"
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
    access_config {}
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

      public_ip_address {
        name = "pip"
      }
    }
  }
}
