//! Baselines: adopt guard on existing code by recording today's findings and failing only on
//! new ones.
//!
//! An entry is matched by a stable fingerprint, never by a line number, so moving code or adding
//! a comment above it does not make an old finding new. The fingerprint hashes four things:
//! the policy code, the address without instance keys or module path, the attribute the finding
//! points at (the key written on its line, when it has a source line) and the message template
//! (the message with every `code span` and number blanked out, so a changed value or count is the
//! same finding). Nothing else: the file never holds a value, a message or a line of source.
//!
//! Several findings can share a fingerprint (the same module called twice): an entry carries a
//! count, and that many findings match it. Entries left unmatched are reported as fixed;
//! `--write-baseline` writes only today's findings, so they are pruned.

use crate::error::InputError;
use crate::report::ReportedFinding;
use crate::stages::Triaged;
pub use crate::triage::{BaselineEntry as Entry, BaselineSummary};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::path::Path;

/// The baseline file's format version.
pub const VERSION: u32 = 1;

/// Whether a finding can be baselined: active, and not a privileged deletion (DEL001 is about
/// one plan's change, which a baseline written earlier cannot have approved; in a pull-request
/// check the baseline file also comes from the pull request under review).
pub fn recordable(rf: &ReportedFinding) -> bool {
    rf.is_active()
        && rf.finding.code
            != guard_policies::deletion::privileged_deletion_unapproved::PRIVILEGED_DELETION_UNAPPROVED
                .code
}

/// The baseline file.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Baseline {
    pub version: u32,
    pub findings: Vec<Entry>,
}

/// The address as a baseline keys it: no module path, no instance keys
/// (`module.net["a"].aws_vpc.main[0]` → `aws_vpc.main`).
pub fn stable_address(address: &str) -> String {
    let without_keys = stable_address_keys_only(address);
    let parts: Vec<&str> = without_keys.split('.').collect();
    stable_address_parts(&parts)
}

/// The address without instance keys, module path kept
/// (`module.net["a"].aws_vpc.main[0]` → `module.net.aws_vpc.main`).
pub fn stable_address_keys_only(address: &str) -> String {
    let mut without_keys = String::with_capacity(address.len());
    let mut depth = 0usize;
    let mut in_string = false;
    let mut escaped = false;
    for c in address.chars() {
        if depth > 0 {
            if in_string {
                if escaped {
                    escaped = false;
                } else if c == '\\' {
                    escaped = true;
                } else if c == '"' {
                    in_string = false;
                }
            } else if c == '"' {
                in_string = true;
            } else if c == '[' {
                depth += 1;
            } else if c == ']' {
                depth -= 1;
            }
        } else if c == '[' {
            depth = 1;
        } else {
            without_keys.push(c);
        }
    }
    without_keys
}

fn stable_address_parts(mut parts: &[&str]) -> String {
    while parts.len() > 2 && parts[0] == "module" {
        parts = &parts[2..];
    }
    parts.join(".")
}

/// The message with every `code span` replaced by `_` and every run of digits by `#`.
pub fn message_template(message: &str) -> String {
    let mut out = String::with_capacity(message.len());
    let mut in_code = false;
    let mut in_digits = false;
    for c in message.chars() {
        if c == '`' {
            if !in_code {
                out.push('_');
            }
            in_code = !in_code;
            in_digits = false;
            continue;
        }
        if in_code {
            continue;
        }
        if c.is_ascii_digit() {
            if !in_digits {
                out.push('#');
            }
            in_digits = true;
        } else {
            in_digits = false;
            out.push(c);
        }
    }
    out
}

/// The attribute a finding points at: the key written before `=` on its line, when the finding
/// has a source line and that key is a plain name (never anything after the `=`).
pub fn attribute(triaged: &Triaged, rf: &ReportedFinding) -> String {
    let Some(origin) = rf.finding.location.as_ref() else {
        return String::new();
    };
    let Some(source) = triaged.sources.get(&origin.file) else {
        return String::new();
    };
    let (line, _) = source.line_col(origin.start as usize);
    let Some((start, end)) = source.line_range(line) else {
        return String::new();
    };
    let text = source.text.get(start..end).unwrap_or("");
    let Some((key, _)) = text.split_once('=') else {
        return String::new();
    };
    let key = key.trim().trim_matches('"');
    let plain = !key.is_empty()
        && key.len() <= 128
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'));
    if plain {
        key.to_string()
    } else {
        String::new()
    }
}

/// The baseline entry of one finding (count 1).
pub fn entry(triaged: &Triaged, rf: &ReportedFinding) -> Entry {
    let f = &rf.finding;
    let address = f
        .config_address
        .as_deref()
        .or(f.address.as_deref())
        .map(stable_address)
        .unwrap_or_default();
    let attribute = attribute(triaged, rf);
    let template = message_template(&f.message);
    let mut h = Sha256::new();
    for part in [f.code, &address, &attribute, &template] {
        h.update(part.as_bytes());
        h.update([0]);
    }
    let fingerprint = h
        .finalize()
        .iter()
        .take(12)
        .map(|b| format!("{b:02x}"))
        .collect();
    Entry {
        code: f.code.to_string(),
        address,
        attribute,
        fingerprint,
        count: 1,
    }
}

/// The findings a baseline records: the active ones (not suppressed, not approved), merged by
/// fingerprint and sorted.
pub fn from_report(triaged: &Triaged) -> Baseline {
    let mut merged: BTreeMap<String, Entry> = BTreeMap::new();
    for rf in triaged.findings.iter().filter(|f| recordable(f)) {
        let e = entry(triaged, rf);
        merged
            .entry(e.fingerprint.clone())
            .and_modify(|m| m.count += 1)
            .or_insert(e);
    }
    let mut findings: Vec<Entry> = merged.into_values().collect();
    findings.sort();
    Baseline {
        version: VERSION,
        findings,
    }
}

impl Baseline {
    /// The file's text: pretty JSON, one entry per finding, sorted (stable diffs).
    pub fn to_json(&self) -> String {
        let mut text = serde_json::to_string_pretty(self).unwrap_or_else(|_| "{}".to_string());
        text.push('\n');
        text
    }

    /// Reads a baseline file; a missing, unreadable or malformed file is an input error.
    pub fn read(path: &Path) -> Result<Baseline, InputError> {
        let name = crate::display_path(path);
        let text = std::fs::read_to_string(path).map_err(|e| {
            InputError::new(
                &name,
                format!("cannot read baseline: {}", crate::io_reason(&e)),
            )
        })?;
        let baseline: Baseline = serde_json::from_str(&text).map_err(|e| {
            // serde_json's message can quote a value; the line and column are enough.
            let kind = match e.classify() {
                serde_json::error::Category::Syntax | serde_json::error::Category::Eof => {
                    "not valid JSON"
                }
                _ => "not a guard baseline (expected `version` and `findings` with `code`, `address` and `fingerprint`)",
            };
            InputError::new(&name, format!("baseline is {kind}")).at(e.line(), e.column())
        })?;
        if baseline.version != VERSION {
            return Err(InputError::new(
                &name,
                format!(
                    "baseline version {} is not supported (this guard writes version {VERSION})",
                    baseline.version
                ),
            ));
        }
        Ok(baseline)
    }

    /// The baseline stage: marks the findings this baseline matches and records what it did in
    /// `baseline`.
    pub fn apply(&self, mut triaged: Triaged, file: &str) -> Triaged {
        self.mark(&mut triaged, file);
        triaged
    }

    fn mark(&self, triaged: &mut Triaged, file: &str) {
        let mut left: BTreeMap<&str, usize> = BTreeMap::new();
        for e in &self.findings {
            *left.entry(e.fingerprint.as_str()).or_default() += e.count;
        }
        let mut summary = BaselineSummary {
            file: file.to_string(),
            ..BaselineSummary::default()
        };
        let fingerprints: Vec<Option<String>> = triaged
            .findings
            .iter()
            .map(|rf| recordable(rf).then(|| entry(triaged, rf).fingerprint))
            .collect();
        for (rf, fingerprint) in triaged.findings.iter_mut().zip(fingerprints) {
            let Some(fingerprint) = fingerprint else {
                if rf.is_active() {
                    summary.new += 1;
                }
                continue;
            };
            match left.get_mut(fingerprint.as_str()) {
                Some(n) if *n > 0 => {
                    *n -= 1;
                    rf.baselined = true;
                    summary.baselined += 1;
                }
                _ => summary.new += 1,
            }
        }
        let mut seen = std::collections::BTreeSet::new();
        for e in &self.findings {
            if !seen.insert(e.fingerprint.as_str()) {
                continue;
            }
            let n = left.get(e.fingerprint.as_str()).copied().unwrap_or(0);
            if n > 0 {
                summary.fixed.push(Entry {
                    count: n,
                    ..e.clone()
                });
            }
        }
        triaged.baseline = Some(summary);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_lose_module_paths_and_instance_keys() {
        assert_eq!(stable_address("aws_vpc.main"), "aws_vpc.main");
        assert_eq!(stable_address("aws_vpc.main[0]"), "aws_vpc.main");
        assert_eq!(
            stable_address(r#"module.net["a.b]"].module.x[1].aws_vpc.main["k"]"#),
            "aws_vpc.main"
        );
        assert_eq!(
            stable_address("module.net.data.aws_iam_policy_document.p"),
            "data.aws_iam_policy_document.p"
        );
        assert_eq!(stable_address("output.db_password"), "output.db_password");
    }

    #[test]
    fn templates_blank_values_and_numbers() {
        assert_eq!(
            message_template("egress to `0.0.0.0/0` on ports 0-65535: write `10.0.0.0/8`"),
            "egress to _ on ports #-#: write _"
        );
        assert_eq!(
            message_template("12 deletions in one plan"),
            message_template("13 deletions in one plan")
        );
    }
}
