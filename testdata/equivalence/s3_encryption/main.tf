# Three buckets under for_each; only two get a separate encryption configuration.
locals {
  buckets   = toset(["logs", "data", "raw"])
  encrypted = toset(["logs", "data"])
}

resource "aws_s3_bucket" "b" {
  for_each = local.buckets
  bucket   = "acme-${each.key}"
}

resource "aws_s3_bucket_server_side_encryption_configuration" "b" {
  for_each = local.encrypted
  bucket   = aws_s3_bucket.b[each.key].id

  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "aws:kms"
    }
  }
}
