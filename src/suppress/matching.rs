//! Applying suppressions to findings: inline directives by line and instance key.

use super::directive::Directive;
use super::Date;
use crate::report::{ReportedFinding, Suppression};
use crate::source::SourceMap;
use crate::stages::Triaged;
use guard_policies::{Finding, OriginKind};
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
        Some(k) => crate::address::instance_keys(address).contains(&k.as_str()),
    }
}

pub(super) fn apply_inline(triaged: &mut Triaged, directives: &mut [Directive], today: Date) {
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
            let Some(line) = triaged
                .sources
                .line_col(&origin.file, origin.start as usize)
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
        // Then the attribute line inside the block that consumes the value (`cidr_blocks =
        // [var.egress_cidr] # guard:ignore NET001 -- ...`), when the value came from a
        // variable, tfvars entry, local or module argument.
        for (file, line) in consumer_lines(&triaged.sources, f, &by_line) {
            for &di in by_line.get(&(file.as_str(), line)).into_iter().flatten() {
                for (ti, t) in directives[di].targets.iter().enumerate() {
                    if t.code == f.code && !out.contains(&(di, ti)) {
                        out.push((di, ti));
                    }
                }
            }
        }
        out
    };
    let findings = std::mem::take(&mut triaged.findings);
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
    triaged.findings = out;
}

/// The names a value that reached a finding was read through: `var.NAME` for a variable
/// default, a tfvars entry, a module argument or a Terragrunt input; `local.NAME` for a local.
fn reference_names(sources: &SourceMap, f: &Finding) -> Vec<String> {
    let mut names = Vec::new();
    for origin in f.location.iter().chain(f.related.iter()) {
        let Some(source) = sources.get(&origin.file) else {
            continue;
        };
        let text: &str = &source.text;
        let name = match origin.kind {
            OriginKind::VariableDefault => text
                .get(..origin.start as usize)
                .and_then(|before| before.rfind("variable \""))
                .and_then(|i| text.get(i + "variable \"".len()..))
                .and_then(|rest| rest.split('"').next())
                .map(|name| format!("var.{name}")),
            OriginKind::Local => {
                line_key(source, origin.start as usize).map(|k| format!("local.{k}"))
            }
            OriginKind::Tfvars | OriginKind::ModuleArgument | OriginKind::TerragruntInput => {
                line_key(source, origin.start as usize).map(|k| format!("var.{k}"))
            }
            OriginKind::Literal => None,
        };
        if let Some(name) = name.filter(|n| is_reference(n)) {
            if !names.contains(&name) {
                names.push(name);
            }
        }
    }
    names
}

/// The key written before `=` on the line holding `offset`.
fn line_key(source: &crate::source::SourceFile, offset: usize) -> Option<String> {
    let (line, _) = source.line_col(offset);
    let (start, end) = source.line_range(line)?;
    let (key, _) = source.text.get(start..end)?.split_once('=')?;
    Some(key.trim().trim_matches('"').to_string())
}

fn is_reference(name: &str) -> bool {
    name.split_once('.').is_some_and(|(_, n)| {
        !n.is_empty()
            && n.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
    })
}

/// True when `line` mentions `name` as a whole reference (`var.a` in `[var.a]`, not in `var.ab`).
fn mentions(line: &str, name: &str) -> bool {
    let ident = |c: char| c.is_ascii_alphanumeric() || c == '_' || c == '-' || c == '.';
    line.match_indices(name).any(|(i, _)| {
        let before = line[..i].chars().next_back();
        let after = line[i + name.len()..].chars().next();
        !before.is_some_and(ident) && !after.is_some_and(|c| ident(c) && c != '.')
    })
}

/// Lines with a suppression inside the finding's block (or a block it was built from) that
/// mention a reference the finding's value was read through.
fn consumer_lines(
    sources: &SourceMap,
    f: &Finding,
    by_line: &BTreeMap<(&str, usize), Vec<usize>>,
) -> Vec<(String, usize)> {
    let names = reference_names(sources, f);
    if names.is_empty() {
        return Vec::new();
    }
    let mut out = Vec::new();
    for block in f.location.iter().chain(f.related.iter()) {
        if block.kind != OriginKind::Literal {
            continue;
        }
        let Some(source) = sources.get(&block.file) else {
            continue;
        };
        let (first, _) = source.line_col(block.start as usize);
        let (last, _) = source.line_col(block.end as usize);
        if last <= first {
            continue;
        }
        let lines = by_line.range((&*block.file, first)..=(&*block.file, last));
        for ((file, line), _) in lines {
            let Some((start, end)) = source.line_range(*line) else {
                continue;
            };
            let text = source.text.get(start..end).unwrap_or("");
            if names.iter().any(|n| mentions(text, n)) {
                out.push((file.to_string(), *line));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_are_matched_whole() {
        assert!(mentions(
            "cidr_blocks = [var.egress_cidr] # x",
            "var.egress_cidr"
        ));
        assert!(!mentions(
            "cidr_blocks = [var.egress_cidrs]",
            "var.egress_cidr"
        ));
        assert!(!mentions(
            "cidr_blocks = [xvar.egress_cidr]",
            "var.egress_cidr"
        ));
        assert!(mentions("x = var.cfg.cidr", "var.cfg"));
    }
}
