//! Findings after triage: each with why it does not count (a suppression, an approval) and where
//! it came from. The suppress and two-person stages produce them; reports render them.

use guard_policies::{Finding, Severity};
use serde::{Deserialize, Serialize};

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

/// One entry of a baseline file ([`crate::baseline`]): a recorded finding, or several with the
/// same fingerprint.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BaselineEntry {
    pub code: String,
    /// The address without instance keys or module path; empty for a finding without one.
    pub address: String,
    /// The attribute the finding points at; empty when it points at a block or a plan.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub attribute: String,
    pub fingerprint: String,
    /// How many findings this entry stands for.
    #[serde(default = "one", skip_serializing_if = "is_one")]
    pub count: usize,
}

fn one() -> usize {
    1
}

fn is_one(n: &usize) -> bool {
    *n == 1
}

/// What applying a baseline did, for every format to report.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct BaselineSummary {
    /// The baseline file, as displayed.
    pub file: String,
    /// Active findings not in the baseline.
    pub new: usize,
    /// Findings the baseline matched (they neither block nor warn).
    pub baselined: usize,
    /// Entries (with the count left over) that matched nothing: fixed since the baseline was
    /// written; `--write-baseline` prunes them.
    pub fixed: Vec<BaselineEntry>,
}

impl BaselineSummary {
    /// Findings the fixed entries stood for.
    pub fn fixed_count(&self) -> usize {
        self.fixed.iter().map(|e| e.count).sum()
    }
}
