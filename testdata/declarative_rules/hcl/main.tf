variable "secret_location" {
  type      = string
  default   = "us-east1"
  sensitive = true
}

resource "random_id" "cc" {
  byte_length = 4
}

resource "aws_s3_bucket" "tagged" {
  bucket = "tagged"
  tags = {
    CostCentre = "cc-42"
  }
}

resource "aws_s3_bucket" "untagged" {
  bucket = "untagged"
  tags = {
    Team = "data"
  }
}

resource "aws_sqs_queue" "no_tags" {
  name = "jobs"
}

resource "aws_s3_bucket" "computed" {
  bucket = "computed"
  tags = {
    CostCentre = random_id.cc.hex
  }
}

data "aws_caller_identity" "me" {}

resource "aws_security_group" "office" {
  name = "office"
  tags = {
    CostCentre = "cc-42"
  }

  ingress {
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = ["10.20.0.0/16"]
  }

  ingress {
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = ["10.0.0.0/8", "0.0.0.0/0"]
  }
}

resource "google_storage_bucket" "montreal" {
  name     = "montreal"
  location = "northamerica-northeast1"
}

resource "google_storage_bucket" "iowa" {
  name     = "iowa"
  location = "us-central1"
}

resource "google_storage_bucket" "hidden" {
  name     = "hidden"
  location = var.secret_location
}

# No default and no tfvars: the value is unknown to a source scan (the plan has it).
variable "cost_centre" {
  type = string
}

resource "aws_s3_bucket" "from_var" {
  bucket = "from-var"
  tags = {
    CostCentre = var.cost_centre
  }
}
