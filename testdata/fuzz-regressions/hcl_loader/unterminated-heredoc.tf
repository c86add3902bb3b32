resource "a" "b" {
  x = <<EOT
  y
