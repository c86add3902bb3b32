# NET003 public-ip-assigned: near misses that must stay silent.

# Unset: the subnet decides, and the subnet is checked.
resource "aws_instance" "app" {
  ami           = "ami-0c55b159cbfafe1f0"
  instance_type = "t3.micro"
  subnet_id     = aws_subnet.private.id
}

resource "aws_instance" "private" {
  ami                         = "ami-0c55b159cbfafe1f0"
  instance_type               = "t3.micro"
  associate_public_ip_address = false
}

resource "aws_subnet" "private" {
  vpc_id                  = "vpc-0a1b2c3d"
  cidr_block              = "10.0.2.0/24"
  map_public_ip_on_launch = false
}

# No access_config: internal address only.
resource "google_compute_instance" "internal" {
  name         = "internal"
  machine_type = "e2-small"
  zone         = "europe-west1-b"

  boot_disk {
    initialize_params {
      image = "debian-cloud/debian-12"
    }
  }

  network_interface {
    network = "default"
  }
}
