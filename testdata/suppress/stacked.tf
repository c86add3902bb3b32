# guard:ignore NET001 -- egress is the NAT gateway's job here
# guard:ignore ENC001 -- the bucket holds public assets only

resource "aws_s3_bucket" "assets" {
  bucket = "assets"
}
