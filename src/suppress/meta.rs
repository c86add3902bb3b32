//! The findings suppressions produce themselves: GRD001 (unused), GRD002 (invalid), GRD003
//! (expired).

use super::directive::{Directive, Problem};
use super::{show_date, Date};
use guard_policies::meta::{
    expired_suppression::EXPIRED_SUPPRESSION, invalid_suppression::INVALID_SUPPRESSION,
    unused_suppression::UNUSED_SUPPRESSION,
};
use guard_policies::{Finding, InputKind, Origin, Policy};
use std::collections::{HashMap, HashSet};

/// Where an unsuppressed finding is reported: file, line and address, so an unused suppression
/// can say where the finding it might have meant is.
#[derive(Debug, Clone)]
pub(super) struct Nearby {
    pub(super) file: String,
    pub(super) line: usize,
    pub(super) address: Option<String>,
}

impl Directive {
    pub(super) fn meta_findings(
        &self,
        selected: &HashSet<&'static str>,
        error_files: &HashSet<&str>,
        today: Date,
        nearby: &HashMap<&'static str, Vec<Nearby>>,
        out: &mut Vec<Finding>,
    ) {
        if selected.contains(INVALID_SUPPRESSION.code) {
            for problem in &self.problems {
                out.push(meta_finding(
                    &INVALID_SUPPRESSION,
                    problem.message(),
                    self.origin(),
                ));
            }
        }
        if self.problems.iter().any(Problem::is_fatal) {
            return;
        }
        if self.is_expired(today) {
            if selected.contains(EXPIRED_SUPPRESSION.code) {
                let codes = self
                    .targets
                    .iter()
                    .map(|t| t.written.as_str())
                    .collect::<Vec<_>>()
                    .join(", ");
                out.push(meta_finding(
                    &EXPIRED_SUPPRESSION,
                    format!(
                        "suppression of {codes} expired on {}; the findings it covered are reported again",
                        show_date(self.until.unwrap_or_default())
                    ),
                    self.origin(),
                ));
            }
            return;
        }
        // A file that failed to load produced no findings to suppress: saying its suppressions
        // are unused would be noise. Module caches are not the user's to clean up.
        if !selected.contains(UNUSED_SUPPRESSION.code)
            || error_files.contains(&*self.file)
            || self.file.contains(".terraform/")
        {
            return;
        }
        for target in &self.targets {
            if !target.used && selected.contains(target.code) {
                let hint = self
                    .nearest(nearby.get(target.code).map(Vec::as_slice).unwrap_or(&[]))
                    .map(|n| {
                        let address = n
                            .address
                            .as_deref()
                            .map(|a| format!(" (`{a}`)"))
                            .unwrap_or_default();
                        format!(
                            "; the nearest {} finding is at {}:{}{address}: put the comment on that line, on its resource or on the attribute line that uses the value",
                            target.code, n.file, n.line
                        )
                    })
                    .unwrap_or_default();
                out.push(meta_finding(
                    &UNUSED_SUPPRESSION,
                    format!(
                        "unused suppression: `{}` suppressed nothing{hint}",
                        target.written
                    ),
                    self.origin(),
                ));
            }
        }
    }
}

impl Directive {
    /// The finding of the same code closest to this comment: in its file by line distance,
    /// else the first elsewhere.
    fn nearest<'n>(&self, candidates: &'n [Nearby]) -> Option<&'n Nearby> {
        candidates
            .iter()
            .filter(|n| n.file == *self.file)
            .min_by_key(|n| n.line.abs_diff(self.line))
            .or_else(|| candidates.first())
    }
}

pub(super) fn meta_finding(policy: &'static Policy, message: String, origin: Origin) -> Finding {
    Finding {
        code: policy.code,
        name: policy.name,
        severity: policy.severity,
        message,
        address: None,
        location: Some(origin),
        related: Vec::new(),
        instances: Vec::new(),
        config_address: None,
        module_calls: Vec::new(),
        input: Some(InputKind::Hcl),
    }
}
