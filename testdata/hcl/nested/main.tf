module "a" {
  source   = "./modules/a"
  for_each = { x = "10.0.0.0/8", y = "0.0.0.0/0" }
  cidr     = each.value
}
