terraform {
  source = "."
}

# The text it writes does not parse: the error is here, since `broken.tf` is not on disk.
generate "broken" {
  path      = "broken.tf"
  if_exists = "overwrite"
  contents  = <<EOF
resource "aws_s3_bucket" "b" {
  bucket = 
}
EOF
}
