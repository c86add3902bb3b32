# DEL004 privileged-resource-unprotected: near misses that must stay silent.

resource "google_service_account" "api" {
  account_id = "api"

  lifecycle {
    prevent_destroy = true
  }
}

# Not privileged: instances can be recreated.
resource "aws_instance" "web" {
  ami           = "ami-0c55b159cbfafe1f0"
  instance_type = "t3.micro"
}

# Data sources are not managed.
data "aws_iam_role" "existing" {
  name = "existing"
}
