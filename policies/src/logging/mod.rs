//! Logging and audit trails: the records an investigation needs after the fact.
pub mod flow_logs_missing;
