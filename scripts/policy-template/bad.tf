# TODO: the smallest module this policy must report (one finding per case).
resource "aws_example" "x" {
  enabled = false
}
