variable "name" {
  default = "local"
}

# a nested local call
module "sibling" {
  source = "../other"
}
