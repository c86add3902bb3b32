# Separate `aws_network_acl_rule`s of one ACL are evaluated in `rule_number` order, as inline
# entries are: a deny at a lower number shadows a later allow of the same ACL and direction.
resource "aws_network_acl" "public" {
  for_each = toset(["a", "b"])
  vpc_id   = "vpc-0123456789abcdef0"
}

# Only ACL "a" denies SSH from the internet first.
resource "aws_network_acl_rule" "deny_ssh" {
  network_acl_id = aws_network_acl.public["a"].id
  rule_number    = 100
  egress         = false
  protocol       = "tcp"
  rule_action    = "deny"
  cidr_block     = "0.0.0.0/0"
  from_port      = 22
  to_port        = 22
}

# Shadowed in ACL "a"; reported in ACL "b", which has no deny.
resource "aws_network_acl_rule" "allow_ssh" {
  for_each       = aws_network_acl.public
  network_acl_id = each.value.id
  rule_number    = 200
  egress         = false
  protocol       = "tcp"
  rule_action    = "allow"
  cidr_block     = "0.0.0.0/0"
  from_port      = 22
  to_port        = 22
}

resource "aws_network_acl" "other" {
  vpc_id = "vpc-0123456789abcdef0"
}

# A deny of outbound traffic, and a deny at a higher number: neither shadows the inbound allow.
resource "aws_network_acl_rule" "deny_ssh_out" {
  network_acl_id = aws_network_acl.other.id
  rule_number    = 50
  egress         = true
  protocol       = "tcp"
  rule_action    = "deny"
  cidr_block     = "0.0.0.0/0"
  from_port      = 22
  to_port        = 22
}

resource "aws_network_acl_rule" "deny_ssh_late" {
  network_acl_id = aws_network_acl.other.id
  rule_number    = 300
  egress         = false
  protocol       = "tcp"
  rule_action    = "deny"
  cidr_block     = "0.0.0.0/0"
  from_port      = 22
  to_port        = 22
}

resource "aws_network_acl_rule" "allow_ssh_other" {
  network_acl_id = aws_network_acl.other.id
  rule_number    = 200
  egress         = false
  protocol       = "tcp"
  rule_action    = "allow"
  cidr_block     = "0.0.0.0/0"
  from_port      = 22
  to_port        = 22
}

resource "aws_network_acl" "ephemeral" {
  vpc_id = "vpc-0123456789abcdef0"
}

resource "aws_network_acl_rule" "block_rdp" {
  network_acl_id = aws_network_acl.ephemeral.id
  rule_number    = 51
  egress         = false
  protocol       = "tcp"
  rule_action    = "deny"
  cidr_block     = "0.0.0.0/0"
  from_port      = 3389
  to_port        = 3389
}

# The ephemeral range answers to outbound connections come back on, less the port denied first:
# still that rule (low), not a listener.
resource "aws_network_acl_rule" "response_ephemeral" {
  network_acl_id = aws_network_acl.ephemeral.id
  rule_number    = 63
  egress         = false
  protocol       = "tcp"
  rule_action    = "allow"
  cidr_block     = "0.0.0.0/0"
  from_port      = 1024
  to_port        = 65535
}
