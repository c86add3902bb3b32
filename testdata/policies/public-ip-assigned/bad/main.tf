# NET003 public-ip-assigned: every resource below hands out a public IP address.

variable "public" {
  type = bool
}

# Flagged: an instance with a public address.
resource "aws_instance" "bastion" {
  ami                         = "ami-0c55b159cbfafe1f0"
  instance_type               = "t3.micro"
  associate_public_ip_address = true
}

# Flagged: a subnet that gives every instance a public address.
resource "aws_subnet" "public" {
  vpc_id                  = "vpc-0a1b2c3d"
  cidr_block              = "10.0.1.0/24"
  map_public_ip_on_launch = true
}

# Flagged: launch templates write the flag as a string.
resource "aws_launch_template" "web" {
  name     = "web"
  image_id = "ami-0c55b159cbfafe1f0"

  network_interfaces {
    associate_public_ip_address = "true"
    device_index                = 0
  }
}

# Flagged: an access_config block gives a GCP instance an external address.
resource "google_compute_instance" "vm" {
  name         = "vm"
  machine_type = "e2-small"
  zone         = "europe-west1-b"

  boot_disk {
    initialize_params {
      image = "debian-cloud/debian-12"
    }
  }

  network_interface {
    network = "default"
    access_config {}
  }
}

# Flagged (low): the flag is a variable with no value.
resource "aws_instance" "maybe" {
  ami                         = "ami-0c55b159cbfafe1f0"
  instance_type               = "t3.micro"
  associate_public_ip_address = var.public
}
