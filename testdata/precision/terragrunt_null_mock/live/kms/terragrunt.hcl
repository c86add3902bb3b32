terraform {
  source = "../../modules/kms"
}
