//! Applying suppressions to findings: inline directives by line and instance key.

use super::directive::{unquote, Directive};
use super::Date;
use crate::report::{Report, ReportedFinding, Suppression};
use guard_policies::Finding;
use std::collections::BTreeMap;

/// The addresses a finding stands for: its instances, else its address.
fn addresses(f: &Finding) -> Vec<&str> {
    if f.instances.is_empty() {
        f.address.iter().map(String::as_str).collect()
    } else {
        f.instances.iter().map(String::as_str).collect()
    }
}

/// Splits a finding into the part whose instances satisfy `covers` and the rest.
pub(super) fn split(
    rf: ReportedFinding,
    covers: impl Fn(&str) -> bool,
) -> (Option<ReportedFinding>, Option<ReportedFinding>) {
    let addrs = addresses(&rf.finding);
    let (yes, no): (Vec<&str>, Vec<&str>) = addrs.iter().partition(|a| covers(a));
    if yes.is_empty() {
        return (None, Some(rf));
    }
    if no.is_empty() {
        return (Some(rf), None);
    }
    if rf.finding.address.is_none() {
        // A whole-plan finding (mass deletion) lists what it is about; it is covered only as a
        // whole, never split into two findings that each say less.
        return (None, Some(rf));
    }
    let part = |keep: &[&str]| {
        let mut copy = rf.clone();
        if keep.len() == 1 {
            copy.finding.address = Some(keep[0].to_string());
            copy.finding.instances.clear();
        } else {
            copy.finding.instances = keep.iter().map(|s| s.to_string()).collect();
        }
        copy
    };
    (Some(part(&yes)), Some(part(&no)))
}

fn key_covers(key: &Option<String>) -> impl Fn(&str) -> bool + '_ {
    move |address: &str| match key {
        None => true,
        Some(k) => address_keys(address).contains(&k.as_str()),
    }
}

pub(super) fn apply_inline(report: &mut Report, directives: &mut [Directive], today: Date) {
    // (file, line) -> directives targeting that line.
    let mut by_line: BTreeMap<(&str, usize), Vec<usize>> = BTreeMap::new();
    for (i, d) in directives.iter().enumerate() {
        if let (Some(line), true) = (d.target_line, d.usable(today)) {
            by_line.entry((&d.file, line)).or_default().push(i);
        }
    }
    // Candidates per finding, most specific first: the location, then related origins, then
    // module calls from the innermost out.
    let candidates_of = |f: &Finding| -> Vec<(usize, usize)> {
        let origins = f
            .location
            .iter()
            .chain(f.related.iter())
            .chain(f.module_calls.iter().rev());
        let mut out: Vec<(usize, usize)> = Vec::new();
        for origin in origins {
            let Some(line) = report
                .sources
                .line_col(&origin.file, origin.start)
                .map(|p| p.0)
            else {
                continue;
            };
            for &di in by_line.get(&(&*origin.file, line)).into_iter().flatten() {
                for (ti, t) in directives[di].targets.iter().enumerate() {
                    if t.code == f.code && !out.contains(&(di, ti)) {
                        out.push((di, ti));
                    }
                }
            }
        }
        out
    };
    let findings = std::mem::take(&mut report.findings);
    let mut plan: Vec<(ReportedFinding, Vec<(usize, usize)>)> = Vec::with_capacity(findings.len());
    for rf in findings {
        let candidates = if rf.suppression.is_some() {
            Vec::new()
        } else {
            candidates_of(&rf.finding)
        };
        plan.push((rf, candidates));
    }
    let mut out = Vec::with_capacity(plan.len());
    for (rf, candidates) in plan {
        if candidates.is_empty() {
            out.push(rf);
            continue;
        }
        // Every candidate that covers any part of the finding counts as used.
        for &(di, ti) in &candidates {
            let target = &directives[di].targets[ti];
            if addresses(&rf.finding)
                .iter()
                .any(|a| key_covers(&target.key)(a))
                || (target.key.is_none())
            {
                directives[di].targets[ti].used = true;
            }
        }
        let mut rest = Some(rf);
        for &(di, ti) in &candidates {
            let Some(current) = rest.take() else { break };
            let d = &directives[di];
            let target = &d.targets[ti];
            let (covered, remaining) = if target.key.is_none() {
                (Some(current), None)
            } else {
                split(current, key_covers(&target.key))
            };
            if let Some(mut covered) = covered {
                covered.suppression = Some(Suppression {
                    kind: "inline",
                    reason: d.reason.clone().unwrap_or_default(),
                    file: Some(d.file.to_string()),
                    line: Some(d.line),
                });
                out.push(covered);
            }
            rest = remaining;
        }
        out.extend(rest);
    }
    report.findings = out;
}

/// The instance keys in an address: `module.a["x"].aws_b.c[0]` has `x` and `0`.
pub fn address_keys(address: &str) -> Vec<&str> {
    let mut keys = Vec::new();
    let b = address.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'[' {
            let start = i + 1;
            let mut j = start;
            let mut in_quotes = false;
            while j < b.len() && (in_quotes || b[j] != b']') {
                if b[j] == b'\\' && in_quotes {
                    j += 1;
                } else if b[j] == b'"' {
                    in_quotes = !in_quotes;
                }
                j += 1;
            }
            keys.push(unquote(&address[start..j.min(b.len())]));
            i = j;
        }
        i += 1;
    }
    keys
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_read_from_addresses() {
        assert_eq!(address_keys(r#"module.a["x"].aws_b.c[0]"#), vec!["x", "0"]);
        assert_eq!(address_keys(r#"aws_b.c["a]b"]"#), vec!["a]b"]);
        assert!(address_keys("aws_b.c").is_empty());
    }
}
