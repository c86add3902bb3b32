//! `guard.toml` suppressions: `[per-path-ignores]` by file glob and `[[suppress]]` by address.

use super::matching::split;
use super::Date;
use crate::config::{self, AddressSuppression};
use crate::report::Suppression;
use crate::stages::Triaged;
use guard_policies::Finding;

/// `[per-path-ignores]`: the suppression for a finding, when a pattern covers its file.
pub(super) fn path_suppression(
    config: &config::Loaded,
    finding: &Finding,
    source_name: &str,
) -> Option<Suppression> {
    if config.per_path_ignores.is_empty() {
        return None;
    }
    let file = finding
        .location
        .as_ref()
        .map(|l| l.file.to_string())
        .unwrap_or_else(|| source_name.to_string());
    let rel = config.relative_path(&file)?;
    let entry = config
        .per_path_ignores
        .iter()
        .find(|p| p.codes.contains(&finding.code) && p.matches(&rel))?;
    Some(Suppression {
        kind: "config",
        reason: format!("per-path-ignores `{}`", entry.pattern),
        file: config.file.clone(),
        line: Some(entry.line),
    })
}

pub(super) fn apply_config(
    triaged: &mut Triaged,
    config: &config::Loaded,
    today: Date,
    mut expired: impl FnMut(&AddressSuppression),
) {
    for entry in &config.suppress {
        if entry.until.is_some_and(|u| u < today) {
            expired(entry);
        }
    }
    let findings = std::mem::take(&mut triaged.findings);
    let mut out = Vec::with_capacity(findings.len());
    for mut rf in findings {
        if rf.suppression.is_some() {
            out.push(rf);
            continue;
        }
        if let Some(s) = path_suppression(config, &rf.finding, &rf.source_name) {
            rf.suppression = Some(s);
            out.push(rf);
            continue;
        }
        let mut rest = Some(rf);
        for entry in &config.suppress {
            let Some(current) = rest.take() else { break };
            if entry.until.is_some_and(|u| u < today)
                || !entry.codes.contains(&current.finding.code)
            {
                rest = Some(current);
                continue;
            }
            let (covered, remaining) = split(current, |a| entry.matches_address(a));
            if let Some(mut covered) = covered {
                covered.suppression = Some(Suppression {
                    kind: "config",
                    reason: entry.reason.clone(),
                    file: config.file.clone(),
                    line: Some(entry.line),
                });
                out.push(covered);
            }
            rest = remaining;
        }
        out.extend(rest);
    }
    triaged.findings = out;
}

/// Byte range of a 1-based line in `text`, without its newline.
pub(super) fn line_span(text: &str, line: usize) -> (usize, usize) {
    let mut start = 0;
    for _ in 1..line {
        match text[start..].find('\n') {
            Some(p) => start += p + 1,
            None => break,
        }
    }
    let end = text[start..].find('\n').map_or(text.len(), |p| start + p);
    (start, end)
}
