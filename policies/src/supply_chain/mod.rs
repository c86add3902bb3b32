//! Supply chain: where the code Terraform runs comes from.
pub mod unpinned_source;
