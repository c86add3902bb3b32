//! Availability: data that survives the loss of a zone or a mistake.
pub mod backups_disabled;
pub mod single_zone;
