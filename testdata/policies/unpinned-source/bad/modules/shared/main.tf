# medium, reported once although two calls above instantiate this module
module "inner" {
  source = "git::https://github.com/acme/terraform-inner.git?ref=develop"
}
