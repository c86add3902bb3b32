//! Compute: how instances are configured.
pub mod instance_metadata_v1;
