# ENC003 kms-rotation-disabled: near misses that must stay silent.

resource "aws_kms_key" "data" {
  description         = "data at rest"
  enable_key_rotation = true
}

# Asymmetric and HMAC keys cannot rotate automatically.
resource "aws_kms_key" "signing" {
  description              = "signing"
  customer_master_key_spec = "RSA_2048"
  key_usage                = "SIGN_VERIFY"
}

resource "aws_kms_key" "hmac" {
  description              = "hmac"
  customer_master_key_spec = "HMAC_256"
  key_usage                = "GENERATE_VERIFY_MAC"
}

resource "google_kms_crypto_key" "data" {
  name            = "data"
  key_ring        = "projects/acme/locations/europe/keyRings/main"
  rotation_period = "7776000s"
}

resource "google_kms_crypto_key" "sign" {
  name     = "sign"
  key_ring = "projects/acme/locations/europe/keyRings/main"
  purpose  = "ASYMMETRIC_SIGN"
}
