# CMP001 instance-metadata-v1: near misses that must stay silent.

resource "aws_instance" "web" {
  ami           = "ami-0123456789abcdef0"
  instance_type = "t3.micro"
  metadata_options {
    http_tokens = "required"
  }
}

# No metadata service at all.
resource "aws_launch_template" "no_imds" {
  name_prefix = "no-imds-"
  metadata_options {
    http_endpoint = "disabled"
  }
}

# The account-level default requires tokens, so instances that say nothing inherit it.
resource "aws_ec2_instance_metadata_defaults" "this" {
  http_tokens                 = "required"
  http_put_response_hop_limit = 2
}

resource "aws_instance" "inherits" {
  ami           = "ami-0123456789abcdef0"
  instance_type = "t3.micro"
}
