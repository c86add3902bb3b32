# CMP001 instance-metadata-v1: every instance below may answer IMDSv1.

# Flagged: no metadata_options at all.
resource "aws_instance" "web" {
  ami           = "ami-0123456789abcdef0"
  instance_type = "t3.micro"
}

# Flagged: tokens optional, set through a variable default.
variable "http_tokens" {
  type    = string
  default = "optional"
}

resource "aws_launch_template" "workers" {
  name_prefix = "workers-"
  metadata_options {
    http_endpoint = "enabled"
    http_tokens   = var.http_tokens
  }
}

# Flagged: the block is there but http_tokens is not.
resource "aws_launch_configuration" "legacy" {
  image_id      = "ami-0123456789abcdef0"
  instance_type = "t3.micro"
  metadata_options {
    http_put_response_hop_limit = 2
  }
}

# Flagged: a spot request.
resource "aws_spot_instance_request" "batch" {
  ami           = "ami-0123456789abcdef0"
  instance_type = "c5.large"
  spot_price    = "0.05"
}

# Low: known only after apply.
variable "tokens_from_outside" {
  type = string
}

resource "aws_instance" "computed" {
  ami           = "ami-0123456789abcdef0"
  instance_type = "t3.micro"
  metadata_options {
    http_tokens = var.tokens_from_outside
  }
}
