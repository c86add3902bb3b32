//! Network boundary: what the internet can reach, and what can reach the internet.
pub mod cidr;
pub mod public_egress;
pub mod public_ingress;
pub mod public_ip_assigned;
pub mod public_service_endpoint;
pub mod rules;
pub mod waf_missing;
