//! Deletion safety: privileged deletions, mass deletions, protection flags.
pub mod mass_deletion;
pub mod privileged_deletion_unapproved;
