//! Findings after triage: each with why it does not count (a suppression, an approval) and where
//! it came from. The suppress and two-person stages produce them; reports render them.

use guard_policies::{Finding, Severity};
use serde::Serialize;

/// Why a finding does not count.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Suppression {
    /// `inline` (a `# guard:ignore` comment), `config` (`guard.toml`) or `peer` (a checkov,
    /// trivy or tfsec comment, with `--respect-peer-ignores`).
    pub kind: &'static str,
    pub reason: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
}

/// A finding as reported: suppressed or not, blocking or not.
#[derive(Debug, Clone, PartialEq)]
pub struct ReportedFinding {
    pub finding: Finding,
    pub suppression: Option<Suppression>,
    /// Set when the approval check approved this finding (DEL001 with `--github`).
    pub approved_by: Option<String>,
    /// The input the finding came from: the plan file or the module/unit directory.
    pub source_name: String,
    /// For a finding merged across root modules ([`crate::group`]): every root it occurs in.
    pub roots: Vec<String>,
    /// Matched by the baseline (`--baseline`): an old finding that neither blocks nor warns.
    pub baselined: bool,
    fail_on: Severity,
}

impl ReportedFinding {
    pub fn new(finding: Finding, source_name: &str, fail_on: Severity) -> Self {
        ReportedFinding {
            finding,
            suppression: None,
            approved_by: None,
            source_name: source_name.to_string(),
            roots: Vec::new(),
            baselined: false,
            fail_on,
        }
    }
    /// The threshold this finding was judged against.
    pub fn fail_on(&self) -> Severity {
        self.fail_on
    }
    /// Blocking: at or above `--fail-on`, not suppressed, not approved, not baselined.
    pub fn is_blocking(&self) -> bool {
        self.is_active() && self.finding.severity >= self.fail_on
    }
    /// Counts: not suppressed, not approved, not in the baseline.
    pub fn is_active(&self) -> bool {
        self.suppression.is_none() && self.approved_by.is_none() && !self.baselined
    }
}
