# 11: wrapper module `source = "../sg"` with generated defaults (open egress with zero caller arguments).
variable "auto_ingress_rules" { default = ["http-80-tcp"] }
variable "auto_egress_rules" { default = ["all-all"] }
module "sg" {
  source             = "../sg"
  auto_ingress_rules = var.auto_ingress_rules
  auto_egress_rules  = var.auto_egress_rules
}
