//! Changes made outside Terraform, and risky certificate changes.
pub mod certificate_change;
pub mod drift_detected;
