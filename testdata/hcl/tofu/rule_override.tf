# Replaced by rule_override.tofu: this override is never applied.
resource "aws_security_group_rule" "ssh" {
  cidr_blocks = ["0.0.0.0/0"]
}
