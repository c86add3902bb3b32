//! Logging and audit trails: the records an investigation needs after the fact.
pub mod access_logs_disabled;
pub mod audit_trail_incomplete;
pub mod flow_logs_missing;
