//! Storage: buckets, containers and what the internet can read from them.
pub mod public_storage;
