//! What the two-person check decides and every format renders: the approval configuration, the
//! state, the changes that triggered it and the summary with its fingerprint.

use serde::Serialize;
use sha2::{Digest, Sha256};

/// The prefix of a break-glass review body.
pub const OVERRIDE_PREFIX: &str = "/guard override:";

/// `[approval]` in `guard.toml`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApprovalConfig {
    /// Distinct eligible approvals needed (at least 1; default 2).
    pub required: usize,
    /// Teams (`org/slug`, or `slug` in the repository owner's organization) an approver must
    /// belong to; empty = any eligible reviewer.
    pub teams: Vec<String>,
    /// The team whose members may override with `/guard override: <reason>`; `None` = no
    /// override exists.
    pub break_glass_team: Option<String>,
    /// Further team requirements from the pull request's own `guard.toml` files: a reviewer must
    /// also be an active member of one team of each list. They can only narrow who approves.
    pub team_groups: Vec<Vec<String>>,
}

impl Default for ApprovalConfig {
    fn default() -> Self {
        ApprovalConfig {
            required: 2,
            teams: Vec::new(),
            break_glass_team: None,
            team_groups: Vec::new(),
        }
    }
}

/// Outcome of the approval check.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ApprovalState {
    /// Local run: nothing was checked, DEL001 stands.
    NotChecked,
    Approved,
    /// Fewer counted approvals than required.
    Pending,
    ChangesRequested,
    /// Passed through break-glass.
    Overridden,
    /// The check could not be completed (fails closed).
    Failed,
}

impl ApprovalState {
    pub fn as_str(self) -> &'static str {
        match self {
            ApprovalState::NotChecked => "not-checked",
            ApprovalState::Approved => "approved",
            ApprovalState::Pending => "pending",
            ApprovalState::ChangesRequested => "changes-requested",
            ApprovalState::Overridden => "overridden",
            ApprovalState::Failed => "failed",
        }
    }
    /// Whether DEL001 findings are approved.
    pub fn passes(self) -> bool {
        matches!(self, ApprovalState::Approved | ApprovalState::Overridden)
    }
}

/// One change that requires approval.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Trigger {
    pub address: String,
    #[serde(rename = "type")]
    pub resource_type: String,
    pub actions: Vec<String>,
}

/// A reviewer who was not counted, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Excluded {
    pub login: String,
    pub reason: String,
}

/// A break-glass override.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Override {
    pub by: String,
    pub reason: String,
}

/// The approval check's result, rendered by every format.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ApprovalSummary {
    pub state: ApprovalState,
    pub required: usize,
    /// The head commit approvals were judged against.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub head_sha: Option<String>,
    /// `sha256:<hex>` of the sorted triggering changes.
    pub fingerprint: String,
    pub triggers: Vec<Trigger>,
    /// Reviewers whose approval counted.
    pub counted: Vec<String>,
    pub excluded: Vec<Excluded>,
    /// Reviewers with write access whose latest review requests changes.
    pub changes_requested: Vec<String>,
    #[serde(rename = "override", skip_serializing_if = "Option::is_none")]
    pub override_: Option<Override>,
    /// Why the check failed or was not run.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

impl ApprovalSummary {
    pub fn new(state: ApprovalState, required: usize, triggers: Vec<Trigger>) -> Self {
        ApprovalSummary {
            state,
            required,
            head_sha: None,
            fingerprint: fingerprint(&triggers),
            triggers,
            counted: Vec::new(),
            excluded: Vec::new(),
            changes_requested: Vec::new(),
            override_: None,
            reason: None,
        }
    }

    /// One line for `Report::notes` (every format renders notes).
    pub fn note(&self) -> String {
        let mut line = match self.state {
            ApprovalState::NotChecked => format!(
                "approval: not checked (run with --github on a pull request); {} approvals required",
                self.required
            ),
            ApprovalState::Approved => format!(
                "approval: approved {}/{} by {}",
                self.counted.len(),
                self.required,
                self.counted.join(", ")
            ),
            ApprovalState::Pending => format!(
                "approval: pending, {}/{} approvals{}",
                self.counted.len(),
                self.required,
                if self.counted.is_empty() {
                    String::new()
                } else {
                    format!(" ({})", self.counted.join(", "))
                }
            ),
            ApprovalState::ChangesRequested => format!(
                "approval: changes requested by {}",
                self.changes_requested.join(", ")
            ),
            ApprovalState::Overridden => match &self.override_ {
                Some(o) => format!("approval: OVERRIDDEN by {}: {}", o.by, o.reason),
                None => "approval: OVERRIDDEN".to_string(),
            },
            ApprovalState::Failed => format!(
                "approval: check failed: {}",
                self.reason.as_deref().unwrap_or("unknown reason")
            ),
        };
        if let Some(sha) = &self.head_sha {
            line.push_str(&format!(" on {}", short_sha(sha)));
        }
        if !self.excluded.is_empty() {
            let excluded: Vec<String> = self
                .excluded
                .iter()
                .map(|e| format!("{} ({})", e.login, e.reason))
                .collect();
            line.push_str(&format!("; not counted: {}", excluded.join(", ")));
        }
        line.push_str(&format!("; fingerprint {}", self.fingerprint));
        line
    }
}

/// The first 7 characters of a SHA.
pub fn short_sha(sha: &str) -> &str {
    sha.get(..7).unwrap_or(sha)
}

/// `sha256:<hex>` of the canonical JSON of sorted `[address, type, [actions]]`.
pub fn fingerprint(triggers: &[Trigger]) -> String {
    let mut sorted = triggers.to_vec();
    sorted.sort();
    // `Value`'s `Display` is the compact JSON `serde_json::to_string` writes, and it cannot fail
    // (a failure here must not turn into the fingerprint of nothing).
    let canonical = serde_json::Value::Array(
        sorted
            .iter()
            .map(|t| serde_json::json!([t.address, t.resource_type, t.actions]))
            .collect(),
    );
    let text = canonical.to_string();
    let digest = Sha256::digest(text.as_bytes());
    let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    format!("sha256:{hex}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn trigger(address: &str, actions: &[&str]) -> Trigger {
        Trigger {
            address: address.into(),
            resource_type: crate::address::resource_type(address),
            actions: actions.iter().map(|a| a.to_string()).collect(),
        }
    }

    #[test]
    fn fingerprint_ignores_order() {
        let a = trigger("a.b", &["delete"]);
        let b = trigger("c.d", &["delete", "create"]);
        assert_eq!(
            fingerprint(&[a.clone(), b.clone()]),
            fingerprint(&[b.clone(), a.clone()])
        );
        assert_ne!(fingerprint(std::slice::from_ref(&a)), fingerprint(&[a, b]));
    }

    #[test]
    fn fingerprint_is_the_hash_of_the_canonical_json() {
        // sha256 of `[["aws_iam_user.ci","aws_iam_user",["delete"]]]` and of `[]`: the bytes a
        // reviewer's tooling can recompute.
        assert_eq!(
            fingerprint(&[trigger("aws_iam_user.ci", &["delete"])]),
            "sha256:a06934a9334bba03f0276ca3807a68df615c45cca3ac5078c190be14669633d4"
        );
        assert_eq!(
            fingerprint(&[]),
            "sha256:4f53cda18c2baa0c0354bb5f9a3ecbe5ed12ab4d8e11ba873c2f11161202b945"
        );
    }
}
