locals {
  env = "staging"
}
