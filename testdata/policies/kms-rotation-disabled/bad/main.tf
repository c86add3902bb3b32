# ENC003 kms-rotation-disabled: every key below never rotates.

# Flagged: rotation is off by default.
resource "aws_kms_key" "data" {
  description = "data at rest"
}

# Flagged: explicitly off.
resource "aws_kms_key" "logs" {
  description         = "logs"
  enable_key_rotation = false
}

# Flagged: no rotation_period.
resource "google_kms_crypto_key" "data" {
  name     = "data"
  key_ring = "projects/acme/locations/europe/keyRings/main"
}
