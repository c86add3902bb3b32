variable "env" {
  type = string
}

resource "aws_s3_bucket" "app" {
  bucket = "app-${var.env}"
}
