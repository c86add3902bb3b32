//! Encryption at rest and in transit, and key hygiene.
pub mod customer_managed_key;
pub mod kms_rotation_disabled;
pub mod plaintext_transport;
pub mod unencrypted_storage;
