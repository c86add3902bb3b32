//! Identity and access: who may do what, and who may get in.
pub mod admin_wildcard;
pub mod document;
pub mod public_principal;
