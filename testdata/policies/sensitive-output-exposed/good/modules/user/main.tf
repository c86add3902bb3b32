resource "aws_iam_access_key" "this" {
  user = "app"
}

# Not flagged: an output of a called module; the caller's root output is what gets printed.
output "secret" {
  value = aws_iam_access_key.this.secret
}
