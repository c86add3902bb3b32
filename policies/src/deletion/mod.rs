//! Deletion safety: privileged deletions, mass deletions, protection flags.
pub mod deletion_protection_disabled;
pub mod mass_deletion;
pub mod privileged_deletion_unapproved;
pub mod privileged_resource_unprotected;
