//! Secrets: written into configuration, or exposed through outputs.
pub mod hardcoded_secret;
pub mod sensitive_output_exposed;
