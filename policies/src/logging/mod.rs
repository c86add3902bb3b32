//! Logging and audit trails: the records an investigation needs after the fact.
pub mod audit_trail_incomplete;
pub mod flow_logs_missing;
