# TODO: the same module, fixed: this policy must stay silent.
resource "aws_example" "x" {
  enabled = true
}
