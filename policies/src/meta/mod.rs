//! Findings about guard's own suppressions: unused, invalid and expired `# guard:ignore` comments.
//!
//! These policies check nothing themselves (their checks are no-ops); `src/suppress.rs` in the
//! `guard` crate reports them after matching suppressions to findings. They are policies so they
//! have a code, a name, a severity, documentation, and can be selected, ignored and re-rated in
//! `guard.toml` like any other.
pub mod expired_suppression;
pub mod invalid_suppression;
pub mod unused_suppression;
