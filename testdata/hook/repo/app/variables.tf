variable "egress_cidr" {
  type    = string
  default = "0.0.0.0/0"
}
