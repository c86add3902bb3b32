# NET001 near misses for the shapes added for issue 15.

resource "aws_network_acl" "private" {
  vpc_id = "vpc-0a1b2c3d"

  egress {
    rule_no    = 100
    protocol   = "-1"
    action     = "allow"
    cidr_block = "10.0.0.0/8"
    from_port  = 0
    to_port    = 0
  }

  egress {
    rule_no    = 200
    protocol   = "-1"
    action     = "deny"
    cidr_block = "0.0.0.0/0"
    from_port  = 0
    to_port    = 0
  }
}

# An ingress entry is public-ingress's business.
resource "aws_network_acl_rule" "in" {
  network_acl_id = "acl-0123456789abcdef0"
  rule_number    = 100
  protocol       = "tcp"
  rule_action    = "allow"
  cidr_block     = "0.0.0.0/0"
  from_port      = 443
  to_port        = 443
}
